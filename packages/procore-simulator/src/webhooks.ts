/**
 * Webhook delivery engine: Procore's documented semantics, scaled down in time for tests.
 *
 *  - at least once: every matching hook gets the event; `copies > 1` repeats the identical payload
 *    (same id/ulid), which is what receivers must dedupe;
 *  - POST JSON with the hook's destination_headers, 5 s timeout;
 *  - on non-2xx, timeout or connection error: retry after 1 s, doubling up to 1 h; after 12 h the event is
 *    discarded. Every delay (and the 12 h horizon) is divided by `timeCompression`;
 *  - each attempt is recorded as a Delivery (outcome ok / retried / discarded).
 *
 * Chaos for receivers' tests (Procore documents at-least-once delivery and no ordering guarantee):
 *  - `setChaos({duplicateProbability, reorderWindowMs, seed})`: extra identical copies at random, and each
 *    delivery delayed by a random 0..window ms so events overtake each other (seeded, so reproducible);
 *  - `hold()` then `release('reverse' | 'fifo')`: queue new deliveries and send them in a chosen order, for
 *    deterministic out-of-order tests.
 *
 * Retries are per event, not a paused per-endpoint queue as Procore does (a failing endpoint does not hold
 * back other events here).
 */
import { stringify } from 'lossless-json';
import { monotonicFactory } from 'ulid';
import { mulberry32 } from 'simulator-common';
import { idNum } from './json';
import type { DeliveryOutcome, Hook, ProcoreStore } from './store';

export interface WebhookEvent {
  companyId: string;
  projectId: string | null;
  userId: string;
  resourceName: string;
  resourceId: string;
  eventType: 'create' | 'update' | 'delete';
}

export interface WebhookChaos {
  /** Chance (0..1) that a delivery is sent one extra time, identical (same id/ulid). */
  duplicateProbability?: number;
  /** Each delivery waits a random 0..window real ms before its first attempt, so later events can win. */
  reorderWindowMs?: number;
  /** PRNG seed for the two above. */
  seed?: number;
}

export interface WebhookEngineOptions {
  /** Divides every back-off delay and the 12 h discard horizon. Default 1 (real time). */
  timeCompression?: number;
  /** Per-attempt timeout in real milliseconds (not compressed). Default 5000. */
  timeoutMs?: number;
}

const FIRST_RETRY_MS = 1_000;
const MAX_RETRY_MS = 3_600_000;
const DISCARD_AFTER_MS = 12 * 3_600_000;
const MAX_RECORDED_BODY = 2_000;

export class WebhookEngine {
  private readonly compression: number;
  private readonly timeoutMs: number;
  private readonly ulid = monotonicFactory();
  /** Bumped by cancelAll(): jobs from an older generation stop at their next step. */
  private generation = 0;
  private active = 0;
  private idleWaiters: Array<() => void> = [];
  private sleepers = new Set<{ timer: NodeJS.Timeout; wake: () => void }>();
  private abort = new AbortController();
  private chaos: Required<WebhookChaos> = { duplicateProbability: 0, reorderWindowMs: 0, seed: 1 };
  private random = mulberry32(1);
  private held: Array<() => void> | undefined;

  constructor(
    private readonly store: ProcoreStore,
    opts: WebhookEngineOptions = {},
  ) {
    this.compression = opts.timeCompression && opts.timeCompression > 0 ? opts.timeCompression : 1;
    this.timeoutMs = opts.timeoutMs ?? 5_000;
  }

  /** Hooks of the event's company with a trigger for this resource and event type. */
  matchingHooks(event: WebhookEvent): Hook[] {
    const { hooks, triggers } = this.store.state;
    return hooks.filter(
      (h) =>
        h.company_id === event.companyId &&
        triggers.some(
          (t) => t.hook_id === h.id && t.resource_name === event.resourceName && t.event_type === event.eventType,
        ),
    );
  }

  /** Starts delivering `event` to every matching hook; returns at once (delivery is asynchronous). */
  publish(event: WebhookEvent, copies = 1): { eventId: string; ulid: string; hookIds: string[] } {
    const eventId = this.store.newId();
    const ulid = this.ulid(this.store.clock.now());
    const timestamp = this.store.clock.nowIso();
    const hooks = this.matchingHooks(event);
    for (const hook of hooks) {
      const body = stringify(buildPayload(hook.api_version, event, { eventId, ulid, timestamp })) ?? '{}';
      let n = Math.max(1, copies);
      if (this.random() < this.chaos.duplicateProbability) n++;
      for (let i = 0; i < n; i++) this.schedule(() => void this.deliver(hook.id, eventId, body));
    }
    return { eventId, ulid, hookIds: hooks.map((h) => h.id) };
  }

  setChaos(chaos: WebhookChaos): Required<WebhookChaos> {
    const given = Object.fromEntries(Object.entries(chaos).filter(([, v]) => v !== undefined));
    this.chaos = { ...this.chaos, ...given };
    if (chaos.seed !== undefined) this.random = mulberry32(chaos.seed);
    return this.chaos;
  }

  /** Queue deliveries instead of sending them, until `release`. */
  hold(): void {
    this.held ??= [];
  }

  /** Sends the held deliveries in the given order and stops holding. Returns how many were held. */
  release(order: 'fifo' | 'reverse' = 'fifo'): number {
    const queued = this.held ?? [];
    this.held = undefined;
    (order === 'reverse' ? [...queued].reverse() : queued).forEach((start) => start());
    return queued.length;
  }

  private schedule(start: () => void): void {
    if (this.held) {
      this.held.push(start);
      return;
    }
    const delay = this.chaos.reorderWindowMs > 0 ? Math.floor(this.random() * this.chaos.reorderWindowMs) : 0;
    if (delay === 0) return start();
    // Counted as active while waiting, so idle() also waits for delayed first attempts.
    this.active++;
    const generation = this.generation;
    void this.sleep(delay).then(() => {
      this.active--;
      if (generation === this.generation) start();
      else if (this.active === 0) this.idleWaiters.splice(0).forEach((w) => w());
    });
  }

  /** Resolves once no delivery is in flight or waiting to retry. */
  idle(): Promise<void> {
    if (this.active === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Drops every pending retry and aborts in-flight requests (admin reset, shutdown). */
  cancelAll(): void {
    this.generation++;
    this.held = undefined;
    this.abort.abort();
    this.abort = new AbortController();
    for (const s of this.sleepers) {
      clearTimeout(s.timer);
      s.wake();
    }
    this.sleepers.clear();
  }

  private async deliver(hookId: string, eventId: string, body: string): Promise<void> {
    const generation = this.generation;
    const firstAttemptAt = Date.now();
    this.active++;
    try {
      for (let attempt = 1; generation === this.generation; attempt++) {
        // Re-read the hook each attempt: a PATCHed destination fixes a failing endpoint, a deleted hook stops.
        const hook = this.store.state.hooks.find((h) => h.id === hookId);
        if (!hook) return;
        const startedAt = this.store.clock.nowIso();
        const result = await this.post(hook, body);
        if (generation !== this.generation) return;
        const delayMs = Math.min(FIRST_RETRY_MS * 2 ** (attempt - 1), MAX_RETRY_MS);
        const elapsedMs = (Date.now() - firstAttemptAt) * this.compression;
        const outcome: DeliveryOutcome = result.ok
          ? 'ok'
          : elapsedMs + delayMs > DISCARD_AFTER_MS
            ? 'discarded'
            : 'retried';
        this.store.state.deliveries.push({
          id: this.store.newId(),
          hook_id: hookId,
          event_id: eventId,
          event_json: body,
          attempt,
          outcome,
          response_status: result.status,
          response_headers: result.headers,
          response_body: result.body,
          response_error: result.error,
          started_at: startedAt,
          completed_at: this.store.clock.nowIso(),
        });
        if (outcome !== 'retried') return;
        await this.sleep(delayMs / this.compression);
      }
    } finally {
      this.active--;
      if (this.active === 0) this.idleWaiters.splice(0).forEach((w) => w());
    }
  }

  private async post(hook: Hook, body: string) {
    try {
      const res = await fetch(hook.destination_url, {
        method: 'POST',
        headers: {
          ...hook.destination_headers,
          'Content-Type': 'application/json',
          'User-Agent': 'Procore-Webhooks-Simulator',
        },
        body,
        signal: AbortSignal.any([AbortSignal.timeout(this.timeoutMs), this.abort.signal]),
      });
      const text = (await res.text()).slice(0, MAX_RECORDED_BODY);
      return {
        ok: res.status >= 200 && res.status < 300,
        status: res.status,
        headers: Object.fromEntries(res.headers.entries()),
        body: text,
        error: null,
      };
    } catch (err) {
      const cause = (err as { cause?: { code?: string } }).cause?.code;
      const error = `${(err as Error).name}: ${(err as Error).message}${cause ? ` (${cause})` : ''}`;
      return { ok: false, status: null, headers: null, body: null, error };
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const sleeper = {
        timer: setTimeout(() => {
          this.sleepers.delete(sleeper);
          resolve();
        }, ms),
        wake: resolve,
      };
      this.sleepers.add(sleeper);
    });
  }
}

/** The delivery body for a hook's api_version (v2 legacy / v3 adds related_resources / v4 string ids). */
export function buildPayload(
  apiVersion: string,
  event: WebhookEvent,
  ids: { eventId: string; ulid: string; timestamp: string },
): Record<string, unknown> {
  const major = /^v?(\d+)/.exec(apiVersion)?.[1] ?? '2';
  if (major === '4') {
    return {
      id: ids.ulid,
      timestamp: ids.timestamp,
      reason: event.eventType,
      company_id: event.companyId,
      project_id: event.projectId,
      user_id: event.userId,
      resource_type: event.resourceName,
      resource_id: event.resourceId,
    };
  }
  const v2 = {
    id: idNum(ids.eventId),
    ulid: ids.ulid,
    timestamp: ids.timestamp,
    metadata: {
      source_user_id: idNum(event.userId),
      source_project_id: idNum(event.projectId),
      source_operation_id: null,
      source_company_id: idNum(event.companyId),
      // Set only when an API client made the change; an approver clicking in the UI leaves it empty.
      source_application_id: null,
    },
    user_id: idNum(event.userId),
    company_id: idNum(event.companyId),
    project_id: idNum(event.projectId),
    api_version: apiVersion,
    event_type: event.eventType,
    resource_name: event.resourceName,
    resource_id: idNum(event.resourceId),
  };
  return major === '3' ? { ...v2, related_resources: [] } : v2;
}
