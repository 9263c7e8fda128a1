import { startDevServer } from '../temporal/dev-server';
import { freePort } from '../testing/free-port';
import { startConnectorStack } from '../testing/connector-stack';
import { seedCommitments } from '../bench/export-commitments';
async function main() {
  const port = await freePort();
  process.env.DATABASE_URL ??= 'postgresql://postgres@127.0.0.1:5432/test';
  const temporal = await startDevServer({ port });
  process.env.TEMPORAL_ADDRESS = temporal.address;
  const stack = await startConnectorStack({ worker: process.env.INPROC ? 'in-process' : 'child-process' } as any);
  const cs = seedCommitments(stack, 3);
  for (const c of cs) {
    const { workflowId } = await stack.accept(c.id, { item_type: c.type });
    await stack.waitForWorkflow(workflowId, 60000);
    const ev = (await stack.client.workflow.getHandle(workflowId).fetchHistory()).events!;
    const t0 = Number(ev[0].eventTime!.seconds) * 1000 + ev[0].eventTime!.nanos! / 1e6;
    for (const e of ev) {
      const t = Number(e.eventTime!.seconds) * 1000 + e.eventTime!.nanos! / 1e6 - t0;
      const a: any = e.activityTaskScheduledEventAttributes ?? e.workflowExecutionStartedEventAttributes ?? e.workflowTaskScheduledEventAttributes;
      console.log(t.toFixed(1), e.eventType, a?.taskQueue?.name ?? '', a?.activityType?.name ?? '');
    }
  }
  await stack.stop(); await temporal.stop(); process.exit(0);
}
main();
