/**
 * The operator API key of the local stack: `npm start` creates it and keeps it in .data/operator-api-key (mode
 * 600, never printed); `npm run demo` and `npm run import` read it from there unless OPERATOR_API_KEY is set.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createApiKey, verifyApiKey } from '../store/api-keys';
import type { Db } from '../store/db';

export const LOCAL_KEY_FILE = path.resolve(__dirname, '../.data/operator-api-key');

/** The local stack's key: the one in the file while it is still valid, else a new one written there. */
export async function ensureLocalOperatorKey(db: Db): Promise<void> {
  const existing = fs.existsSync(LOCAL_KEY_FILE) ? fs.readFileSync(LOCAL_KEY_FILE, 'utf8').trim() : '';
  if (existing && (await verifyApiKey(db, existing))) return;
  const { key } = await createApiKey(db, 'local stack (npm start)');
  fs.mkdirSync(path.dirname(LOCAL_KEY_FILE), { recursive: true });
  fs.writeFileSync(LOCAL_KEY_FILE, `${key}\n`, { mode: 0o600 });
}

/** Authorization headers for the local stack's API. */
export function localOperatorHeaders(): Record<string, string> {
  const key =
    process.env.OPERATOR_API_KEY ??
    (fs.existsSync(LOCAL_KEY_FILE) ? fs.readFileSync(LOCAL_KEY_FILE, 'utf8').trim() : undefined);
  if (!key) throw new Error(`No operator API key: set OPERATOR_API_KEY, or start the connector with npm start first.`);
  return { authorization: `Bearer ${key}` };
}
