/** Shared by both simulators: run-time fault injection and the demo contractor both are seeded with. */
export * from './faults';
export * from './demo-data';
export * from './inflight-data';
export * from './real-project-data';
export * from './request-log';
export * from './prng';
export * from './listen';
