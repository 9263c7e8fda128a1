/**
 * The walking skeleton on every supported Acumatica release: for each release a full connector stack (both
 * simulators, API, worker, Temporal) exports an accepted subcontract and reads a vendor. The three releases
 * before 2023 R2 run with the Subcontract endpoint extension; without it the export fails with a message that
 * tells the approver what the customer must install.
 */
import { val } from '../../clients/acumatica/client';
import type { AcumaticaRelease } from 'acumatica-simulator/src/contract';
import { DEMO_SUBCONTRACTS } from 'simulator-common';
import { startConnectorStack } from '../../testing/connector-stack';

type Result = { status: string; acumaticaKey?: string; messages: string[] };
const [concrete] = DEMO_SUBCONTRACTS;

const MATRIX: Array<{ release: AcumaticaRelease; version: string; extension: boolean }> = [
  { release: '2022R1', version: '20.200.001', extension: true },
  { release: '2022R2', version: '22.200.001', extension: true },
  { release: '2023R1', version: '22.200.001', extension: true },
  { release: '2023R2', version: '23.200.001', extension: false },
  { release: '2024R1', version: '23.200.001', extension: false },
  { release: '2024R2', version: '24.200.001', extension: false },
  { release: '2025R1', version: '24.200.001', extension: false },
  { release: '2025R2', version: '25.200.001', extension: false },
  { release: '2026R1', version: '25.200.001', extension: false },
  { release: '2026R2', version: '26.200.001', extension: false },
];

describe.each(MATRIX)('Acumatica $release', ({ release, version, extension }) => {
  it(`negotiates Default/${version}, reads a vendor and exports a subcontract`, async () => {
    const stack = await startConnectorStack({
      acumaticaSimulator: { release, extensionEndpoint: extension ? { name: 'ProcoreConnector' } : undefined },
      acumaticaEndpoint: extension ? { name: 'ProcoreConnector' } : undefined,
    });
    try {
      expect(await stack.acumatica.negotiateVersion()).toBe(version);
      const vendor = await stack.acumatica.get('Vendor', 'V100231');
      expect(val(vendor.VendorName)).toBe('Acme Concrete & Paving, LLC');
      // LegalName arrives with Default/22.200.001: the simulator serves exactly the version's fields.
      expect('LegalName' in vendor).toBe(version !== '20.200.001');

      const { workflowId } = await stack.accept(concrete.procoreId);
      const result = await stack.waitForWorkflow<Result>(workflowId);
      expect(result).toMatchObject({ status: 'success' });
      const [sc] = await stack.subcontractsFor(concrete.procoreId);
      expect(val(sc.SubcontractNbr)).toBe(result.acumaticaKey);
      expect((sc.Details as unknown[]).length).toBe(concrete.lines.length);
      // The worker's Subcontract calls went to the endpoint the connection names.
      const log = (await (await fetch(`${stack.acumaticaUrl}/__admin/request-log`)).json()) as {
        requests: Array<{ method: string; path: string }>;
      };
      const puts = log.requests.filter((r) => r.method === 'PUT' && r.path.endsWith('/Subcontract'));
      expect(puts.map((r) => r.path)).toContain(
        `/entity/${extension ? 'ProcoreConnector' : 'Default'}/${version}/Subcontract`,
      );
      expect(log.requests.some((r) => r.path.startsWith(`/entity/Default/${version}/Subcontract`))).toBe(!extension);
    } finally {
      await stack.stop();
    }
  });
});

test('Acumatica 2023R1 without the Subcontract extension: the export fails saying what to install', async () => {
  const stack = await startConnectorStack({ acumaticaSimulator: { release: '2023R1' } });
  try {
    expect(await stack.acumatica.hasEntity('Subcontract')).toBe(false);
    await expect(stack.acumatica.requireEntity('Subcontract')).rejects.toThrow(
      /Acumatica 2023 R1 \(build 23\.107\.0023, endpoint Default\/22\.200\.001\) has no Subcontract entity\..*install the connector's endpoint extension: on Web Service Endpoints \(SM207060\) select Default\/22\.200\.001, click Extend Endpoint/,
    );
    const { workflowId } = await stack.accept(concrete.procoreId);
    const result = await stack.waitForWorkflow<Result>(workflowId);
    expect(result.status).toBe('failed');
    expect(result.messages.join(' ')).toMatch(/Subcontract/);
    expect(result.messages.join(' ')).toMatch(/install/i);
  } finally {
    await stack.stop();
  }
});
