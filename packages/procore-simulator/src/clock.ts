/**
 * The simulator's notion of "now". Token expiry, rate-limit windows and record timestamps read it, so tests can
 * jump ahead 90 minutes instead of waiting. Webhook retry timers use real time (scaled by
 * `webhookTimeCompression`) because they have to actually fire.
 */
export class SimClock {
  private offsetMs = 0;
  private frozenAt: number | undefined;

  now(): number {
    return this.frozenAt ?? Date.now() + this.offsetMs;
  }

  nowIso(): string {
    return new Date(this.now()).toISOString();
  }

  /** Moves time forward (or back with a negative value) without freezing it. */
  advance(ms: number): void {
    if (this.frozenAt !== undefined) this.frozenAt += ms;
    else this.offsetMs += ms;
  }

  /** Pins time at `ms` (epoch milliseconds) until `unfreeze()`. */
  freeze(ms: number = this.now()): void {
    this.frozenAt = ms;
  }

  unfreeze(): void {
    if (this.frozenAt !== undefined) this.offsetMs = this.frozenAt - Date.now();
    this.frozenAt = undefined;
  }

  reset(): void {
    this.offsetMs = 0;
    this.frozenAt = undefined;
  }
}
