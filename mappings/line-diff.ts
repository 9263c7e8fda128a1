/**
 * Line-level re-export ("an update changes only what changed"): which detail rows of an Acumatica document a
 * re-export updates, adds or deletes so that the document matches the Procore lines, and which it leaves alone.
 * Pure; unit-tested (tests/unit/line-diff.test.ts).
 *
 * Identity. A Procore line is matched to the Acumatica row its line link names: the key the connector stored
 * after the last export ("SC000001:3"), which the exporter's `rowKey` reads off a row (LineNbr on commitments;
 * task x account group x cost code on change-order budget lines, Acumatica's own key for them). Row `id`s are
 * used only inside one read-then-PUT, never stored: the reference calls detail ids session-scoped.
 *  - matched row: only its changed scalar fields are sent, with its `id`; an unchanged row is not sent;
 *  - Procore line without a link: added, unless an unlinked row already holds it (a retry after Acumatica
 *    committed an earlier PUT whose response was lost): that row is adopted instead of adding a second one. A
 *    document that has no line links at all was written by an export that never got to link it, in source
 *    order, so its rows are adopted by position;
 *  - row linked to a Procore line that is gone from Procore: deleted (`"delete": true` with its `id`);
 *  - row nobody linked (added by a person in Acumatica): left alone.
 * A row Acumatica will not let change (a completed or closed line; a released document) makes the whole update a
 * problem for the approver; nothing is written, so a document is never half updated.
 */
import { changedFields, currentValue, sameValue } from './changed-fields';

export type Row = Record<string, unknown> & { id?: string };

export interface LineIdentity {
  /** The detail collection, e.g. `Details`. */
  collection: string;
  /** The key of a row as line links store it, e.g. "SC000001:3". */
  rowKey(docKey: string, row: Row): string;
  /** Fields that must agree for an unlinked row to be adopted as a new line's. */
  matchFields: string[];
  /** Why Acumatica will not let this row change (e.g. "it is completed"), if it will not. */
  lockedReason?(row: Row): string | undefined;
  /**
   * The row's own key fields (change-order budget lines: task, account group, cost code), which Acumatica does
   * not let change on an existing row: a line whose key changed is a new row, and its old row is deleted.
   */
  keyFields?: string[];
}

export interface LineDiffInput {
  docKey: string;
  identity: LineIdentity;
  /** The mapped lines, in the order of `lineIds`. */
  desired: Array<Record<string, unknown>>;
  lineIds: string[];
  /** For people: how to name line i in a message ("Scope item 2"). */
  lineLabels: string[];
  /** Row key of each Procore line the connector linked to this document, by Procore line id. */
  linked: Map<string, string>;
  /** The document's current rows, as Acumatica returned them. */
  rows: Row[];
}

export type LinePlan = { kind: 'row'; rowId: string } | { kind: 'added'; index: number };

export interface LineDiff {
  /** The rows to PUT: `{id, ...changed}`, new rows, `{id, delete: true}`. Empty: nothing to change. */
  put: Array<Record<string, unknown>>;
  /** Per Procore line, in order: the row it is (found or adopted), or the index of the row added for it. */
  plan: LinePlan[];
  /**
   * Procore lines whose linked row is deleted or gone (lines removed in Procore, lines whose budget key changed):
   * their links go once Acumatica committed, so no stale key blocks the key a new row gets.
   */
  unlinkLineIds: string[];
  /** How many of those were removed in Procore. */
  removed: number;
  updated: number;
  added: number;
  deleted: number;
  /** Changes Acumatica forbids; non-empty means nothing may be written. */
  problems: string[];
}

function matches(identity: LineIdentity, desired: Record<string, unknown>, row: Row): boolean {
  return identity.matchFields.every((f) => desired[f] === undefined || sameValue(desired[f], currentValue(row[f])));
}

export function diffLines(input: LineDiffInput): LineDiff {
  const { docKey, identity, desired, lineIds, linked, rows } = input;
  const keyOf = (row: Row) => identity.rowKey(docKey, row);
  const byKey = new Map(rows.map((r) => [keyOf(r), r]));
  const current = new Set(lineIds);
  // Keys held by Procore lines that still exist; rows of lines gone from Procore may be reused (adopted).
  const heldKeys = new Set([...linked].filter(([id]) => current.has(id)).map(([, key]) => key));
  const claimed = new Set<Row>();
  const positional = linked.size === 0;
  const claim = (row: Row | undefined, i: number): Row | undefined => {
    if (!row || claimed.has(row)) return undefined;
    // A row whose identity the line no longer has (a budget line moved to another cost code) is not that line.
    if (!matches({ ...identity, matchFields: identity.keyFields ?? [] }, desired[i], row)) return undefined;
    claimed.add(row);
    return row;
  };
  const rowFor: Array<Row | undefined> = lineIds.map((id, i) => {
    const key = linked.get(id);
    return claim(key === undefined ? (positional ? rows[i] : undefined) : byKey.get(key), i);
  });
  // New lines adopt rows no current line holds that already carry them (committed by an earlier attempt).
  rowFor.forEach((row, i) => {
    if (row) return;
    const free = rows.find((r) => !claimed.has(r) && !heldKeys.has(keyOf(r)) && matches(identity, desired[i], r));
    rowFor[i] = claim(free, i);
  });

  const diff: LineDiff = {
    put: [],
    plan: [],
    unlinkLineIds: [],
    removed: 0,
    updated: 0,
    added: 0,
    deleted: 0,
    problems: [],
  };
  const updates: Array<Record<string, unknown>> = [];
  const adds: Array<Record<string, unknown>> = [];
  rowFor.forEach((row, i) => {
    if (!row) {
      diff.plan.push({ kind: 'added', index: diff.added++ });
      adds.push(desired[i]);
      return;
    }
    diff.plan.push({ kind: 'row', rowId: String(row.id) });
    const changed = changedFields(desired[i], row, identity.keyFields);
    if (Object.keys(changed).length === 0) return;
    const locked = identity.lockedReason?.(row);
    if (locked) {
      diff.problems.push(
        `Line ${keyOf(row)} ("${input.lineLabels[i]}") cannot change in Acumatica because ${locked}; Procore changed its ${Object.keys(changed).join(', ')}.`,
      );
      return;
    }
    diff.updated++;
    updates.push({ id: row.id, ...changed });
  });

  // Rows the connector linked to this document that no current Procore line is: deleted.
  const deletes: Array<Record<string, unknown>> = [];
  const finalRow = new Map(lineIds.map((id, i) => [id, rowFor[i]]));
  for (const [lineId, key] of linked) {
    const row = byKey.get(key);
    if (!current.has(lineId)) diff.removed++;
    if (!row || finalRow.get(lineId) !== row) diff.unlinkLineIds.push(lineId);
    if (!row || claimed.has(row)) continue; // already gone (an earlier attempt deleted it), or reused
    claimed.add(row);
    const locked = identity.lockedReason?.(row);
    if (locked) {
      diff.problems.push(`Line ${key} was removed in Procore but cannot be deleted in Acumatica because ${locked}.`);
      continue;
    }
    diff.deleted++;
    deletes.push({ id: row.id, delete: true });
  }
  // Deletes first: a budget line deleted and added again under the same key must not collide with itself.
  diff.put = [...deletes, ...updates, ...adds];
  return diff;
}

/**
 * The key of every Procore line after the PUT, in order: a found row keeps its `id` within the read-then-PUT;
 * added rows are the rows the response has that the document did not, in the order they were sent.
 */
export function lineKeysAfter(
  docKey: string,
  identity: LineIdentity,
  plan: LinePlan[],
  before: Row[],
  after: Row[],
): string[] {
  const old = new Set(before.map((r) => String(r.id)));
  const added = after.filter((r) => !old.has(String(r.id)));
  const byId = new Map(after.map((r) => [String(r.id), r]));
  return plan.map((p) => {
    const row = p.kind === 'row' ? byId.get(p.rowId) : added[p.index];
    if (!row) throw new Error(`Acumatica's answer lacks a row of ${docKey} the connector wrote`);
    return identity.rowKey(docKey, row);
  });
}
