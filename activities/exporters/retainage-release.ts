/**
 * Retention release (issue #12): a Procore pay app that releases retainage (`*_retainage_released_this_period`)
 * becomes Acumatica `Bill/ReleaseRetainage` on the subcontract's earlier bills, oldest first. Procore's own
 * connector does not send releases at all.
 *
 * Exactly once without a marker: the release action creates its own retainage bill, so there is nothing to find
 * by marker. Instead the amount to release is derived from both systems every time: Procore's retainage released
 * on the subcontract through this pay app, less what Acumatica's bills of the subcontract have already released
 * (retainage total − unreleased). A retried activity, a response lost after Acumatica committed, or a release the
 * AP clerk already made by hand, all leave nothing (or only the rest) to release.
 */
import { customVal, val } from '../../clients/acumatica/client';
import { ValidationError } from '../../lib/errors';
import { moneyText, toDecimal } from '../../mappings/money';
import { findLink } from '../../store/links';
import type { ExportContext } from './types';
import type Decimal from 'decimal.js';

export interface RetainageRelease {
  /** Released on this pay app (work and stored materials). */
  thisPeriod: string;
  /** Released on the subcontract by every pay app up to and including this one. */
  throughThis: string;
  /** The subcontract's earlier pay apps, oldest first: their bills hold the retainage to release. */
  earlier: Array<{ procoreId: string; label: string }>;
}

/** What a Procore pay app item releases this period. */
export const releasedOf = (i: {
  work_completed_retainage_released_this_period?: string | null;
  materials_stored_retainage_released_this_period?: string | null;
}): Decimal =>
  toDecimal(i.work_completed_retainage_released_this_period).plus(
    toDecimal(i.materials_stored_retainage_released_this_period),
  );

/** Reads the subcontract's earlier pay apps; only for a pay app that releases retainage (rare: a final one). */
export async function loadRetainageRelease(
  ctx: ExportContext,
  where: { companyId: string; projectId: string; commitmentId: string; requisitionId: string; number: number },
  thisPeriod: Decimal,
): Promise<RetainageRelease | null> {
  if (!thisPeriod.gt(0)) return null;
  const all = await ctx.procore.listRequisitions(where.companyId, where.projectId, {
    commitmentId: where.commitmentId,
  });
  const earlier = all
    .filter((r) => String(r.id) !== where.requisitionId && Number(r.number ?? 0) < where.number)
    .sort((a, b) => Number(a.number ?? 0) - Number(b.number ?? 0));
  let through = thisPeriod;
  for (const r of earlier) {
    const items = await ctx.procore.listRequisitionItems(where.companyId, where.projectId, String(r.id));
    through = items.reduce((s, i) => s.plus(releasedOf(i)), through);
  }
  return {
    thisPeriod: moneyText(thisPeriod),
    throughThis: moneyText(through),
    earlier: earlier.map((r) => ({ procoreId: String(r.id), label: `Pay App #${String(r.number ?? r.id)}` })),
  };
}

/** Why this Acumatica release cannot take a release at all, if it cannot. */
export async function releaseUnsupported(ctx: ExportContext, release: RetainageRelease, label: string) {
  const caps = await ctx.acumatica.capabilities();
  if (caps.hasAction('Bill', 'ReleaseRetainage')) return undefined;
  return `${label} releases ${release.thisPeriod} of retainage, but Acumatica's endpoint ${caps.version} has no Bill ReleaseRetainage action (it came with 2023 R2, contract 23.200.001). Release the retainage by hand in Acumatica (Bills and Adjustments, AP301000, Release Retainage), or upgrade, then resend the invoice.`;
}

interface BillRetainage {
  nbr: string;
  label: string;
  released: boolean;
  total: Decimal;
  unreleased: Decimal;
}

/** Releases in Acumatica what Procore released and Acumatica has not yet; nothing when they already agree. */
export async function applyRetainageRelease(
  ctx: ExportContext,
  release: RetainageRelease,
  current: { key: string; label: string },
): Promise<void> {
  const bills: BillRetainage[] = [];
  // The earlier pay apps' bills (through their links), then this pay app's own.
  const sources: Array<{ label: string; key?: string; procoreId?: string }> = [...release.earlier, current];
  for (const s of sources) {
    const nbr = s.key ?? (await findLink(ctx.db, ctx.companyId, 'requisition', s.procoreId!))?.acumaticaKey;
    if (!nbr) continue; // an earlier pay app not in Acumatica holds no retainage there
    const bill = await ctx.acumatica.get('Bill', ['Bill', nbr], {
      custom: ['Document.CuryRetainageTotal', 'Document.CuryRetainageUnreleasedAmt'],
    });
    const total = toDecimal(customVal<number>(bill, 'Document', 'CuryRetainageTotal'));
    const unreleased = customVal<number>(bill, 'Document', 'CuryRetainageUnreleasedAmt');
    bills.push({
      nbr,
      label: s.label,
      released: !['Balanced', 'On Hold'].includes(String(val(bill.Status))),
      total,
      unreleased: unreleased === undefined ? total : toDecimal(unreleased),
    });
  }
  const done = bills.reduce((s, b) => s.plus(b.total.minus(b.unreleased)), toDecimal(0));
  let rest = toDecimal(release.throughThis).minus(done);
  if (!rest.gt(0)) return;

  // Plan first, so a release that cannot be completed changes nothing.
  const plan: Array<{ nbr: string; amount: Decimal }> = [];
  for (const b of bills) {
    if (!rest.gt(0)) break;
    if (!b.unreleased.gt(0)) continue;
    if (!b.released)
      throw new ValidationError(
        `${current.label} releases retainage that bill ${b.nbr} (${b.label}) holds, but that bill is not released in Acumatica. Release bill ${b.nbr} (Bills and Adjustments, AP301000), then resend the invoice.`,
      );
    const amount = b.unreleased.lt(rest) ? b.unreleased : rest;
    plan.push({ nbr: b.nbr, amount });
    rest = rest.minus(amount);
  }
  if (rest.gt(0)) {
    const held = bills.reduce((s, b) => s.plus(b.unreleased), toDecimal(0));
    throw new ValidationError(
      `${current.label}: Procore has released ${release.throughThis} of retainage on this subcontract through this pay app, but its bills in Acumatica (${bills.map((b) => b.nbr).join(', ') || 'none'}) hold only ${moneyText(held)} unreleased beyond the ${moneyText(done)} already released; ${moneyText(rest)} cannot be released. Export the subcontract's earlier pay apps, or correct the retainage in Procore, then resend.`,
    );
  }
  for (const p of plan) {
    await ctx.acumatica.invokeAction('Bill', 'ReleaseRetainage', {
      entity: { Type: 'Bill', ReferenceNbr: p.nbr },
      parameters: { AmtToRelease: Number(moneyText(p.amount)) },
    });
  }
}
