/**
 * The prebuilt workflow bundle (samples-typescript `production`): webpack runs once, in a process of its own,
 * so the worker never loads webpack and swc (about 100 MB of a worker's resident memory, issue #6 asks < 400 MB)
 * and starts without the ~2 s bundling. The bundle is rebuilt when its inputs change: the workflow code, the
 * light lib modules it imports, and the installed SDK (package-lock.json).
 */
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..');
export const BUNDLE_PATH = path.join(ROOT, 'dist/workflow-bundle.js');
/** With OpenTelemetry's workflow interceptors built in (tracing on, lib/tracing.ts); built on first use. */
export const TRACING_BUNDLE_PATH = path.join(ROOT, 'dist/workflow-bundle-tracing.js');
/** The workflow interceptor module of @temporalio/interceptors-opentelemetry (bundled, not imported). */
export const OTEL_WORKFLOW_INTERCEPTORS = '@temporalio/interceptors-opentelemetry/lib/workflow-interceptors';
const INPUTS = ['workflows', 'lib', 'package-lock.json'];

function files(entry: string): string[] {
  const full = path.join(ROOT, entry);
  if (!fs.statSync(full).isDirectory()) return [full];
  return fs
    .readdirSync(full, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .sort()
    .map((f) => path.join(full, f));
}

/** A hash of every input of the bundle. */
export function bundleInputsHash(): string {
  const hash = crypto.createHash('sha256');
  for (const file of INPUTS.flatMap(files)) hash.update(path.relative(ROOT, file)).update(fs.readFileSync(file));
  return hash.digest('hex');
}

/** The bundle's path, (re)built first in a child process when missing or stale. */
export function ensureWorkflowBundle(opts: { tracing?: boolean } = {}): string {
  const bundlePath = opts.tracing ? TRACING_BUNDLE_PATH : BUNDLE_PATH;
  const stamp = `${bundlePath}.inputs`;
  const wanted = bundleInputsHash();
  const current = fs.existsSync(bundlePath) && fs.existsSync(stamp) ? fs.readFileSync(stamp, 'utf8') : '';
  if (current !== wanted) {
    execFileSync(
      process.execPath,
      ['--import', 'tsx', path.join(ROOT, 'scripts/build-workflow-bundle.ts'), ...(opts.tracing ? ['--tracing'] : [])],
      { stdio: 'inherit' },
    );
  }
  return bundlePath;
}
