/**
 * One promise per key, made on first use and shared by every caller until it is `ttlMs` old (default: for ever);
 * a rejected one is forgotten, so the next use tries again.
 */
export class PromiseCache<T> {
  private readonly entries = new Map<string, { promise: Promise<T>; at: number }>();

  constructor(private readonly ttlMs = Infinity) {}

  get(key: string, make: () => Promise<T>): Promise<T> {
    const entry = this.entries.get(key);
    if (entry && Date.now() - entry.at < this.ttlMs) return entry.promise;
    const promise = make();
    this.entries.set(key, { promise, at: Date.now() });
    promise.catch(() => {
      if (this.entries.get(key)?.promise === promise) this.entries.delete(key);
    });
    return promise;
  }

  values(): Array<Promise<T>> {
    return [...this.entries.values()].map((e) => e.promise);
  }

  clear(): void {
    this.entries.clear();
  }
}
