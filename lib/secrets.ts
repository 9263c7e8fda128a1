/**
 * Resolves a secret reference stored with a company connection. Only `env:NAME` is supported today (the
 * deployment injects the variable from its secret manager); the reference, not the secret, is what the
 * database and every log line see.
 */
export function resolveSecret(ref: string, env: NodeJS.ProcessEnv = process.env): string {
  const match = /^env:([A-Z_][A-Z0-9_]*)$/.exec(ref);
  if (!match) throw new Error(`Unsupported secret reference "${ref}": use env:VARIABLE_NAME`);
  const value = env[match[1]];
  if (!value) throw new Error(`Secret ${ref} is not set: export ${match[1]} in the worker's environment`);
  return value;
}
