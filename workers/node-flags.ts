/**
 * Node flags for a worker process. V8 sizes its old space from the machine (about 4 GB on 24 GiB) and collects
 * lazily until it nears that, so a worker's resident memory grows with garbage between import pages. The large
 * nightly import's live heap stays under 160 MB, so a 256 MB old space (WORKER_MAX_OLD_SPACE_MB) keeps the
 * worker near 300 MB RSS at the same speed; raise it for tenants with much larger pages.
 */
export const DEFAULT_WORKER_OLD_SPACE_MB = 256;

export function workerNodeFlags(env: NodeJS.ProcessEnv = process.env): string[] {
  return [`--max-old-space-size=${env.WORKER_MAX_OLD_SPACE_MB ?? DEFAULT_WORKER_OLD_SPACE_MB}`];
}
