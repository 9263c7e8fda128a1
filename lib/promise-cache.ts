/** One promise per key, made on first use; a rejected one is forgotten, so the next use tries again. */
export class PromiseCache<T> {
  private readonly promises = new Map<string, Promise<T>>();

  get(key: string, make: () => Promise<T>): Promise<T> {
    let promise = this.promises.get(key);
    if (!promise) {
      promise = make();
      this.promises.set(key, promise);
      promise.catch(() => this.promises.delete(key));
    }
    return promise;
  }

  values(): Array<Promise<T>> {
    return [...this.promises.values()];
  }

  clear(): void {
    this.promises.clear();
  }
}
