/** clients/procore/rate-pacer.ts: pacing from Procore's rate-limit headers around a window's reset. */
import { RatePacer } from '../../clients/procore/rate-pacer';

const headers = (limit: number, remaining: number, resetAtMs: number) =>
  new Headers({
    'x-rate-limit-limit': String(limit),
    'x-rate-limit-remaining': String(remaining),
    'x-rate-limit-reset': String(Math.floor(resetAtMs / 1000)),
  });
/** Whether `p` has settled after the pending microtasks and timers of this turn ran. */
const settled = async (p: Promise<unknown>) => {
  let done = false;
  void p.then(() => (done = true));
  await new Promise((r) => setTimeout(r, 10));
  return done;
};

describe('RatePacer', () => {
  let now = 1_000_000_000;
  const pacer = () => new RatePacer(() => now, 30_000);

  it('with the window unknown, sends one probe and holds the rest until its answer', async () => {
    const p = pacer();
    const probe = await p.acquire('GET /a');
    const second = p.acquire('GET /b');
    expect(await settled(second)).toBe(false);
    probe(headers(100, 99, now + 10_000));
    expect(await settled(second)).toBe(true);
  });

  it('after a reset, a call still in flight from the old window does not hold the probe back', async () => {
    const p = pacer();
    (await p.acquire('GET /a'))(headers(100, 90, now + 10_000));
    const slow = await p.acquire('PATCH /large-sync'); // sent in the old window, answers much later
    now += 11_000; // the window reset: its state is unknown again
    const probe = p.acquire('GET /b');
    expect(await settled(probe)).toBe(true);
    const third = p.acquire('GET /c');
    expect(await settled(third)).toBe(false); // waits for the probe's answer, not the slow call's
    (await probe)(headers(100, 98, now + 10_000));
    expect(await settled(third)).toBe(true);
    slow(headers(100, 97, now + 10_000));
    expect(p.snapshot).toMatchObject({ limit: 100, remaining: 97 });
  });

  it('a probe that fails without headers hands the probe to the next caller', async () => {
    const p = pacer();
    const probe = await p.acquire('GET /a');
    const next = p.acquire('GET /b');
    probe(); // network error: no headers
    expect(await settled(next)).toBe(true);
    const after = p.acquire('GET /c');
    expect(await settled(after)).toBe(false);
    (await next)(headers(100, 99, now + 10_000));
    expect(await settled(after)).toBe(true);
  });
});
