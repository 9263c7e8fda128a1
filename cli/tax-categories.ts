/**
 * `connector tax-categories`: the company's Procore tax code -> Acumatica tax category mapping
 * (store/tax-categories.ts). With no mapping, tax is not sent (and each export says so); once any code is mapped,
 * a line whose tax code is not mapped fails its export naming the code.
 */
import type { Command } from 'commander';
import { getConnection } from '../store/connections';
import { removeTaxCategory, setTaxCategory, taxCategoryMap } from '../store/tax-categories';
import { out, withDb } from './io';

const collect = (value: string, previous: string[]) => [...previous, value];
/** Acumatica's TaxCategoryID is a 15-character key. */
const CATEGORY_MAX = 15;

export function addTaxCategoryCommand(program: Command): void {
  program
    .command('tax-categories')
    .description('Show or change which Acumatica tax category each Procore tax code becomes on exported lines')
    .requiredOption('--company <id>', 'Procore company id')
    .option('--set <code=category>', 'map a Procore tax code to an Acumatica tax category (repeatable)', collect, [])
    .option('--unset <code>', 'remove the mapping of a Procore tax code (repeatable)', collect, [])
    .option('--json', 'machine-readable output')
    .action(async (opts: { company: string; set: string[]; unset: string[]; json?: boolean }) => {
      const pairs = opts.set.map((s) => {
        const at = s.indexOf('=');
        const [code, category] = at < 0 ? [s, ''] : [s.slice(0, at).trim(), s.slice(at + 1).trim()];
        if (!code || !category || category.length > CATEGORY_MAX)
          throw new Error(
            `--set ${s}: write it as <Procore tax code>=<Acumatica tax category>, e.g. --set "TX-8.25=TAXABLE" (the category is Acumatica's Tax Category ID, at most ${CATEGORY_MAX} characters).`,
          );
        return { code, category };
      });
      const map = await withDb(async (db) => {
        if (!(await getConnection(db, opts.company)))
          throw new Error(`Company ${opts.company} is not connected; see npm run connector -- list.`);
        for (const { code, category } of pairs) await setTaxCategory(db, opts.company, code, category);
        for (const code of opts.unset)
          if (!(await removeTaxCategory(db, opts.company, code)))
            throw new Error(`Procore tax code "${code}" is not mapped for company ${opts.company}; nothing removed.`);
        return taxCategoryMap(db, opts.company);
      });
      out(!!opts.json, map, () =>
        Object.keys(map).length === 0
          ? [
              `Company ${opts.company} has no tax-category mapping: tax is not sent to Acumatica.`,
              'Map a code with: npm run connector -- tax-categories --company ' +
                opts.company +
                ' --set "<Procore tax code>=<Acumatica tax category>"',
            ]
          : Object.entries(map).map(([code, category]) => `${code.padEnd(20)} -> ${category}`),
      );
    });
}
