import { Worker, NativeConnection, bundleWorkflowCode } from '@temporalio/worker';
import { Client, Connection } from '@temporalio/client';
import { startDevServer } from '/work/main/temporal/dev-server';
async function main() {
  const server = await startDevServer({ port: 17999 });
  const nc = await NativeConnection.connect({ address: '127.0.0.1:17999' });
  const client = new Client({ connection: await Connection.connect({ address: '127.0.0.1:17999' }) });
  const bundle = await bundleWorkflowCode({ workflowsPath: '/work/main/tmp-eager/wf.ts' });
  for (const withPriority of [true]) { for (const variant of ['s10p2w2']) {
    const tq = `tq-${variant}`;
    const worker = await Worker.create({ connection: nc, taskQueue: tq, workflowBundle: bundle,
      ...(variant==='slots10polls2'?{maxConcurrentActivityTaskExecutions:10, maxConcurrentActivityTaskPolls:2}:{}), ...(variant==='slots10polls5'?{maxConcurrentActivityTaskExecutions:10, maxConcurrentActivityTaskPolls:5}:{}), maxConcurrentActivityTaskExecutions: 10, activityTaskPollerBehavior: { type: 'simple-maximum', maximum: 2 }, ...(variant==='s10p2w2'?{workflowTaskPollerBehavior: { type: 'simple-maximum', maximum: 2 }}:{}), ...(variant==='grace'?{shutdownGraceTime:'20 seconds'}:{}), ...(variant==='rateNull'?{maxTaskQueueActivitiesPerSecond: undefined}:{}), maxCachedWorkflows: 100, activities: { step: async (n: number) => { await new Promise(r => setTimeout(r, 20)); return n; } } });
    await worker.runUntil(async () => {
      const q: number[] = []; const wft: number[] = [];
      for (let i = 0; i < 20; i++) {
        const h = await client.workflow.start('threeSteps', { taskQueue: tq, workflowId: `w-${tq}-${i}`,
          ...(withPriority ? { priority: { priorityKey: 1, fairnessKey: 'c1' } } : {}) });
        await h.result();
        const ev = (await h.fetchHistory()).events!;
        const t = (e: any) => Number(e.eventTime.seconds) * 1000 + e.eventTime.nanos / 1e6;
        const sched = new Map<string, number>();
        for (const e of ev) {
          if (e.eventType === 6) sched.set('wft', t(e)); if (e.eventType === 7) wft.push(t(e) - sched.get('wft')!);
          if (e.activityTaskScheduledEventAttributes) sched.set(String(e.eventId), t(e));
          if (e.activityTaskStartedEventAttributes) q.push(t(e) - sched.get(String(e.activityTaskStartedEventAttributes.scheduledEventId))!);
        }
      }
      q.sort((a, b) => a - b);
      wft.sort((a,b)=>a-b); console.log('wft median', wft[Math.floor(wft.length/2)]); console.log(tq, 'queued median', q[Math.floor(q.length / 2)], 'max', q.at(-1));
    });
  }}
  await server.stop?.();
  process.exit(0);
}
main();
