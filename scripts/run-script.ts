/**
 * Runs a script's `main` and exits with the code it returns. A failure prints the error's message (`stack`:
 * the whole error) and exits 1.
 */
export function runScript(main: () => Promise<number>, opts: { stack?: boolean } = {}): void {
  main().then(
    (code) => process.exit(code),
    (err) => {
      console.error(opts.stack || !(err instanceof Error) ? err : err.message);
      process.exit(1);
    },
  );
}
