/**
 * The worker side of company lanes (lib/lanes.ts): a Temporal worker per connected company, on its lane's task
 * queue, running its workflows and their activities (WORKER_ACTIVITIES_PER_COMPANY slots). Companies connected later are picked up within
 * REFRESH_MS; a disconnected company's lane keeps being polled (idle) until the worker restarts.
 */
import type { Worker } from '@temporalio/worker';
import { laneTaskQueue } from '../lib/lanes';
import { logger } from '../lib/logger';
import type { Db } from '../store/db';

const REFRESH_MS = 5_000;

export class CompanyLanes {
  private readonly lanes = new Map<string, Promise<{ worker: Worker; running: Promise<void> }>>();
  private timer?: NodeJS.Timeout;
  private stopped = false;

  constructor(
    private readonly db: Db,
    private readonly taskQueue: string,
    /** Creates the worker polling one lane. */
    private readonly createWorker: (taskQueue: string) => Promise<Worker>,
  ) {}

  /** Starts a lane for every connected company that has none yet. */
  async refresh(): Promise<void> {
    const { rows } = await this.db.query<{ id: string }>(
      `SELECT procore_company_id AS id FROM company_connections ORDER BY 1`,
    );
    for (const { id } of rows) {
      if (this.stopped || this.lanes.has(id)) continue;
      const lane = this.createWorker(laneTaskQueue(this.taskQueue, id)).then((worker) => ({
        worker,
        running: worker.run(),
      }));
      this.lanes.set(id, lane);
      lane.catch((err) => {
        this.lanes.delete(id); // tried again at the next refresh
        logger.error({ err, companyId: id }, `could not start the lane of company ${id}: ${(err as Error).message}`);
      });
      await lane.catch(() => undefined);
    }
  }

  /** Refreshes now, then every REFRESH_MS until stopped. */
  async start(): Promise<void> {
    await this.refresh();
    this.timer = setInterval(() => {
      this.refresh().catch((err) => logger.warn({ err }, `company lanes not refreshed: ${(err as Error).message}`));
    }, REFRESH_MS);
    this.timer.unref();
  }

  /** Shuts every lane down (their in-flight activities get the worker's grace time) and waits for them. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    const lanes = await Promise.allSettled(this.lanes.values());
    await Promise.all(
      lanes.map(async (l) => {
        if (l.status !== 'fulfilled') return;
        // Already stopping when the Runtime's shutdown signal (SIGTERM) reached every worker of the process.
        if (l.value.worker.getState() === 'RUNNING') l.value.worker.shutdown();
        await l.value.running;
      }),
    );
  }
}
