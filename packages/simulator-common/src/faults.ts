/**
 * Run-time fault injection shared by both simulators (same admin API on each):
 *
 *   POST   /__admin/faults   {"method":"PUT","path":"/entity/Default/23.200.001/Subcontract","kind":"commit_then_drop","times":1}
 *   GET    /__admin/faults   -> the active rules with how often each has fired
 *   DELETE /__admin/faults   -> clears every rule
 *   GET    /__admin/requests -> how many requests each "METHOD /path" received (benchmarks count API calls)
 *   DELETE /__admin/requests -> resets those counts
 *
 * `path` matches the request path without its query; `*` matches any run of characters. `times` (default 1)
 * is how many matching requests the rule applies to; 0 means every request until cleared. `bodyContains` also
 * requires the request body to contain that text (e.g. `"PROCORE-7700101"`), so a fault hits one record's write
 * while other records' writes to the same route go through: tests run many such cases at once. Only requests
 * a body rule could match are buffered; the simulators' body parsers read the buffered body (`rawBodyOf`).
 *
 * Kinds:
 *  - latency:          wait `latencyMs` (+ up to `jitterMs`) then handle normally
 *  - error:            answer `status` (default 503) without handling (with `retryAfterSeconds` as Retry-After)
 *  - rate_limit:       answer 429 (with `retryAfterSeconds` as Retry-After when given) without handling
 *  - timeout:          never answer (the socket is closed after `latencyMs`, default 60 s)
 *  - reset:            destroy the connection without handling
 *  - commit_then_drop: handle the request (the change is applied), then destroy the connection instead of answering
 *                      (after `latencyMs`, if given: a response that hangs after the commit, then is lost)
 */
import type { NextFunction, Request, Response, Router } from 'express';
import express from 'express';
import { z } from 'zod';

export const faultRuleSchema = z
  .object({
    method: z.string().toUpperCase().default('*'),
    path: z.string().min(1),
    kind: z.enum(['latency', 'error', 'rate_limit', 'timeout', 'reset', 'commit_then_drop']),
    times: z.number().int().min(0).default(1),
    status: z.number().int().min(400).max(599).optional(),
    latencyMs: z.number().int().min(0).optional(),
    jitterMs: z.number().int().min(0).optional(),
    retryAfterSeconds: z.number().int().min(0).optional(),
    bodyContains: z.string().min(1).optional(),
  })
  .strict();

export type FaultRule = z.infer<typeof faultRuleSchema>;

interface ActiveRule extends FaultRule {
  id: number;
  fired: number;
  matcher: RegExp;
}

type RequestWithRawBody = Request & { rawBody?: Buffer };

/** The body the fault injector already read from the socket (to match `bodyContains`), if it did. */
export function rawBodyOf(req: Request): Buffer | undefined {
  return (req as RequestWithRawBody).rawBody;
}

function globToRegExp(glob: string): RegExp {
  const escaped = glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${escaped}$`);
}

export class FaultInjector {
  private rules: ActiveRule[] = [];
  private nextId = 1;
  /** Requests seen per "METHOD /path" (ids included), for benchmarks that count API calls. */
  readonly requestCounts = new Map<string, number>();

  add(input: unknown): ActiveRule {
    const rule = faultRuleSchema.parse(input);
    const active: ActiveRule = { ...rule, id: this.nextId++, fired: 0, matcher: globToRegExp(rule.path) };
    this.rules.push(active);
    return active;
  }

  clear(): void {
    this.rules = [];
  }

  list(): Array<Omit<ActiveRule, 'matcher'>> {
    return this.rules.map(({ matcher: _m, ...rest }) => rest);
  }

  private routeMatches(r: ActiveRule, method: string, path: string): boolean {
    return (r.method === '*' || r.method === method) && r.matcher.test(path);
  }

  /** Finds the first rule matching this request (and its body, when known) and consumes one of its `times`. */
  take(method: string, path: string, body?: string): ActiveRule | undefined {
    const rule = this.rules.find(
      (r) =>
        this.routeMatches(r, method, path) &&
        (r.bodyContains === undefined || (body !== undefined && body.includes(r.bodyContains))),
    );
    if (!rule) return undefined;
    rule.fired++;
    if (rule.times > 0 && rule.fired >= rule.times) this.rules = this.rules.filter((r) => r !== rule);
    return rule;
  }

  /** Express middleware applying the rules; mount it before the simulator's routes. */
  middleware() {
    return (req: Request, res: Response, next: NextFunction): void => {
      if (req.path.startsWith('/__admin')) return next();
      const key = `${req.method} ${req.path}`;
      this.requestCounts.set(key, (this.requestCounts.get(key) ?? 0) + 1);
      if (!this.rules.some((r) => r.bodyContains !== undefined && this.routeMatches(r, req.method, req.path))) {
        return this.apply(this.take(req.method, req.path), req, res, next);
      }
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks);
        (req as RequestWithRawBody).rawBody = raw;
        this.apply(this.take(req.method, req.path, raw.toString('utf8')), req, res, next);
      });
      req.on('error', next);
    };
  }

  private apply(rule: ActiveRule | undefined, req: Request, res: Response, next: NextFunction): void {
    if (!rule) return next();
    const delay = (rule.latencyMs ?? 0) + Math.floor(Math.random() * (rule.jitterMs ?? 0));
    switch (rule.kind) {
      case 'latency':
        setTimeout(next, delay);
        return;
      case 'error':
        if (rule.retryAfterSeconds !== undefined) res.setHeader('Retry-After', String(rule.retryAfterSeconds));
        res.status(rule.status ?? 503).json({ message: `Injected fault: HTTP ${rule.status ?? 503}` });
        return;
      case 'rate_limit':
        if (rule.retryAfterSeconds !== undefined) res.setHeader('Retry-After', String(rule.retryAfterSeconds));
        res.status(429).json({ message: 'Injected fault: rate limit exceeded' });
        return;
      case 'timeout':
        setTimeout(() => req.socket.destroy(), rule.latencyMs ?? 60_000).unref();
        return;
      case 'reset':
        req.socket.destroy();
        return;
      case 'commit_then_drop': {
        // Let the handler apply the change, then drop the connection instead of sending its answer.
        const drop = () => {
          if (delay > 0) setTimeout(() => req.socket.destroy(), delay).unref();
          else req.socket.destroy();
          return res;
        };
        res.end = drop as unknown as Response['end'];
        res.writeHead = drop as unknown as Response['writeHead'];
        next();
        return;
      }
    }
  }

  /** The admin routes above, to mount on the simulator's app. */
  adminRouter(): Router {
    const router = express.Router();
    router.post('/__admin/faults', express.json(), (req, res) => {
      const parsed = faultRuleSchema.safeParse(req.body);
      if (!parsed.success) {
        res.status(400).json({ message: 'Invalid fault rule', issues: parsed.error.issues });
        return;
      }
      const { matcher: _m, ...rule } = this.add(parsed.data);
      res.status(201).json(rule);
    });
    router.get('/__admin/faults', (_req, res) => {
      res.json(this.list());
    });
    router.delete('/__admin/faults', (_req, res) => {
      this.clear();
      res.status(204).end();
    });
    router.get('/__admin/requests', (_req, res) => {
      res.json(Object.fromEntries(this.requestCounts));
    });
    router.delete('/__admin/requests', (_req, res) => {
      this.requestCounts.clear();
      res.status(204).end();
    });
    return router;
  }
}
