/**
 * The onboarding preflight (`npm run connector -- check`, and `connect` before it stores anything): one line per
 * check, pass / warn / fail, each failure with what to do. Reads only; the Acumatica session it opens is logged
 * out at the end so the check never keeps an API-user slot.
 */
import type { AcumaticaClient } from '../clients/acumatica/client';
import { SUPPORTED_ENDPOINT_VERSIONS, VERSION_RELEASES, missingEntityMessage } from '../clients/acumatica/versions';
import type { ProcoreClient } from '../clients/procore/client';
import { secretRefProblem } from '../lib/secrets';
import type { CompanyConnection } from '../store/connections';
import { ERP_REQUESTS_RESOURCE, WEBHOOK_NAMESPACE, webhookUrl } from './connect';

export type CheckStatus = 'pass' | 'warn' | 'fail';

export interface CheckResult {
  check: CheckName;
  status: CheckStatus;
  /** What was found. */
  detail: string;
  /** What to do (on warn and fail). */
  fix?: string;
}

export const CHECKS = {
  'procore-company': 'Procore: the DMSA can reach this company',
  'procore-erp-tool': 'Procore: ERP Integrations tool enabled for the DMSA',
  'acumatica-reachable': 'Acumatica: instance reachable, release read',
  'acumatica-endpoint': 'Acumatica: a supported endpoint version',
  'acumatica-login': 'Acumatica: credentials work',
  'acumatica-api-slots': 'Acumatica: a free API-user slot',
  'acumatica-projects': 'Acumatica: Projects feature on',
  'acumatica-subcontract': 'Acumatica: Subcontract entity in the endpoint',
  'acumatica-po-approval': 'Acumatica: PO approval setting',
  'acumatica-branches': 'Acumatica: every named branch exists',
  'procore-webhook': 'Procore: webhook hook points at the connector',
} as const;
export type CheckName = keyof typeof CHECKS;

export interface CheckInput {
  connection: CompanyConnection;
  procore: ProcoreClient;
  /** Built lazily: resolving the password reference may itself fail, which the login check reports. */
  acumatica: () => AcumaticaClient;
  /** The webhook check runs only when the hook should exist (after connect, or for a stored connection). */
  apiPublicUrl?: string;
}

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));
const statusOf = (err: unknown) => (err as { details?: { status?: number } }).details?.status;

export async function runChecks(input: CheckInput): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  const add = (check: CheckName, status: CheckStatus, detail: string, fix?: string) =>
    results.push({ check, status, detail, ...(fix ? { fix } : {}) });
  const companyId = input.connection.procoreCompanyId;

  await checkProcore(input.procore, companyId, add);
  let acumatica: AcumaticaClient | undefined;
  try {
    acumatica = input.acumatica();
  } catch (err) {
    add('acumatica-login', 'fail', message(err), secretFix(input.connection.acumaticaPasswordRef));
  }
  if (acumatica) {
    try {
      await checkAcumatica(acumatica, input.connection, add);
    } finally {
      await acumatica.close().catch(() => undefined);
    }
  }
  if (input.apiPublicUrl) results.push(await webhookCheck(input.procore, companyId, input.apiPublicUrl));
  return results;
}

type Add = (check: CheckName, status: CheckStatus, detail: string, fix?: string) => void;

async function checkProcore(procore: ProcoreClient, companyId: string, add: Add): Promise<void> {
  try {
    const [company] = await procore.listCompanies(companyId);
    add('procore-company', 'pass', `company ${companyId} "${company?.name ?? '?'}" is visible to the DMSA`);
  } catch (err) {
    const status = statusOf(err);
    add(
      'procore-company',
      'fail',
      message(err),
      status === 403 || status === 404
        ? `Install the connector's app in Procore company ${companyId} (Company Admin > App Management) with the DMSA's permissions`
        : 'Check PROCORE_API_URL, PROCORE_CLIENT_ID and PROCORE_CLIENT_SECRET (the DMSA credentials from the Developer Portal)',
    );
    return;
  }
  try {
    await procore.latestErpRequest(companyId);
    add('procore-erp-tool', 'pass', 'the ERP Integrations API answers for this company');
  } catch (err) {
    add(
      'procore-erp-tool',
      'fail',
      message(err),
      "Enable the ERP Integrations tool for the company (Procore support switches it on for an ERP connector) and give the DMSA's service account Admin on it",
    );
  }
}

/** `<name>/<version>` of an endpoint other than the configured one that has Subcontract, if any. */
async function subcontractExtension(client: AcumaticaClient): Promise<string | undefined> {
  const info = await client.getVersionInfo({ authenticated: true });
  const others = info.endpoints.filter(
    (e) =>
      e.name !== 'Default' &&
      e.name !== client.endpointName &&
      (SUPPORTED_ENDPOINT_VERSIONS as readonly string[]).includes(e.version),
  );
  for (const e of others)
    if ((await client.endpointCapabilities(e.name, e.version)).hasEntity('Subcontract'))
      return `${e.name}/${e.version}`;
  return undefined;
}

async function checkAcumatica(client: AcumaticaClient, c: CompanyConnection, add: Add): Promise<void> {
  let build: string | undefined;
  try {
    const info = await client.getVersionInfo({ authenticated: false }); // reachability before any sign-in
    build = info.version.acumaticaBuildVersion;
    const endpoints = info.endpoints.map((e) => `${e.name}/${e.version}`).join(', ') || 'none';
    add(
      'acumatica-reachable',
      'pass',
      `build ${build ?? 'unknown'} (${(await client.release()) ?? 'release unknown'}); endpoints ${endpoints}`,
    );
  } catch (err) {
    add(
      'acumatica-reachable',
      'fail',
      message(err),
      `Check the Acumatica URL ${c.acumaticaUrl} is reachable from the worker`,
    );
    return;
  }
  let version: string;
  try {
    version = await client.negotiateVersion();
    const supported = (SUPPORTED_ENDPOINT_VERSIONS as readonly string[]).includes(version);
    const newer = await client.releaseWarning();
    add(
      'acumatica-endpoint',
      supported && !newer ? 'pass' : 'warn',
      `${client.endpointName}/${version}${supported ? ` (${VERSION_RELEASES[version]})` : ' (pinned; not a version the connector was tested with)'}${newer ? `. ${newer}` : ''}`,
      supported
        ? newer && 'Upgrade the connector to a version that knows this release'
        : `Supported: ${SUPPORTED_ENDPOINT_VERSIONS.join(', ')}`,
    );
  } catch (err) {
    add(
      'acumatica-endpoint',
      'fail',
      message(err),
      'Upgrade Acumatica, or pin a supported endpoint with --endpoint-version',
    );
    return;
  }

  // The first authenticated call signs in: its failure is the credentials' or the license's.
  let entities: { hasEntity(name: string): boolean };
  try {
    entities = await client.capabilities();
    add('acumatica-login', 'pass', `signed in as ${c.acumaticaUsername} on tenant ${c.acumaticaTenant}`);
    add(
      'acumatica-api-slots',
      'pass',
      'a session was opened (Acumatica does not report how many slots are free; the worker holds ACUMATICA_MAX_SESSIONS per tenant)',
    );
  } catch (err) {
    const text = message(err);
    if (/API Login Limit|API-user slot/i.test(text)) {
      add('acumatica-login', 'warn', 'not tried: no session could be opened', 'See acumatica-api-slots');
      add(
        'acumatica-api-slots',
        'fail',
        text,
        'Free a slot: sign out other integrations, wait for idle sessions to time out (10 min), or raise "Maximum Number of Web Services API Users" in the license',
      );
    } else {
      add(
        'acumatica-login',
        'fail',
        text,
        `Check user ${c.acumaticaUsername}, tenant ${c.acumaticaTenant} and the password at ${c.acumaticaPasswordRef}`,
      );
    }
    return;
  }

  try {
    await client.list('Project', { top: 1, select: ['ProjectID'] });
    add('acumatica-projects', 'pass', 'projects can be read');
  } catch (err) {
    add(
      'acumatica-projects',
      'fail',
      message(err),
      'Turn on Project Accounting (and Construction) on Enable/Disable Features (CS100000), and give the API user access to Projects (PM301000)',
    );
  }

  if (entities.hasEntity('Subcontract'))
    add('acumatica-subcontract', 'pass', `${client.endpointName}/${version} has Subcontract`);
  else {
    // An extension with Subcontract may be installed but not configured (GET /entity lists it once signed in).
    const found = await subcontractExtension(client).catch(() => undefined);
    if (found)
      add(
        'acumatica-subcontract',
        'fail',
        `${client.endpointName}/${version} has no Subcontract entity, but the endpoint extension ${found} has it`,
        `Connect the company again with --endpoint ${found.replace('/', ' --endpoint-version ')}`,
      );
    else add('acumatica-subcontract', 'fail', missingEntityMessage('Subcontract', version, build, client.endpointName));
  }

  try {
    const pending = await client.list('PurchaseOrder', {
      filter: "Status eq 'Pending Approval'",
      select: ['OrderNbr'],
      top: 1,
    });
    if (pending.length > 0)
      add(
        'acumatica-po-approval',
        'warn',
        `purchase orders await approval (e.g. ${String((pending[0].OrderNbr as { value?: unknown })?.value ?? '')}): PO approval is required`,
        'Exported POs will stay Pending Approval until approved in Acumatica (PO101000 "Require Approval"); the connector reports each one',
      );
    else
      add(
        'acumatica-po-approval',
        'pass',
        'no purchase order pending approval (the setting itself cannot be read through the API; the first exported PO left Pending Approval is reported)',
      );
  } catch (err) {
    add('acumatica-po-approval', 'warn', `could not be read: ${message(err)}`);
  }

  try {
    const structure = await client.put('CompaniesStructure', {}, { expand: ['Results'] });
    const rows = (structure.Results ?? []) as Array<Record<string, { value?: unknown }>>;
    const known = new Map(rows.map((r) => [String(r.BranchID?.value ?? '').toUpperCase(), String(r.BranchID?.value)]));
    const named = [...new Set([...(c.acumaticaBranch ? [c.acumaticaBranch] : []), ...c.branches])];
    const missing = named.filter((b) => !known.has(b.toUpperCase()));
    if (missing.length === 0) add('acumatica-branches', 'pass', `found ${named.join(', ') || '(none named)'}`);
    else
      add(
        'acumatica-branches',
        'fail',
        `branch ${missing.join(', ')} not found; the tenant has ${[...known.values()].join(', ') || 'no branches visible to this user'}`,
        'Name branches by their Branch ID (Branches, CS102000) in --branches / --login-branch',
      );
  } catch (err) {
    add('acumatica-branches', 'fail', message(err), 'Give the API user access to Companies Structure (CS401000)');
  }
}

/** The company's hook in our namespace posts to <apiPublicUrl>/webhooks/procore and has the ERP trigger. */
export async function webhookCheck(
  procore: ProcoreClient,
  companyId: string,
  apiPublicUrl: string,
): Promise<CheckResult> {
  const expected = webhookUrl(apiPublicUrl);
  const fix = 'Run npm run connector -- connect (or rotate-token) again; check API_PUBLIC_URL';
  const result = (status: CheckStatus, detail: string): CheckResult =>
    status === 'pass'
      ? { check: 'procore-webhook', status, detail }
      : { check: 'procore-webhook', status, detail, fix };
  try {
    const hooks = await procore.listHooks(companyId, WEBHOOK_NAMESPACE);
    const hook = hooks.find((h) => h.destination_url === expected);
    if (!hook) {
      const found = hooks.map((h) => h.destination_url).join(', ') || 'no hook';
      return result('fail', `expected a hook posting to ${expected}; found ${found}`);
    }
    const triggers = await procore.listTriggers(companyId, String(hook.id));
    if (!triggers.some((t) => t.resource_name === ERP_REQUESTS_RESOURCE && t.event_type === 'create'))
      return result('fail', `hook ${hook.id} has no ${ERP_REQUESTS_RESOURCE}/create trigger`);
    return result('pass', `hook ${hook.id} posts ${ERP_REQUESTS_RESOURCE}/create to ${expected}`);
  } catch (err) {
    return result('fail', message(err));
  }
}

function secretFix(ref: string): string {
  return secretRefProblem(ref) ?? `Make ${ref} readable by the worker (and by this command)`;
}
