export default async function globalTeardown(): Promise<void> {
  const services = (globalThis as Record<string, unknown>).__connectorTestServices as
    { temporal: { stop(): Promise<void> }; db: { stop?: () => Promise<void> } } | undefined;
  // Named by two projects: the first call stops the services, the second finds nothing left.
  delete (globalThis as Record<string, unknown>).__connectorTestServices;
  await services?.temporal.stop();
  await services?.db.stop?.();
}
