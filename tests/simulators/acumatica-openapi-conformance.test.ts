/**
 * Conformance: every request body the AcumaticaClient sends and every response body the simulator returns are
 * validated against the OpenAPI document of the endpoint version in use (strictly: undeclared properties fail).
 * One scenario per Default version touches every entity the connector uses (reads, creates, updates, actions with
 * 202 polling, 400/404/412/422 errors, deletes). The older versions run on the ProcoreConnector endpoint extension (Default + Subcontract),
 * so they are checked against their document plus the extension's entity.
 *
 * Exchanges outside the Default documents (GET /entity, login/logout, action status polls, swagger.json) are
 * skipped and counted. 404 and 429 are not declared by the documents (Acumatica's docs describe them): their
 * bodies are checked against HttpError.
 */
import { AcumaticaClient, val } from '../../clients/acumatica/client';
import { eq } from '../../clients/acumatica/odata';
import { documentWithExtension, loadDocument, type AcumaticaRelease } from 'acumatica-simulator/src/contract';
import { OpenApiChecker } from 'acumatica-simulator/src/schema-check';
import { createAcumaticaSimulator } from 'acumatica-simulator/src/server';
import { DEMO_COMPANY, DEMO_PROJECT } from 'simulator-common';

interface Exchange {
  method: string;
  url: string;
  requestBody?: unknown;
  status: number;
  responseBody?: unknown;
}

const CASES: Array<{ release: AcumaticaRelease; version: string; extension: boolean }> = [
  { release: '2022R1', version: '20.200.001', extension: true },
  { release: '2023R1', version: '22.200.001', extension: true },
  { release: '2024R1', version: '23.200.001', extension: false },
  { release: '2024R2', version: '24.200.001', extension: false },
  { release: '2026R1', version: '25.200.001', extension: false },
  { release: '2026R2', version: '26.200.001', extension: false },
];

const P = DEMO_PROJECT.acumaticaProjectId;
const report: string[] = [];

afterAll(() => {
  console.log(`Acumatica OpenAPI conformance:\n${report.join('\n')}`);
});

/** Drives the client through every entity the connector uses. */
async function scenario(c: AcumaticaClient, version: string): Promise<void> {
  const swallow = (p: Promise<unknown>) =>
    p.then(
      () => undefined,
      () => undefined,
    );
  await c.list('Vendor', { expand: ['MainContact'], top: 3 });
  await c.get('Vendor', 'V100231', { select: ['VendorID', 'VendorName', 'LastModifiedDateTime'] });
  await c.put('Vendor', { VendorID: 'VCONF01', VendorName: "Conformance & O'Neil", VendorClass: 'SUPPLIER' });
  await swallow(c.put('Vendor', { VendorID: 'VCONF01', VendorName: 'dup' }, { mode: 'insert' })); // 412
  await swallow(c.put('Vendor', { VendorID: 'VCONF02', VendorClass: 'NOPE' })); // 422
  await swallow(c.put('Vendor', { VendorID: 'VCONF03', NotAField: 'x' })); // 400
  await swallow(c.get('Vendor', 'NOSUCH')); // 404
  await c.put('CompaniesStructure', {}, { expand: ['Results'] });
  await c.list('CostCode');
  await c.list('AccountGroup');
  await c.list('Project', { filter: eq('ProjectID', P) });
  await c.list('ProjectTask', { filter: eq('ProjectID', P) });
  await c.put('ProjectTask', { ProjectID: P, ProjectTaskID: '09', Description: 'Conformance task' });
  await c
    .invokeAction('ProjectTask', version === '20.200.001' ? 'nope' : 'ActivateProjectTask', {
      entity: { ProjectID: P, ProjectTaskID: '09' },
    })
    .catch(() => undefined);
  await c.put('ProjectBudget', {
    ProjectID: P,
    ProjectTaskID: '01',
    AccountGroup: 'SUBCONTR',
    CostCode: '03-300',
    Type: 'Cost',
    OriginalBudgetedAmount: 361250,
  });
  await swallow(c.put('ProjectBudget', { ProjectID: P, AccountGroup: 'SUBCONTR', CostCode: '03-300', Type: 'Cost' })); // 422 no task
  const po = await c.put(
    'PurchaseOrder',
    {
      VendorID: 'V100301',
      VendorRef: 'PC-CONF-PO',
      Hold: false,
      Details: [
        { Project: P, ProjectTask: '01', CostCode: '06-100', OrderQty: 10, UnitCost: 12.5, LineDescription: 'Studs' },
      ],
    },
    { expand: ['Details'] },
  );
  const sc = await c.put(
    'Subcontract',
    {
      VendorID: 'V100231',
      VendorRef: 'PC-CONF-SC',
      RetainagePct: 10,
      ApplyRetainage: true,
      Details: [{ Project: P, Task: '01', CostCode: '03-300', Amount: 1000, LineDescription: 'Slab' }],
    },
    { expand: ['Details'] },
  );
  await c.invokeAction('Subcontract', 'ReleaseFromHold', { entity: { id: sc.id } });
  await c.list('Subcontract', { filter: eq('VendorRef', 'PC-CONF-SC'), expand: ['Details'] });
  const co = await c.put(
    'ChangeOrder',
    {
      ProjectID: P,
      ExternalRefNbr: 'PC-CONF-CO',
      Description: 'Conformance CO',
      Hold: false,
      CostBudget: [{ ProjectTaskID: '01', AccountGroup: 'SUBCONTR', CostCode: '03-300', Amount: 100 }],
      RevenueBudget: [{ ProjectTaskID: '01', AccountGroup: 'REVENUE', Amount: 120 }],
      Commitments: [
        { PONbr: val(sc.SubcontractNbr), POLineNbr: 1, ProjectTaskID: '01', CostCode: '03-300', Amount: 100 },
      ],
    },
    { expand: ['CostBudget', 'RevenueBudget', 'Commitments'] },
  );
  await c.invokeAction('ChangeOrder', 'ReleaseChangeOrder', { entity: { RefNbr: val(co.RefNbr) } });
  const bill = await c.put(
    'Bill',
    {
      Vendor: 'V100231',
      VendorRef: 'PC-CONF-BILL',
      Details: [
        {
          POOrderType: 'Subcontract',
          POOrderNbr: val(sc.SubcontractNbr),
          POLine: 1,
          Qty: 1,
          UnitCost: 500,
          TransactionDescription: 'Progress 1',
          custom: { Transactions: { RetainagePct: { type: 'CustomDecimalField', value: 10 } } },
        },
      ],
      custom: { Document: { RetainageApply: { type: 'CustomBooleanField', value: true } } },
    },
    {
      expand: ['Details'],
      custom: ['Document.RetainageApply', 'Document.CuryRetainageTotal', 'Transactions.CuryRetainageAmt'],
    },
  );
  await c.invokeAction('Bill', 'ReleaseBill', { entity: { Type: 'Bill', ReferenceNbr: val(bill.ReferenceNbr) } });
  await swallow(
    c.invokeAction('Bill', 'ReleaseBill', { entity: { Type: 'Bill', ReferenceNbr: val(bill.ReferenceNbr) } }),
  ); // 422
  const check = await c.put(
    'Check',
    {
      Vendor: 'V100231',
      PaymentRef: '7001',
      Details: [{ DocType: 'Bill', ReferenceNbr: val(bill.ReferenceNbr), AmountPaid: 200 }],
    },
    { expand: ['Details'] },
  );
  await c.invokeAction('Check', 'ReleaseCheck', { entity: { id: check.id } });
  await c.get('Bill', ['Bill', String(val(bill.ReferenceNbr))], { expand: ['Applications', 'Details'] });
  await c.list('Check', { expand: ['Details', 'History'] });
  const tran = await c.put(
    'ProjectTransaction',
    {
      Description: 'Conformance expense',
      Details: [{ Project: P, ProjectTask: '01', CostCode: '01-500', AccountGroup: 'OTHER', Amount: 42.5 }],
    },
    { expand: ['Details'] },
  );
  await c.invokeAction('ProjectTransaction', 'ReleaseTransactions', { entity: { id: tran.id } });
  await c.list('ProjectBudget', { filter: eq('ProjectID', P) });
  await c.list('ProjectTransaction', { expand: ['Details'] });
  await c.delete('Vendor', 'VCONF01');
  await c.get('PurchaseOrder', ['Normal', String(val(po.OrderNbr))], { expand: ['Details'] });
}

describe.each(CASES)('Default/$version on $release', ({ release, version, extension }) => {
  it('requests and responses validate against the OpenAPI document', async () => {
    const sim = createAcumaticaSimulator({
      release,
      extensionEndpoint: extension ? { name: 'ProcoreConnector' } : undefined,
      actionPolls: 1,
    });
    const server = await sim.listen(0);
    const exchanges: Exchange[] = [];
    const recordingFetch: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      const text = await res.clone().text();
      exchanges.push({
        method: init?.method ?? 'GET',
        url: String(input),
        requestBody: typeof init?.body === 'string' && init.body.startsWith('{') ? JSON.parse(init.body) : undefined,
        status: res.status,
        responseBody: text ? JSON.parse(text) : undefined,
      });
      return res;
    };
    const c = new AcumaticaClient({
      baseUrl: server.url,
      tenant: DEMO_COMPANY.acumaticaTenant,
      branch: 'HQ',
      username: DEMO_COMPANY.acumaticaLogin.name,
      password: DEMO_COMPANY.acumaticaLogin.password,
      pollIntervalMs: 5,
      fetch: recordingFetch,
      endpointName: extension ? 'ProcoreConnector' : undefined,
    });
    try {
      expect(await c.negotiateVersion()).toBe(version);
      await scenario(c, version);
    } finally {
      await c.close();
      await server.close();
    }

    const doc = extension
      ? documentWithExtension(version, 'Subcontract', '23.200.001', 'ProcoreConnector')
      : loadDocument(version);
    const checker = new OpenApiChecker(doc);
    const httpError = doc.definitions
      ? { $ref: '#/definitions/HttpError' }
      : { $ref: '#/components/schemas/HttpError' };
    const base = `/entity/${extension ? 'ProcoreConnector' : 'Default'}/${version}`;
    const problems: string[] = [];
    const operations = new Set<string>();
    const entities = new Set<string>();
    let checked = 0;
    let skipped = 0;
    for (const x of exchanges) {
      const path = new URL(x.url).pathname;
      const op = path.startsWith(`${base}/`) ? checker.findOperation(x.method, path.slice(base.length)) : undefined;
      if (!op || /\/status\/[^/]+$/.test(path)) {
        skipped++;
        continue;
      }
      checked++;
      operations.add(op.operationId);
      entities.add(op.entity);
      const where = `${x.method} ${path} -> ${x.status}`;
      if (x.requestBody !== undefined) {
        const errors = checker.validate(x.requestBody, op.requestSchema, 'request');
        // The scenario sends exactly one body that breaks the contract on purpose: the simulator must answer 400.
        if (x.status === 400) {
          if (errors.length === 0) problems.push(`${where}: 400 for a body the document accepts`);
        } else problems.push(...errors.map((e) => `${where}: ${e}`));
      }
      const declared = String(x.status) in op.responses;
      if (!declared && ![404, 429].includes(x.status)) problems.push(`${where}: status not declared by the document`);
      const schema = declared ? op.responses[String(x.status)] : httpError;
      if (x.responseBody !== undefined)
        problems.push(...checker.validate(x.responseBody, schema, 'response').map((e) => `${where}: ${e}`));
    }
    report.push(
      `  ${extension ? 'ProcoreConnector' : 'Default'}/${version} (${release}${extension ? ', extension of Default with Subcontract' : ''}): ${checked} exchanges checked ` +
        `(${skipped} outside the document), ${entities.size} entities, ${operations.size} operations: ` +
        `${[...entities].sort().join(', ')}`,
    );
    expect(problems).toEqual([]);
    expect(entities.size).toBeGreaterThanOrEqual(13);
  });
});
