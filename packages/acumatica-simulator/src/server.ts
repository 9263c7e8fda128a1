/**
 * Acumatica ERP simulator: one instance of a chosen release with the Default endpoint versions it ships, driven
 * by Acumatica's published OpenAPI documents (contract.ts): only the entities, fields and actions of the version
 * in the URL exist. Entity rules live in rules/, the contract-based endpoint in endpoint.ts, the JSON shape in
 * representation.ts, sessions and OAuth in sessions.ts, the license request limits in limits.ts, seeds in seed.ts.
 *
 *   GET  /entity                                  build version + Default endpoints of the release (no auth); an
 *                                                 authenticated caller also sees the extension endpoint
 *   POST /entity/auth/login | /entity/auth/logout cookie sessions (name, password, tenant, branch), API-user slots
 *   POST /identity/connect/token                  OAuth 2.0: password and refresh_token grants, scopes api and
 *                                                 offline_access, rotating refresh tokens (one session per grant)
 *   /entity/Default/<v>/...                       see endpoint.ts
 *   /entity/<Extension>/<v>/...                   the customer's endpoint extension (`extensionEndpoint`)
 *
 * Admin (same style as the Procore simulator):
 *   GET  /__admin/state          release, versions, counts, sessions, limits, settings
 *   POST /__admin/reset          {size?: 'demo'|'small'|'large'} reseed; drops sessions, faults, operations
 *   GET  /__admin/snapshot       the data as JSON;  POST /__admin/snapshot  replaces it
 *   POST /__admin/clock          {advanceMs}: shift the clock (session expiry, LastModifiedDateTime)
 *   POST /__admin/config         {maxApiUsers?, maxConcurrent?, maxPerMinute?, windowMs?, poApprovalRequired?,
 *                                 projectsFeature?}
 *   POST /__admin/vendor-branches {vendorId, branches: string[]}: the vendor's restriction group ([] = all)
 *   POST /__admin/approve-purchase-order {orderNbr, type?}: an approver approves a PO in 'Pending Approval'
 *   /__admin/faults              fault injection (packages/simulator-common/src/faults.ts)
 *
 * Choices: wrong credentials are 500 HttpError "Invalid credentials. Please try again." (Acumatica's PXException);
 * sign-in beyond the API-user slots is 429 "API Login Limit".
 *
 * Endpoint extensions: a system endpoint's contract cannot be edited; extending Default/<v> on SM207060 creates an
 * endpoint of its own name and version. `extensionEndpoint: {name: 'ProcoreConnector'}` emulates the one a
 * customer installs for the connector: `ProcoreConnector/<v>` (v = the release's newest Default version unless
 * given) with every entity of Default/<v> plus, where Default/<v> lacks it, SC301000 mapped as `Subcontract` with
 * exactly the Default/23.200.001 shape (fields, Details, actions). `/entity/Default/<v>/Subcontract` stays 404
 * before 2023 R2. GET /entity lists the extension only to an authenticated caller, like Acumatica's custom
 * endpoints (how a customer installs it: clients/acumatica/README.md).
 */
import express, { type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import { DEMO_COMPANY } from 'simulator-common';
import { FaultInjector, listenLocal, rawBodyOf } from 'simulator-common';
import {
  type AcumaticaRelease,
  type EndpointContract,
  documentWithExtension,
  loadContract,
  loadDocument,
  RELEASE_BUILDS,
  RELEASE_VERSIONS,
} from './contract';
import { createEntityEndpoint, httpError } from './endpoint';
import { LicenseRequestLimiter, type RequestLimits } from './limits';
import { type RequestContext, type TenantSettings, createEntityRules } from './rules';
import { applySeedActions, SEED_SIZES, type SeedSize } from './seed';
import { ACCESS_TOKEN_TTL_S, type Session, SessionManager } from './sessions';
import { AcumaticaStore, acuDate, sameKey } from './store';
import { requestLog } from 'simulator-common';

export interface AcumaticaSimulatorOptions {
  release?: AcumaticaRelease;
  /**
   * A customer's endpoint extension of Default: served as `<name>/<version>` (version default: the release's newest
   * Default version, which it extends), with Default's entities plus Subcontract (SC301000) where Default lacks it.
   */
  extensionEndpoint?: ExtensionEndpointOptions;
  /** License "Maximum Number of Web Services API Users" (default 2, like a trial license). */
  maxApiUsers?: number;
  /** License request limits (default none, like a trial license). */
  limits?: RequestLimits;
  /** Idle time after which a session is closed (default 10 minutes). */
  sessionIdleMs?: number;
  /** Clock override (the admin endpoint /__admin/clock can also shift it). */
  now?: () => Date;
  /** How many status polls of an action answer 202 before 204 (default 1; 0 = actions answer 204 at once). */
  actionPolls?: number;
  /** Seed size (default demo). */
  size?: SeedSize;
  /** Tenant settings (default: PO approval off, Projects feature on). */
  settings?: Partial<TenantSettings>;
}

export interface ExtensionEndpointOptions {
  name: string;
  /** The extension's version (also the Default version it extends); default the release's newest. */
  version?: string;
}

/** OAuth connected application of the demo tenant (client_id is `<GUID>@<Tenant>` like SM303010 generates). */
export const DEMO_OAUTH_CLIENT = {
  clientId: `4B3C1E2A-7D65-4F0B-9A51-2C8E6D7F9012@${DEMO_COMPANY.acumaticaTenant}`,
  clientSecret: 'demo-acumatica-oauth-secret',
} as const;

const SESSION_COOKIE = 'ASP.NET_SessionId';
const AUTH_COOKIE = '.ASPXAUTH';

function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0) out[part.slice(0, i).trim()] = decodeURIComponent(part.slice(i + 1).trim());
  }
  return out;
}

const configSchema = z
  .object({
    maxApiUsers: z.number().int().min(0).optional(),
    maxConcurrent: z.number().int().min(1).nullable().optional(),
    maxPerMinute: z.number().int().min(1).nullable().optional(),
    windowMs: z.number().int().min(1).optional(),
    poApprovalRequired: z.boolean().optional(),
    projectsFeature: z.boolean().optional(),
  })
  .strict();

export function createAcumaticaSimulator(opts: AcumaticaSimulatorOptions = {}) {
  const release: AcumaticaRelease = opts.release ?? '2024R1';
  const versions = RELEASE_VERSIONS[release];
  if (!versions) throw new Error(`Unknown Acumatica release ${release}`);
  let clockOffsetMs = 0;
  const now = (): Date => new Date((opts.now ? opts.now().getTime() : Date.now()) + clockOffsetMs);
  const settings: TenantSettings = { poApprovalRequired: false, projectsFeature: true, ...opts.settings };

  const store = new AcumaticaStore(now, opts.size ?? 'demo');
  const faults = new FaultInjector();
  const sessions = new SessionManager(opts.maxApiUsers ?? 2, opts.sessionIdleMs ?? 10 * 60_000, () => now().getTime());
  const limiter = new LicenseRequestLimiter(opts.limits);
  let loginCount = 0;
  /** Sign-ins refused with "API Login Limit" (tests assert a connector never runs into it). */
  let refusedLogins = 0;

  const newest = versions[versions.length - 1];
  const extension = opts.extensionEndpoint
    ? { name: opts.extensionEndpoint.name, version: opts.extensionEndpoint.version ?? newest }
    : undefined;
  if (extension && !(versions as readonly string[]).includes(extension.version))
    throw new Error(`Release ${release} has no Default/${extension.version} to extend`);
  if (extension?.name === 'Default') throw new Error('An endpoint extension needs a name of its own');
  /** What the extension adds to the Default version it extends. */
  const extensionEntities = (): string[] =>
    extension && !loadContract(extension.version).hasEntity('Subcontract') ? ['Subcontract'] : [];

  const contracts = new Map<string, EndpointContract>();
  const contractFor = (endpoint: string, version: string): EndpointContract | undefined => {
    const key = `${endpoint}/${version}`;
    let c = contracts.get(key);
    if (c) return c;
    if (endpoint === 'Default' && (versions as readonly string[]).includes(version)) c = loadContract(version);
    else if (extension && endpoint === extension.name && version === extension.version)
      c = loadContract(version).extend(endpoint, version, extensionEntities(), loadContract('23.200.001'));
    if (c) contracts.set(key, c);
    return c;
  };
  const extensionDocument = (endpoint: string, version: string): unknown => {
    const [entity] = extensionEntities();
    const doc = entity ? documentWithExtension(version, entity, '23.200.001', endpoint) : loadDocument(version);
    return { ...doc, info: { ...doc.info, title: `${endpoint}/${version}` } };
  };

  const branchExists = (b: unknown): boolean => DEMO_COMPANY.branches.some((x) => sameKey(x.branchId, b));
  const today = (): string => `${now().toISOString().slice(0, 10)}T00:00:00+00:00`;
  const rules = createEntityRules({ store, settings, today, branchExists });

  // The seeded demo documents are released through the rules (once now, and after every reset).
  const seedContext = (): RequestContext => ({
    version: newest,
    contract: contractFor('Default', newest)!,
    branch: DEMO_COMPANY.branches[0].branchId,
    session: {
      id: 'seed',
      auth: '',
      user: 'admin',
      tenant: DEMO_COMPANY.acumaticaTenant,
      branch: 'HQ',
      createdAt: 0,
      lastSeen: 0,
    },
  });
  store.afterSeed = (s) => applySeedActions(s, rules, seedContext());
  store.afterSeed(store);

  const currentSession = (req: Request): Session | undefined => {
    const bearer = /^Bearer\s+(.+)$/i.exec(req.header('Authorization') ?? '')?.[1];
    if (bearer) return sessions.bySessionToken(bearer.trim());
    return sessions.get(parseCookies(req.headers.cookie)[SESSION_COOKIE]);
  };

  const endpoint = createEntityEndpoint({
    versions,
    store,
    rules,
    settings,
    contractFor,
    extensionDocument,
    currentSession,
    branchExists,
    actionPolls: () => opts.actionPolls ?? 1,
    companyStructure: () => store.companyStructure(),
  });

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(requestLog());
  app.use(faults.adminRouter());
  app.use(faults.middleware());
  app.use(limiter.middleware());

  // ---------------------------------------------------------------- admin
  app.post('/__admin/reset', express.json(), (req, res) => {
    const size = req.body?.size as SeedSize | undefined;
    if (size !== undefined && !SEED_SIZES.includes(size))
      return httpError(res, 400, `size must be one of ${SEED_SIZES.join(', ')}`);
    store.reset(size ?? 'demo');
    sessions.clear();
    endpoint.clearOperations();
    faults.clear();
    limiter.reset();
    loginCount = 0;
    refusedLogins = 0;
    clockOffsetMs = 0;
    res.status(204).end();
  });
  app.get('/__admin/state', (_req, res) => {
    res.json({
      release,
      versions,
      extensionEndpoint: extension ?? null,
      size: store.size,
      counts: store.counts(),
      sessions: { active: sessions.count(), max: sessions.maxUsers, logins: loginCount, refusedLogins },
      limits: limiter.stats(),
      settings,
      now: now().toISOString(),
    });
  });
  app.get('/__admin/snapshot', (_req, res) => {
    res.json(store.snapshot());
  });
  app.post('/__admin/snapshot', express.json({ limit: '500mb' }), (req, res) => {
    if (!req.body || typeof req.body.records !== 'object')
      return httpError(res, 400, 'Not a snapshot from GET /__admin/snapshot');
    store.restore(req.body);
    res.status(204).end();
  });
  app.post('/__admin/clock', express.json(), (req, res) => {
    clockOffsetMs += Number(req.body?.advanceMs ?? 0);
    res.json({ now: now().toISOString() });
  });
  app.post('/__admin/config', express.json(), (req, res) => {
    const parsed = configSchema.safeParse(req.body ?? {});
    if (!parsed.success) return httpError(res, 400, 'Invalid config', { issues: parsed.error.issues });
    const c = parsed.data;
    if (c.maxApiUsers !== undefined) sessions.maxUsers = c.maxApiUsers;
    const limits: RequestLimits = {};
    if (c.maxConcurrent !== undefined) limits.maxConcurrent = c.maxConcurrent ?? undefined;
    if (c.maxPerMinute !== undefined) limits.maxPerMinute = c.maxPerMinute ?? undefined;
    if (c.windowMs !== undefined) limits.windowMs = c.windowMs;
    limiter.configure(limits);
    if (c.poApprovalRequired !== undefined) settings.poApprovalRequired = c.poApprovalRequired;
    if (c.projectsFeature !== undefined) settings.projectsFeature = c.projectsFeature;
    res.json({ maxApiUsers: sessions.maxUsers, ...limiter.stats(), ...settings });
  });
  app.post('/__admin/approve-purchase-order', express.json(), (req, res) => {
    const body = z.object({ orderNbr: z.string(), type: z.string().default('Normal') }).safeParse(req.body);
    if (!body.success) return httpError(res, 400, 'Expected {orderNbr, type?}');
    const rec = store.byKeys('PurchaseOrder', [body.data.type, body.data.orderNbr]);
    if (!rec) return httpError(res, 404, 'No such purchase order');
    if (rec.values.Status !== 'Pending Approval')
      return httpError(res, 409, `The order is ${String(rec.values.Status)}`);
    rec.internal.approval = 'approved';
    rec.values.Status = 'Open';
    store.touch(rec);
    res.json({ orderNbr: rec.values.OrderNbr, status: rec.values.Status });
  });
  app.post('/__admin/vendor-branches', express.json(), (req, res) => {
    const body = z.object({ vendorId: z.string(), branches: z.array(z.string()) }).safeParse(req.body);
    if (!body.success) return httpError(res, 400, 'Expected {vendorId, branches}');
    const rec = store.byKeys('Vendor', [body.data.vendorId]);
    if (!rec) return httpError(res, 404, 'No such vendor');
    rec.internal.branches = body.data.branches.map((b) => b.toUpperCase());
    store.touch(rec);
    res.json({ vendorId: rec.values.VendorID, branches: rec.internal.branches });
  });

  const jsonBody = express.json({ limit: '20mb', type: ['application/json', 'text/json'] });
  app.use((req: Request, res: Response, next: NextFunction) => {
    // The fault injector may have read the body already (to match a rule's bodyContains).
    const buffered = rawBodyOf(req);
    if (!buffered) return jsonBody(req, res, next);
    const text = buffered.toString('utf8');
    try {
      if (req.is(['application/json', 'text/json'])) req.body = text.trim() ? JSON.parse(text) : {};
      else req.body = Object.fromEntries(new URLSearchParams(text));
    } catch {
      return httpError(res, 400, 'The request is invalid: malformed JSON.');
    }
    next();
  });
  app.use(express.urlencoded({ extended: false }));

  // ---------------------------------------------------------------- version and auth
  app.get(['/entity', '/entity/'], (req, res) => {
    const build = RELEASE_BUILDS[release];
    const endpoints: Array<{ name: string; version: string; href: string }> = versions.map((v) => ({
      name: 'Default',
      version: v,
      href: `/entity/Default/${v}/`,
    }));
    // Custom endpoints are listed only to an authenticated caller.
    if (extension && currentSession(req))
      endpoints.push({
        name: extension.name,
        version: extension.version,
        href: `/entity/${extension.name}/${extension.version}/`,
      });
    res.json({ version: { acumaticaBuildVersion: build, databaseVersion: build }, endpoints });
  });

  const checkUser = (name: string, password: string, tenant: string): boolean =>
    name.toLowerCase() === DEMO_COMPANY.acumaticaLogin.name.toLowerCase() &&
    password === DEMO_COMPANY.acumaticaLogin.password &&
    (tenant === '' || tenant.toLowerCase() === DEMO_COMPANY.acumaticaTenant.toLowerCase());

  const loginLimit = (res: Response): void => {
    refusedLogins++;
    httpError(
      res,
      429,
      `API Login Limit: the license allows ${sessions.maxUsers} concurrent Web Services API users and all are in use.`,
      { exceptionMessage: 'API Login Limit', exceptionType: 'PX.Data.PXException' },
    );
  };

  app.post('/entity/auth/login', (req, res) => {
    const b = (req.body ?? {}) as Record<string, unknown>;
    const name = String(b.name ?? '');
    const tenant = String(b.tenant ?? b.company ?? '');
    const branch = b.branch === undefined || b.branch === null || b.branch === '' ? undefined : String(b.branch);
    if (!checkUser(name, String(b.password ?? ''), tenant))
      return httpError(res, 500, 'An error has occurred.', {
        exceptionMessage: 'Invalid credentials. Please try again.',
        exceptionType: 'PX.Data.PXException',
      });
    if (branch !== undefined && !branchExists(branch))
      return httpError(res, 500, 'An error has occurred.', {
        exceptionMessage: `Branch '${branch}' cannot be found in the system.`,
        exceptionType: 'PX.Data.PXException',
      });
    sessions.end(parseCookies(req.headers.cookie)[SESSION_COOKIE]);
    const s = sessions.create(
      name,
      DEMO_COMPANY.acumaticaTenant,
      branch?.toUpperCase() ?? DEMO_COMPANY.branches[0].branchId,
    );
    if (!s) return loginLimit(res);
    loginCount++;
    res.append('Set-Cookie', `${SESSION_COOKIE}=${s.id}; path=/; HttpOnly; SameSite=Lax`);
    res.append('Set-Cookie', `${AUTH_COOKIE}=${s.auth}; path=/; HttpOnly`);
    res.append('Set-Cookie', `UserBranch=${s.branch}; path=/`);
    res.status(204).end();
  });

  app.post('/entity/auth/logout', (req, res) => {
    const bearer = /^Bearer\s+(.+)$/i.exec(req.header('Authorization') ?? '')?.[1];
    if (bearer) sessions.endByToken(bearer.trim());
    sessions.end(parseCookies(req.headers.cookie)[SESSION_COOKIE]);
    res.append('Set-Cookie', `${SESSION_COOKIE}=; path=/; expires=Thu, 01 Jan 1970 00:00:00 GMT`);
    res.append('Set-Cookie', `${AUTH_COOKIE}=; path=/; expires=Thu, 01 Jan 1970 00:00:00 GMT`);
    res.status(204).end();
  });

  // OAuth 2.0 token endpoint (form-encoded, RFC 6749 error bodies).
  app.post('/identity/connect/token', (req, res) => {
    const b = (req.body ?? {}) as Record<string, string | undefined>;
    const oauthError = (status: number, error: string, description: string): void => {
      res.status(status).json({ error, error_description: description });
    };
    if (b.client_id !== DEMO_OAUTH_CLIENT.clientId || b.client_secret !== DEMO_OAUTH_CLIENT.clientSecret)
      return oauthError(401, 'invalid_client', 'Unknown client or wrong secret.');
    let issued: { accessToken: string; refreshToken?: string; scopes: string[] };
    if (b.grant_type === 'password') {
      const scopes = (b.scope ?? '').split(/\s+/).filter(Boolean);
      if (!scopes.includes('api')) return oauthError(400, 'invalid_scope', "The 'api' scope is required.");
      const unknown = scopes.filter((s) => !['api', 'offline_access', 'openid', 'profile', 'email'].includes(s));
      if (unknown.length) return oauthError(400, 'invalid_scope', `Unknown scope(s): ${unknown.join(' ')}`);
      if (!checkUser(b.username ?? '', b.password ?? '', ''))
        return oauthError(400, 'invalid_grant', 'Invalid username or password.');
      const g = sessions.grant(
        b.client_id,
        scopes,
        b.username!,
        DEMO_COMPANY.acumaticaTenant,
        DEMO_COMPANY.branches[0].branchId,
      );
      if (!g) return loginLimit(res);
      loginCount++;
      issued = { ...g, scopes };
    } else if (b.grant_type === 'refresh_token') {
      const r = sessions.refresh(b.client_id, b.refresh_token ?? '');
      if (r === 'invalid_grant')
        return oauthError(400, 'invalid_grant', 'The refresh token is invalid or was already used.');
      if (r === 'no_slot') return loginLimit(res);
      issued = r;
    } else {
      return oauthError(400, 'unsupported_grant_type', `grant_type '${b.grant_type ?? ''}' is not supported.`);
    }
    res.json({
      access_token: issued.accessToken,
      expires_in: ACCESS_TOKEN_TTL_S,
      token_type: 'Bearer',
      scope: issued.scopes.join(' '),
      ...(issued.refreshToken ? { refresh_token: issued.refreshToken } : {}),
    });
  });

  app.all(/^\/entity\/[^/]+\/[^/]+(\/.*)?$/, endpoint.handle);

  // Body parse errors and anything unexpected: HttpError shape.
  app.use((err: Error & { status?: number; type?: string }, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(err);
    if (err.type === 'entity.parse.failed')
      httpError(res, 400, 'The request is invalid.', { exceptionMessage: err.message });
    else httpError(res, err.status ?? 500, 'An error has occurred.', { exceptionMessage: err.message });
  });

  const listen = (port = 0) => listenLocal(app, port, () => limiter.reset());

  return {
    app,
    store,
    faults,
    release,
    versions,
    /** The endpoint extension served besides Default, if any. */
    extension,
    settings,
    limiter,
    /** Active API sessions (for tests). */
    activeSessions: (): number => sessions.count(),
    /** Successful sign-ins (cookie logins and OAuth password grants) since start/reset. */
    loginCount: (): number => loginCount,
    /** Shifts the simulator clock (session idle expiry, timestamps). */
    advanceClock: (ms: number): void => {
      clockOffsetMs += ms;
    },
    listen,
  };
}

export type AcumaticaSimulator = ReturnType<typeof createAcumaticaSimulator>;
export { acuDate };
