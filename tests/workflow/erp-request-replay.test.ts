/**
 * Workflows started by an earlier version keep running after an upgrade: histories recorded by the version whose
 * export ran as three activities (prepare -> writeAcumaticaRecordActivity -> finishErpRequestActivity) replay
 * against today's workflow code without a determinism error, one stopped in the middle of its write (what a
 * deploy meets) and one that ran to the end. Recorded with tests/workflow/harness.ts at commit 987d16d.
 */
import fs from 'node:fs';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { workflowBundle } from '../../testing/connector-stack';

// Saved as the client's fetchHistory() object in JSON (enums by name, 64-bit ids as strings, payloads base64).
const history = (name: string) =>
  temporal.api.history.v1.History.fromObject(
    JSON.parse(fs.readFileSync(path.join(__dirname, 'histories', name), 'utf8')),
  );

describe('erpRequestWorkflow replays histories of the three-activity export', () => {
  it.each(['erp-request-3-activities-writing.json', 'erp-request-3-activities-done.json'])('%s', async (name) => {
    const events = history(name).events ?? [];
    const activities = events.flatMap((e) => e.activityTaskScheduledEventAttributes?.activityType?.name ?? []);
    expect(activities).toContain('writeAcumaticaRecordActivity');
    await expect(
      Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, history(name), 'erp-4271-request-9001'),
    ).resolves.toBeUndefined();
  });
});
