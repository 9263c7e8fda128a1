/**
 * Cookie sessions shared by every worker process of one Acumatica user (store/acumatica-sessions.ts keeps them
 * in PostgreSQL). A tenant's license has few API-user slots, and a worker killed without signing out leaves its
 * sessions open until Acumatica's idle timeout (10 minutes): with the sessions in a shared store, a restarted
 * or surviving worker picks them up instead of signing in again and hitting "API Login Limit". The slot count
 * (ACUMATICA_MAX_SESSIONS) is then per tenant user, not per process.
 */
export type SessionCookies = Record<string, string>;

export interface StoredSession {
  /** Bumped by every sign-in that replaces the slot's session: tells a stale copy from a renewed one. */
  version: number;
  cookies: SessionCookies;
}

export interface SharedSessionStore {
  /** The session saved for this slot, or undefined (none yet, or unreadable: signed in with another password). */
  load(slot: number): Promise<StoredSession | undefined>;
  /**
   * Saves a session this client just signed in, if the slot still holds version `replaces` (undefined: nothing).
   * Returns what the slot holds afterwards and whether it is ours; when another client won, the caller signs its
   * own session out and uses the winner's.
   */
  save(slot: number, cookies: SessionCookies, replaces: number | undefined): Promise<StoredSession & { ours: boolean }>;
  /** This client stops; true when no other live client uses the sessions (the caller then signs them out). */
  leave(): Promise<boolean>;
  /** The sessions were signed out: forget them. */
  clear(): Promise<void>;
}
