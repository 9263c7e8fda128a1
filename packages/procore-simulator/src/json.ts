/**
 * JSON in and out with big integers intact. Procore ids are JSON numbers that may exceed 2^53, so the
 * simulator renders ids as `bigint` (and exact decimals as LosslessNumber) and serialises with lossless-json;
 * express's res.json() would throw on a bigint. Request bodies are parsed the same way, with every number
 * kept as its exact source text.
 */
import type { NextFunction, Request, Response } from 'express';
import { LosslessNumber, parse, stringify } from 'lossless-json';
import { rawBodyOf } from 'simulator-common';

export function sendJson(res: Response, status: number, body: unknown): void {
  res
    .status(status)
    .type('application/json')
    .send(stringify(body) ?? 'null');
}

/** Procore-style error body: `{"errors": "..."}`. */
export function sendError(res: Response, status: number, message: string, extra: Record<string, unknown> = {}): void {
  sendJson(res, status, { errors: message, ...extra });
}

/** A JSON number with an exact textual value, e.g. money rendered as a number without float rounding. */
export function exactNumber(value: string): LosslessNumber {
  return new LosslessNumber(value);
}

/** The id as a JSON number (ids are decimal strings in the store). */
export function idNum(id: string): bigint;
export function idNum(id: string | null | undefined): bigint | null;
export function idNum(id: string | null | undefined): bigint | null {
  return id === null || id === undefined ? null : BigInt(id);
}

/**
 * Body parser for JSON requests: numbers arrive as strings holding their exact text, which is how the store
 * keeps ids anyway. Non-JSON bodies are left to the next parser.
 */
export function losslessJsonBody() {
  return (req: Request, res: Response, next: NextFunction): void => {
    // /__admin bodies are plain JSON (ids there are strings); express.json() handles them.
    if (!req.is('application/json') || req.method === 'GET' || req.path.startsWith('/__admin')) return next();
    const parseText = (text: string): void => {
      if (text.trim() === '') {
        req.body = {};
        return next();
      }
      try {
        req.body = parse(text, null, (s) => s);
        next();
      } catch {
        sendError(res, 400, 'Malformed JSON body');
      }
    };
    // The fault injector may have read the body already (to match a rule's bodyContains).
    const buffered = rawBodyOf(req);
    if (buffered) return parseText(buffered.toString('utf8'));
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => parseText(Buffer.concat(chunks).toString('utf8')));
    req.on('error', next);
  };
}

/** A query or body value as a decimal id string, or undefined when absent or not an integer. */
export function asId(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  if (typeof value === 'string' && /^\d+$/.test(value.trim())) return BigInt(value.trim()).toString();
  return undefined;
}
