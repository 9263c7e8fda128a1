/**
 * A bounded pool of cookie sessions (`/entity/auth/login`). Each session takes one of the license's API-user
 * slots, so the pool never holds more than `size` (default 1) and:
 *  - signs in lazily: a session is opened only when a request needs one and every open session is busy;
 *  - coalesces sign-ins: concurrent callers of one slot await the same login;
 *  - re-signs in on 401 once per expired session (the generation counter tells a late 401 from a fresh one);
 *  - always signs out: `close()` waits for sign-ins in flight, then logs out every session, also after errors.
 * A sign-in that fails leaves its slot empty (nothing to leak); a logout that fails still forgets the cookies
 * (Acumatica closes the session after its idle timeout).
 */

export interface SessionSlot {
  readonly index: number;
  cookies: Map<string, string>;
  /** Bumped on every successful sign-in. */
  gen: number;
  busy: number;
  login?: Promise<void>;
  /** Version of the shared session this slot uses (shared-sessions.ts), when sessions are shared. */
  sharedVersion?: number;
}

export class CookieSessionPool {
  private readonly slots: SessionSlot[] = [];
  private closing?: Promise<void>;

  constructor(
    readonly size: number,
    private readonly signIn: (slot: SessionSlot) => Promise<void>,
    private readonly signOut: (cookieHeader: string) => Promise<void>,
  ) {}

  static cookieHeader(slot: SessionSlot): string {
    return CookieSessionPool.headerOf(slot.cookies);
  }

  /** A Cookie header from name/value pairs. */
  static headerOf(cookies: Iterable<[string, string]>): string {
    return [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  static signedIn(slot: SessionSlot): boolean {
    return slot.cookies.has('ASP.NET_SessionId');
  }

  /** Sessions currently signed in. */
  get openSessions(): number {
    return this.slots.filter(CookieSessionPool.signedIn).length;
  }

  /** A signed-in session for one request; call release() when the request is done. */
  async lease(): Promise<SessionSlot> {
    if (this.closing) await this.closing;
    const open = this.slots.filter((s) => CookieSessionPool.signedIn(s) || s.login);
    let slot = open.sort((a, b) => a.busy - b.busy)[0];
    if (!slot || (slot.busy > 0 && this.slots.length < this.size)) {
      slot = this.slots.find((s) => !CookieSessionPool.signedIn(s) && !s.login) ?? this.newSlot() ?? slot;
    }
    slot.busy++;
    try {
      await this.ensure(slot);
    } catch (err) {
      slot.busy--;
      throw err;
    }
    return slot;
  }

  release(slot: SessionSlot): void {
    slot.busy = Math.max(0, slot.busy - 1);
  }

  /**
   * After a 401 on a request that used generation `gen`: sign in again unless someone already did. The old
   * session is logged out first (sign-out skips the license queue): if the 401 was not an expiry, the server
   * still counts that session, and dropping its cookie would leak the slot until the idle timeout.
   */
  async renew(slot: SessionSlot, gen: number): Promise<void> {
    if (slot.gen === gen && !slot.login && CookieSessionPool.signedIn(slot)) {
      const stale = CookieSessionPool.cookieHeader(slot);
      slot.cookies.clear();
      slot.login = this.signOut(stale)
        .catch(() => undefined)
        .then(() => this.signIn(slot))
        .then(() => {
          slot.gen++;
        })
        .finally(() => {
          slot.login = undefined;
        });
    }
    await this.ensure(slot);
  }

  /** Forgets every session without signing out (other processes still use them); later requests load again. */
  async detach(): Promise<void> {
    await Promise.allSettled(this.slots.map((s) => s.login));
    for (const s of this.slots) {
      s.cookies.clear();
      s.sharedVersion = undefined;
    }
  }

  /** Logs out every session (idempotent); later requests sign in again. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await Promise.allSettled(this.slots.map((s) => s.login));
      await Promise.allSettled(
        this.slots.filter(CookieSessionPool.signedIn).map(async (s) => {
          const header = CookieSessionPool.cookieHeader(s);
          s.cookies.clear();
          await this.signOut(header);
        }),
      );
    })().finally(() => {
      this.closing = undefined;
    });
    return this.closing;
  }

  private newSlot(): SessionSlot | undefined {
    if (this.slots.length >= this.size) return undefined;
    const slot: SessionSlot = { index: this.slots.length, cookies: new Map(), gen: 0, busy: 0 };
    this.slots.push(slot);
    return slot;
  }

  private ensure(slot: SessionSlot): Promise<void> {
    if (CookieSessionPool.signedIn(slot) && !slot.login) return Promise.resolve();
    slot.login ??= this.signIn(slot)
      .then(() => {
        slot.gen++;
      })
      .finally(() => {
        slot.login = undefined;
      });
    return slot.login;
  }
}
