export default async function globalTeardown(): Promise<void> {
  const services = (globalThis as Record<string, unknown>).__connectorTestServices as
    { temporal: { stop(): Promise<void> }; db: { stop?: () => Promise<void> } } | undefined;
  await services?.temporal.stop();
  await services?.db.stop?.();
}
