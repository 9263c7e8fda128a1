/**
 * The one place that speaks each system contract's syntax, so exporters, importers and mappings are written once
 * (in contract-4 terms: drop-downs as labels, `Parent/Child` expands, `Type eq 'Normal'` filters) and work on every
 * release. The client passes every request and response of a data call through the dialect of the negotiated
 * endpoint version.
 *
 * System contract 4 (Default/20.200.001 … 25.200.001): everything passes through unchanged, except fields an
 * older version does not define that callers send for newer ones (ABSENT below): they are left out of the body.
 *
 * System contract 5 (Default/26.200.001 and later; contract/README.md "What changes", acumatica-api.md §2.1):
 *  - drop-downs are `StringSingleSelectValue`: read `{"value": {"id": "H", "description": "On Hold"}}` (the
 *    dialect hands the description, i.e. the contract-4 label, to the caller), write `{"value": {"id": "H"}}`,
 *    filter and address (URL keys) by the id. Labels are turned into ids with the lists below;
 *  - date-only fields (`DateOnlyValue`) are written `YYYY-MM-DD`;
 *  - nested `$expand` is `Parent($expand=Child)` instead of `Parent/Child`;
 *  - linked entities, detail collections and values may be `null`: the dialect drops nulls, as contract 4 omits
 *    what has no value.
 *
 * The ids are the codes Acumatica's list attributes store (POOrderType, POOrderStatus, APDocType, APDocStatus,
 * VendorStatus, ProjectStatus, ProjectTaskStatus, GL AccountType, ChangeOrderStatus, PMRegister status); they are
 * not in the OpenAPI documents and were not checked against a 2026 R2 instance. A label outside the lists is sent as
 * its own id.
 */
import { type AcumaticaRecord, isPlainObject } from './format';

/** The system contract of an endpoint version ("26.200.001" -> 5); extensions carry their base's version. */
export function systemContractOf(version: string): number {
  const major = Number(/^(\d+)\./.exec(version)?.[1]);
  return Number.isFinite(major) && major >= 26 ? 5 : 4;
}

type List = Record<string, string>; // label -> id

const PO_ORDER_TYPE: List = {
  Normal: 'RO',
  'Drop-Ship': 'DP',
  Blanket: 'BL',
  Standard: 'SB',
  'Project Drop-Ship': 'PD',
  Subcontract: 'RS',
};
const PO_ORDER_STATUS: List = {
  'On Hold': 'H',
  'Pending Approval': 'P',
  Open: 'N',
  'Pending Printing': 'D',
  'Pending Email': 'E',
  Completed: 'M',
  Closed: 'C',
  Canceled: 'L',
  Rejected: 'R',
};
const AP_DOC_TYPE: List = {
  Bill: 'INV',
  'Credit Adj.': 'ACR',
  'Debit Adj.': 'ADR',
  Prepayment: 'PPM',
  Payment: 'CHK',
  'Voided Payment': 'VCK',
  'Vendor Refund': 'REF',
  'Cash Purchase': 'QCK',
};
const AP_DOC_STATUS: List = {
  'On Hold': 'H',
  Balanced: 'B',
  Voided: 'V',
  Scheduled: 'S',
  Open: 'N',
  Closed: 'C',
  Printed: 'P',
  Prebooked: 'K',
  'Pending Approval': 'E',
  Rejected: 'R',
  Reserved: 'Z',
};

/**
 * The drop-downs the connector writes, filters or addresses, by entity and field path (detail and linked fields as
 * `Collection/Field`).
 */
const SELECTS: Record<string, Record<string, List>> = {
  Vendor: {
    Status: { Active: 'A', 'On Hold': 'H', 'Credit Hold': 'C', 'Hold Payments': 'P', Inactive: 'I', 'One-Time': 'T' },
  },
  Project: {
    Status: {
      'In Planning': 'D',
      'Pending Approval': 'I',
      Active: 'A',
      'On Hold': 'H',
      Suspended: 'E',
      Completed: 'C',
      Canceled: 'X',
      Rejected: 'R',
    },
  },
  ProjectTask: { Status: { Planned: 'D', Active: 'A', Completed: 'C', Canceled: 'X', Inactive: 'I' } },
  ProjectBudget: { Type: { Cost: 'E', Revenue: 'I' } },
  AccountGroup: { Type: { Asset: 'A', Liability: 'L', Income: 'I', Expense: 'E', 'Off-Balance': 'O' } },
  Subcontract: { Status: PO_ORDER_STATUS, 'Details/OrderType': PO_ORDER_TYPE },
  PurchaseOrder: { Type: PO_ORDER_TYPE, Status: PO_ORDER_STATUS },
  ChangeOrder: {
    Status: { 'On Hold': 'H', 'Pending Approval': 'A', Open: 'O', Closed: 'C', Rejected: 'R' },
    'Commitments/POType': PO_ORDER_TYPE,
    'Commitments/Status': PO_ORDER_STATUS,
  },
  Bill: { Type: AP_DOC_TYPE, Status: AP_DOC_STATUS, 'Details/POOrderType': PO_ORDER_TYPE },
  Check: { Type: AP_DOC_TYPE, Status: AP_DOC_STATUS, 'Details/DocType': AP_DOC_TYPE },
  ProjectTransaction: { Status: { 'On Hold': 'H', Balanced: 'B', Released: 'R' } },
};

/** Date-only fields of contract 5 the connector writes. */
const DATE_ONLY: Record<string, string[]> = {
  Bill: ['Date', 'DueDate'],
  Check: ['ApplicationDate'],
};

/**
 * Fields a version's contract lacks that callers send for the newer versions: left out of request bodies, as a
 * body with a field the contract does not define is refused (400). Default/20.200.001's ChangeOrderCommitment has
 * no POType (22.200.001 adds it): the commitment line names its document by PONbr alone there.
 */
const ABSENT: Record<string, Record<string, string[]>> = {
  '20.200.001': { ChangeOrder: ['Commitments/POType'] },
};

/** URL key order of the entities whose keys include a drop-down. */
const SELECT_KEYS: Record<string, string[]> = {
  PurchaseOrder: ['Type', 'OrderNbr'],
  Bill: ['Type', 'ReferenceNbr'],
  Check: ['Type', 'ReferenceNbr'],
};

const idOf = (list: List | undefined, label: unknown): unknown => {
  if (!list || typeof label !== 'string') return label;
  const hit = Object.entries(list).find(([l]) => l.toUpperCase() === label.trim().toUpperCase());
  return hit ? hit[1] : label;
};

export class ContractDialect {
  readonly contract: number;

  constructor(readonly version: string) {
    this.contract = systemContractOf(version);
  }

  /** `$expand` items: contract 5 nests them (`MainContact/Address` -> `MainContact($expand=Address)`). */
  expand(list: string[] | undefined): string[] | undefined {
    if (!list || this.contract < 5) return list;
    type Node = Map<string, Node>;
    const root: Node = new Map();
    for (const item of list) {
      let node = root;
      for (const seg of item.split('/')) {
        if (!node.has(seg)) node.set(seg, new Map());
        node = node.get(seg)!;
      }
    }
    const render = (n: Node): string[] =>
      [...n].map(([name, sub]) => (sub.size ? `${name}($expand=${render(sub).join(',')})` : name));
    return render(root);
  }

  /** A `$filter` built with odata.ts: contract 5 compares drop-downs of the entity by their id. */
  filter(entity: string, filter: string | undefined): string | undefined {
    const selects = SELECTS[entity];
    if (!filter || this.contract < 5 || !selects) return filter;
    // Field, operator and a quoted literal ('' escapes a quote); other quoted literals are skipped whole.
    return filter.replace(
      /'(?:[^']|'')*'|\b([A-Za-z_][A-Za-z0-9_]*(?:\/[A-Za-z_][A-Za-z0-9_]*)*) (eq|ne) '((?:[^']|'')*)'/g,
      (whole, field: string | undefined, op: string, lit: string) => {
        if (!field || !selects[field]) return whole;
        const id = idOf(selects[field], lit.replace(/''/g, "'")) as string;
        return `${field} ${op} '${id.replace(/'/g, "''")}'`;
      },
    );
  }

  /** URL keys (`['Normal', 'PO000001']`): contract 5 names a drop-down key by its id. */
  keys(entity: string, keys: string[]): string[] {
    const fields = SELECT_KEYS[entity];
    if (this.contract < 5 || !fields) return keys;
    return keys.map((k, i) => String(idOf(SELECTS[entity]?.[fields[i]], k)));
  }

  /** A value-wrapped request body (PUT, an action's entity) in the contract's syntax. */
  body(entity: string, body: AcumaticaRecord): AcumaticaRecord {
    const absent = ABSENT[this.version]?.[entity] ?? [];
    if (this.contract < 5 && !absent.length) return body;
    const selects = this.contract < 5 ? {} : (SELECTS[entity] ?? {});
    const dates = this.contract < 5 ? [] : (DATE_ONLY[entity] ?? []);
    const walk = (obj: Record<string, unknown>, prefix: string): Record<string, unknown> => {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(obj)) {
        const path = prefix + k;
        if (absent.includes(path)) continue;
        if (Array.isArray(v)) out[k] = v.map((line) => (isPlainObject(line) ? walk(line, `${path}/`) : line));
        else if (isPlainObject(v) && 'value' in v && selects[path] !== undefined)
          out[k] = { ...v, value: v.value === null ? null : { id: idOf(selects[path], v.value) } };
        else if (isPlainObject(v) && 'value' in v && !prefix && dates.includes(k) && typeof v.value === 'string')
          out[k] = { ...v, value: v.value.slice(0, 10) };
        else if (isPlainObject(v) && !('value' in v) && !['custom', 'files', '_links'].includes(k))
          out[k] = walk(v, `${path}/`);
        else out[k] = v;
      }
      return out;
    };
    return walk(body, '');
  }

  /** A response record in contract-4 terms: drop-downs as their description (label), no nulls. */
  record<T>(rec: T): T {
    if (this.contract < 5) return rec;
    const walk = (v: unknown): unknown => {
      if (Array.isArray(v)) return v.map(walk);
      if (!isPlainObject(v)) return v;
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) {
        if (x === null) continue;
        if (k === 'value' && isPlainObject(x) && typeof x.id === 'string')
          out[k] = typeof x.description === 'string' && x.description ? x.description : x.id;
        else if (k === 'custom' || k === '_links' || k === 'files') out[k] = x;
        else out[k] = walk(x);
      }
      return out;
    };
    return walk(rec) as T;
  }
}
