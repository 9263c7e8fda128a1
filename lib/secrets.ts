/**
 * Resolves a secret reference stored with a company connection: `env:NAME` (the deployment injects the variable
 * from its secret manager) or `file:/absolute/path` (a mounted secret, e.g. Docker/Kubernetes secrets; read on
 * every use, so a rotated or newly mounted file needs no restart; one trailing newline is dropped). The
 * reference, not the secret, is what the database and every log line see.
 */
import fs from 'node:fs';
import path from 'node:path';

const ENV_REF = /^env:([A-Za-z_][A-Za-z0-9_]*)$/;
const FILE_REF = /^file:(\/.+)$/;

/** Why a reference is malformed, or undefined when it is well-formed (it may still not resolve). */
export function secretRefProblem(ref: string): string | undefined {
  if (ENV_REF.test(ref)) return undefined;
  const file = FILE_REF.exec(ref);
  if (file && path.isAbsolute(file[1])) return undefined;
  // Never echo it: a malformed reference is often the secret itself, typed where its reference belongs.
  return 'Unsupported secret reference (not shown, it may be the secret itself): use env:VARIABLE_NAME or file:/absolute/path';
}

export function resolveSecret(ref: string, env: NodeJS.ProcessEnv = process.env): string {
  const problem = secretRefProblem(ref);
  if (problem) throw new Error(problem);
  const envName = ENV_REF.exec(ref)?.[1];
  if (envName) {
    const value = env[envName];
    if (!value) throw new Error(`Secret ${ref} is not set: export ${envName} in the worker's environment`);
    return value;
  }
  const file = FILE_REF.exec(ref)![1];
  let value: string;
  try {
    value = fs.readFileSync(file, 'utf8').replace(/\r?\n$/, '');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new Error(`Secret ${ref} cannot be read (${code}): mount the file where the worker can read it`);
  }
  if (!value) throw new Error(`Secret ${ref} is empty: write the password into the file`);
  return value;
}
