/**
 * `npm run demo` (against a running `npm start`): the accounting approver accepts the demo subcontract in the
 * Procore simulator; we wait for the export, then print the Acumatica Subcontract and the Procore origin_id.
 * Exits 0 only if the Subcontract carries the commitment's marker and Procore's origin_id holds its number.
 *
 * `npm run demo -- --all`: every document of the second, real-shaped demo project (setup/demo-all.ts), each
 * Acumatica document printed line by line; exits 0 only if every figure equals its Procore source.
 */
import { localOperatorHeaders } from './local-operator-key';
import { AcumaticaClient } from '../clients/acumatica/client';
import { eq } from '../clients/acumatica/odata';
import { ProcoreClient } from '../clients/procore/client';
import { procoreMarker, erpRequestWorkflowId } from '../lib/ids';
import { DEMO_COMPANY, DEMO_PROCORE_CLIENT, DEMO_PROJECT, DEMO_SUBCONTRACTS } from 'simulator-common';
import { LOCAL_PORTS } from './local-ports';
import { runScript } from './run-script';
import { runDemoAll } from '../setup/demo-all';

const PROCORE = `http://127.0.0.1:${LOCAL_PORTS.procoreSim}`;
const ACUMATICA = `http://127.0.0.1:${LOCAL_PORTS.acumaticaSim}`;
const API = `http://127.0.0.1:${LOCAL_PORTS.api}`;
const companyId = DEMO_COMPANY.procoreCompanyId;
const subcontract = DEMO_SUBCONTRACTS[0];

async function json<T>(res: Response): Promise<T> {
  if (!res.ok) throw new Error(`${res.url} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}

type Sync = {
  status: string;
  result?: { status: string; acumaticaKey?: string; messages: string[] };
  failure?: string;
};

/** Polls the connector's API until the workflow closes (or a minute passes). */
async function waitForSync(workflowId: string): Promise<Sync> {
  const t0 = Date.now();
  let sync: Sync = { status: 'PENDING' };
  while (Date.now() - t0 < 60_000) {
    const res = await fetch(`${API}/syncs/${workflowId}`, { headers: localOperatorHeaders() });
    if (res.ok) sync = (await res.json()) as Sync;
    if (!['PENDING', 'RUNNING'].includes(sync.status)) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  return sync;
}

/** The accounting approver accepts the item in Procore's ERP Integrations tool; the webhook starts the export. */
async function acceptAndWait(itemType: string, itemId: string): Promise<{ workflowId: string; sync: Sync }> {
  const accepted = await json<{ erp_request_id: string | number }>(
    await fetch(`${PROCORE}/__admin/erp/accept`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ company_id: companyId, item_type: itemType, item_id: itemId }),
    }),
  );
  const workflowId = erpRequestWorkflowId(companyId, String(accepted.erp_request_id));
  return { workflowId, sync: await waitForSync(workflowId) };
}

function clients() {
  const acumatica = new AcumaticaClient({
    baseUrl: ACUMATICA,
    tenant: DEMO_COMPANY.acumaticaTenant,
    username: DEMO_COMPANY.acumaticaLogin.name,
    password: DEMO_COMPANY.acumaticaLogin.password,
  });
  const procore = new ProcoreClient({
    baseUrl: PROCORE,
    clientId: DEMO_PROCORE_CLIENT.clientId,
    clientSecret: DEMO_PROCORE_CLIENT.clientSecret,
  });
  return { acumatica, procore };
}

async function demoAll(): Promise<number> {
  const { acumatica, procore } = clients();
  try {
    const { ok } = await runDemoAll({
      procore,
      acumatica,
      companyId,
      exportItem: async (itemType, itemId) => {
        const { sync } = await acceptAndWait(itemType, itemId);
        return sync.result ?? { status: sync.status, messages: [sync.failure ?? 'no result'] };
      },
      runImport: async (entities) => {
        const res = await fetch(`${API}/imports`, {
          method: 'POST',
          headers: { ...localOperatorHeaders(), 'content-type': 'application/json' },
          body: JSON.stringify({ companyId, entities }),
        });
        const { workflowId } = await json<{ workflowId: string }>(res);
        await waitForSync(workflowId);
      },
      log: (line) => console.log(line),
    });
    return ok ? 0 : 1;
  } finally {
    await acumatica.close();
  }
}

async function main(): Promise<number> {
  const up = await fetch(`${API}/readyz`).then(
    (r) => r.ok,
    () => false,
  );
  if (!up) {
    console.error(`The connector is not running at ${API}: start it with \`npm start\` first.`);
    return 1;
  }
  if (process.argv.includes('--all')) return demoAll();

  console.log(`Accepting ${subcontract.number} "${subcontract.title}" in Procore's ERP Integrations tool...`);
  const t0 = Date.now();
  const { workflowId, sync } = await acceptAndWait('work_order_contract', subcontract.procoreId);
  const elapsed = Date.now() - t0;
  console.log(`ERP request raised; webhook sent. Workflow: ${workflowId}`);
  console.log(`Workflow ${sync.status} after ${elapsed} ms: ${JSON.stringify(sync.result ?? sync.failure)}`);
  if (sync.result?.status !== 'success') return 1;

  const { acumatica, procore } = clients();
  try {
    const marker = procoreMarker(subcontract.procoreId);
    const found = await acumatica.list('Subcontract', { filter: eq('VendorRef', marker), expand: ['Details'] });
    const contract = await procore.getWorkOrderContract(companyId, DEMO_PROJECT.procoreId, subcontract.procoreId);
    const sc = found[0] as Record<string, { value?: unknown }> & {
      Details?: Array<Record<string, { value?: unknown }>>;
    };
    console.log('\nAcumatica Subcontract:');
    console.log(
      JSON.stringify(
        {
          SubcontractNbr: sc?.SubcontractNbr?.value,
          VendorID: sc?.VendorID?.value,
          VendorRef: sc?.VendorRef?.value,
          Description: sc?.Description?.value,
          Status: sc?.Status?.value,
          SubcontractTotal: sc?.SubcontractTotal?.value,
          Details: sc?.Details?.map((d) => `${d.LineNbr?.value} ${d.CostCode?.value} ${d.Amount?.value}`),
        },
        null,
        2,
      ),
    );
    console.log(`\nProcore commitment ${contract.number}: origin_id = ${contract.origin_id}`);
    const ok = found.length === 1 && sc.VendorRef?.value === marker && contract.origin_id === sc.SubcontractNbr?.value;
    console.log(ok ? `\nOK: exported exactly once, approval to success in ${elapsed} ms.` : '\nMISMATCH: see above.');
    return ok ? 0 : 1;
  } finally {
    await acumatica.close();
  }
}

runScript(main, { stack: true });
