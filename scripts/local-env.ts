/**
 * The local stack's settings for the connector CLI: `npm start` writes them to .data/local.env (mode 600; the
 * simulator's demo credentials, nothing real), and `npm run connector` reads that file for every variable the
 * environment does not set, so `npm run connector -- connect ...` works against `npm start` without exports.
 * Against a real deployment nothing is written and the CLI reads only its environment.
 */
import fs from 'node:fs';
import path from 'node:path';

export const LOCAL_ENV_FILE = path.resolve(__dirname, '../.data/local.env');

export function writeLocalEnv(vars: Record<string, string>, file = LOCAL_ENV_FILE): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const lines = Object.entries(vars).map(([k, v]) => `${k}=${v}`);
  fs.writeFileSync(
    file,
    `# Written by npm start for npm run connector; removed when it stops.\n${lines.join('\n')}\n`,
    {
      mode: 0o600,
    },
  );
}

/** Fills unset variables of `env` from the file (if it exists); returns the names it set. */
export function loadLocalEnv(env: NodeJS.ProcessEnv = process.env, file = LOCAL_ENV_FILE): string[] {
  if (!fs.existsSync(file)) return [];
  const set: string[] = [];
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const m = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line);
    if (m && env[m[1]] === undefined) {
      env[m[1]] = m[2];
      set.push(m[1]);
    }
  }
  return set;
}
