/**
 * promoteStagedLink against real PostgreSQL: when the approver imports a staged project, the Acumatica project's
 * link moves from the staged record to the Procore project (keeping its content hash), idempotently, and never
 * steals a link another record holds.
 */
import crypto from 'node:crypto';
import { createPool, migrate, type Db } from '../../store/db';
import { importedLinks, promoteStagedLink } from '../../store/imports';
import { upsertLink } from '../../store/links';

const COMPANY = '4271';
let admin: Db;
let db: Db;
const schema = `test_${crypto.randomUUID().replace(/-/g, '')}`;

beforeAll(async () => {
  const base = process.env.DATABASE_URL!;
  admin = createPool(base, 1);
  await admin.query(`CREATE SCHEMA ${schema}`);
  db = createPool(
    `${base}${base.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`,
    2,
  );
  await migrate(db);
});
afterAll(async () => {
  await db?.end();
  await admin?.query(`DROP SCHEMA ${schema} CASCADE`);
  await admin?.end();
});

const project = (procoreId: string, key: string) => ({
  companyId: COMPANY,
  acumaticaEntity: 'Project',
  acumaticaKey: key,
  procoreEntity: 'project',
  procoreId,
});

test('the staged link becomes the project link with its hash; promoting again changes nothing', async () => {
  await upsertLink(db, {
    procoreCompanyId: COMPANY,
    procoreEntity: 'staged_record',
    procoreId: '700',
    acumaticaEntity: 'Project',
    acumaticaKey: 'WH24031',
    dataHash: 'hash-1',
  });
  expect(await promoteStagedLink(db, project('900', 'WH24031'))).toEqual({ ok: true });
  expect(await promoteStagedLink(db, project('900', 'WH24031'))).toEqual({ ok: true });
  const links = await importedLinks(db, COMPANY, ['staged_record', 'project'], ['WH24031']);
  expect(links.get('WH24031')).toEqual({ procoreId: '900', procoreEntity: 'project', dataHash: 'hash-1' });
  const { rows } = await db.query(`SELECT count(*)::int AS n FROM links WHERE acumatica_key = 'WH24031'`);
  expect(rows[0].n).toBe(1);
});

test('a record the connector never staged gets a new link', async () => {
  expect(
    await promoteStagedLink(db, {
      ...project('901', 'WH24031:01'),
      procoreEntity: 'sub_job',
      acumaticaEntity: 'ProjectTask',
    }),
  ).toEqual({ ok: true });
  const links = await importedLinks(db, COMPANY, 'sub_job', ['WH24031:01']);
  expect(links.get('WH24031:01')).toMatchObject({ procoreId: '901', dataHash: null });
});

test('never takes over a link another record holds', async () => {
  // Procore project 900 is WH24031's: it cannot become RF24033's.
  expect(await promoteStagedLink(db, project('900', 'RF24033'))).toEqual({
    ok: false,
    heldBy: { procoreEntity: 'project', procoreId: '900', acumaticaKey: 'WH24031' },
  });
  // WH24031 is Procore project 900's: another Procore project cannot take it.
  expect(await promoteStagedLink(db, project('902', 'WH24031'))).toEqual({
    ok: false,
    heldBy: { procoreEntity: 'project', procoreId: '900', acumaticaKey: 'WH24031' },
  });
  expect((await importedLinks(db, COMPANY, 'project', ['WH24031', 'RF24033'])).size).toBe(1);
});
