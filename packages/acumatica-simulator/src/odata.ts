/**
 * A small OData v3 `$filter` parser and evaluator, covering what the contract-based API accepts in practice:
 * eq ne gt ge lt le, and or not, parentheses, substringof(s, f), startswith(f, s), endswith(f, s),
 * string literals ('' escapes a quote), numbers, true/false/null, datetimeoffset'...' and datetime'...' literals,
 * field paths with `/` for linked entities (MainContact/Email).
 *
 * String comparison is case-insensitive, like Acumatica on SQL Server's default collation.
 */

export type FilterValue = string | number | boolean | Date | null;

export type FilterNode =
  | { type: 'literal'; value: FilterValue }
  | { type: 'field'; path: string[] }
  | { type: 'binary'; op: 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le'; left: FilterNode; right: FilterNode }
  | { type: 'logical'; op: 'and' | 'or'; left: FilterNode; right: FilterNode }
  | { type: 'not'; expr: FilterNode }
  | { type: 'call'; name: 'substringof' | 'startswith' | 'endswith' | 'tolower' | 'toupper'; args: FilterNode[] };

export class FilterSyntaxError extends Error {}

type Token =
  | { t: 'str'; v: string }
  | { t: 'num'; v: number }
  | { t: 'date'; v: Date }
  | { t: 'ident'; v: string }
  | { t: '(' }
  | { t: ')' }
  | { t: ',' };

function parseDateLiteral(raw: string): Date {
  // A '+' offset that arrived unencoded in a query string turns into a space; put it back.
  const fixed = raw.trim().replace(/ (\d{2}:?\d{2})$/, '+$1');
  const d = new Date(fixed);
  if (Number.isNaN(d.getTime())) throw new FilterSyntaxError(`Invalid date literal '${raw}'`);
  return d;
}

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const readQuoted = (): string => {
    // src[i] === "'"
    i++;
    let s = '';
    for (;;) {
      if (i >= src.length) throw new FilterSyntaxError('Unterminated string literal');
      const c = src[i];
      if (c === "'") {
        if (src[i + 1] === "'") {
          s += "'";
          i += 2;
          continue;
        }
        i++;
        return s;
      }
      s += c;
      i++;
    }
  };
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) {
      i++;
    } else if (c === '(' || c === ')' || c === ',') {
      out.push({ t: c });
      i++;
    } else if (c === "'") {
      out.push({ t: 'str', v: readQuoted() });
    } else if ((/[-\d]/.test(c) && /[\d.]/.test(src[i + 1] ?? '')) || /\d/.test(c)) {
      const m = /^-?\d+(\.\d+)?[mMdDfFlL]?/.exec(src.slice(i));
      if (!m) throw new FilterSyntaxError(`Bad number at ${i}`);
      out.push({ t: 'num', v: Number(m[0].replace(/[mMdDfFlL]$/, '')) });
      i += m[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_./]*/.exec(src.slice(i));
      const word = m![0];
      i += word.length;
      if ((word === 'datetimeoffset' || word === 'datetime') && src[i] === "'") {
        out.push({ t: 'date', v: parseDateLiteral(readQuoted()) });
      } else {
        out.push({ t: 'ident', v: word });
      }
    } else {
      throw new FilterSyntaxError(`Unexpected character '${c}' at position ${i}`);
    }
  }
  return out;
}

const COMPARISONS = new Set(['eq', 'ne', 'gt', 'ge', 'lt', 'le']);
const FUNCTIONS = new Set(['substringof', 'startswith', 'endswith', 'tolower', 'toupper']);

export function parseFilter(src: string): FilterNode {
  const tokens = tokenize(src);
  let pos = 0;
  const peek = (): Token | undefined => tokens[pos];
  const isWord = (w: string): boolean => {
    const t = peek();
    return !!t && t.t === 'ident' && t.v.toLowerCase() === w;
  };
  const expect = (t: '(' | ')' | ','): void => {
    if (peek()?.t !== t) throw new FilterSyntaxError(`Expected '${t}'`);
    pos++;
  };

  /** `operand (op operand)*`, left-associative. */
  const parseLogical = (op: 'or' | 'and', operand: () => FilterNode): FilterNode => {
    let left = operand();
    while (isWord(op)) {
      pos++;
      left = { type: 'logical', op, left, right: operand() };
    }
    return left;
  };
  const parseOr = (): FilterNode => parseLogical('or', parseAnd);
  const parseAnd = (): FilterNode => parseLogical('and', parseUnary);
  const parseUnary = (): FilterNode => {
    if (isWord('not')) {
      pos++;
      return { type: 'not', expr: parseUnary() };
    }
    return parseComparison();
  };
  const parseComparison = (): FilterNode => {
    const left = parsePrimary();
    const t = peek();
    if (t && t.t === 'ident' && COMPARISONS.has(t.v.toLowerCase())) {
      pos++;
      const op = t.v.toLowerCase() as 'eq';
      return { type: 'binary', op, left, right: parsePrimary() };
    }
    return left;
  };
  const parsePrimary = (): FilterNode => {
    const t = peek();
    if (!t) throw new FilterSyntaxError('Unexpected end of filter');
    pos++;
    switch (t.t) {
      case '(': {
        const e = parseOr();
        expect(')');
        return e;
      }
      case 'str':
        return { type: 'literal', value: t.v };
      case 'num':
        return { type: 'literal', value: t.v };
      case 'date':
        return { type: 'literal', value: t.v };
      case 'ident': {
        const lower = t.v.toLowerCase();
        if (lower === 'true' || lower === 'false') return { type: 'literal', value: lower === 'true' };
        if (lower === 'null') return { type: 'literal', value: null };
        if (FUNCTIONS.has(lower) && peek()?.t === '(') {
          pos++;
          const args: FilterNode[] = [];
          if (peek()?.t !== ')') {
            args.push(parseOr());
            while (peek()?.t === ',') {
              pos++;
              args.push(parseOr());
            }
          }
          expect(')');
          return { type: 'call', name: lower as 'substringof', args };
        }
        return { type: 'field', path: t.v.split('/') };
      }
      default:
        throw new FilterSyntaxError(`Unexpected '${t.t}'`);
    }
  };

  const node = parseOr();
  if (pos < tokens.length) throw new FilterSyntaxError(`Unexpected token at end of filter`);
  return node;
}

/** Field paths referenced by a filter (for validating them against the contract). */
export function filterFields(node: FilterNode): string[][] {
  switch (node.type) {
    case 'field':
      return [node.path];
    case 'binary':
    case 'logical':
      return [...filterFields(node.left), ...filterFields(node.right)];
    case 'not':
      return filterFields(node.expr);
    case 'call':
      return node.args.flatMap(filterFields);
    default:
      return [];
  }
}

export type FieldResolver = (path: string[]) => unknown;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T[\d:.]+)?(Z|[+-]\d{2}:?\d{2})?$/;

function toComparable(v: unknown, other: unknown): number | string | boolean | null {
  if (v === undefined || v === null) return null;
  if (v instanceof Date) return v.getTime();
  if (other instanceof Date && typeof v === 'string' && ISO_DATE.test(v)) return new Date(v).getTime();
  if (typeof v === 'string') {
    if (typeof other === 'number' && v.trim() !== '' && !Number.isNaN(Number(v))) return Number(v);
    return v.toLowerCase();
  }
  if (typeof v === 'number' || typeof v === 'boolean') return v;
  return String(v).toLowerCase();
}

function compare(op: string, a: unknown, b: unknown): boolean {
  const x = toComparable(a, b);
  const y = toComparable(b, a);
  if (op === 'eq') return x === y;
  if (op === 'ne') return x !== y;
  if (x === null || y === null) return false;
  switch (op) {
    case 'gt':
      return x > y;
    case 'ge':
      return x >= y;
    case 'lt':
      return x < y;
    case 'le':
      return x <= y;
  }
  return false;
}

export function evaluateFilter(node: FilterNode, resolve: FieldResolver): unknown {
  switch (node.type) {
    case 'literal':
      return node.value;
    case 'field':
      return resolve(node.path);
    case 'binary':
      return compare(node.op, evaluateFilter(node.left, resolve), evaluateFilter(node.right, resolve));
    case 'logical': {
      const l = Boolean(evaluateFilter(node.left, resolve));
      if (node.op === 'and') return l && Boolean(evaluateFilter(node.right, resolve));
      return l || Boolean(evaluateFilter(node.right, resolve));
    }
    case 'not':
      return !evaluateFilter(node.expr, resolve);
    case 'call': {
      const args = node.args.map((a) => evaluateFilter(a, resolve));
      const s = (v: unknown): string => (v === null || v === undefined ? '' : String(v)).toLowerCase();
      switch (node.name) {
        case 'substringof':
          return s(args[1]).includes(s(args[0]));
        case 'startswith':
          return s(args[0]).startsWith(s(args[1]));
        case 'endswith':
          return s(args[0]).endsWith(s(args[1]));
        case 'tolower':
          return args[0] === null || args[0] === undefined ? null : String(args[0]).toLowerCase();
        case 'toupper':
          return args[0] === null || args[0] === undefined ? null : String(args[0]).toUpperCase();
      }
    }
  }
  return undefined;
}

/** Parses and evaluates in one go; throws FilterSyntaxError on bad syntax. */
export function compileFilter(src: string): (resolve: FieldResolver) => boolean {
  const node = parseFilter(src);
  return (resolve) => Boolean(evaluateFilter(node, resolve));
}
