/**
 * `npm run build:workflows`: bundles the workflow code into dist/workflow-bundle.js (workers/workflow-bundle.ts
 * calls it when the bundle is missing or stale). Written to a temporary file and renamed, so a worker starting at
 * the same moment never reads half a bundle.
 */
import fs from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { BUNDLE_PATH, bundleInputsHash } from '../workers/workflow-bundle';

async function main(): Promise<void> {
  const inputs = bundleInputsHash();
  const { code } = await bundleWorkflowCode({
    workflowsPath: require.resolve('../workflows'),
    logger: new DefaultLogger('WARN'),
  });
  fs.mkdirSync(path.dirname(BUNDLE_PATH), { recursive: true });
  const tmp = `${BUNDLE_PATH}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, code);
  fs.renameSync(tmp, BUNDLE_PATH);
  fs.writeFileSync(`${BUNDLE_PATH}.inputs`, inputs);
  console.log(`[build] workflow bundle written to ${path.relative(process.cwd(), BUNDLE_PATH)} (${code.length} bytes)`);
}

main().catch((err) => {
  console.error('[build] workflow bundle failed:', err);
  process.exit(1);
});
