/**
 * `npm run build:workflows`: bundles the workflow code into dist/workflow-bundle.js (workers/workflow-bundle.ts
 * calls it when the bundle is missing or stale). Written to a temporary file and renamed, so a worker starting at
 * the same moment never reads half a bundle.
 */
import fs from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import {
  BUNDLE_PATH,
  bundleInputsHash,
  OTEL_WORKFLOW_INTERCEPTORS,
  TRACING_BUNDLE_PATH,
} from '../workers/workflow-bundle';

/** `--tracing`: the flavour with OpenTelemetry's workflow interceptors (workers use it when tracing is on). */
async function main(): Promise<void> {
  const tracing = process.argv.includes('--tracing');
  const bundlePath = tracing ? TRACING_BUNDLE_PATH : BUNDLE_PATH;
  const inputs = bundleInputsHash();
  const { code } = await bundleWorkflowCode({
    workflowsPath: require.resolve('../workflows'),
    workflowInterceptorModules: tracing ? [require.resolve(OTEL_WORKFLOW_INTERCEPTORS)] : [],
    logger: new DefaultLogger('WARN'),
  });
  fs.mkdirSync(path.dirname(bundlePath), { recursive: true });
  const tmp = `${bundlePath}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, code);
  fs.renameSync(tmp, bundlePath);
  fs.writeFileSync(`${bundlePath}.inputs`, inputs);
  console.log(`[build] workflow bundle written to ${path.relative(process.cwd(), bundlePath)} (${code.length} bytes)`);
}

main().catch((err) => {
  console.error('[build] workflow bundle failed:', err);
  process.exit(1);
});
