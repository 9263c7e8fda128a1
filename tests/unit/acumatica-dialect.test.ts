/**
 * The client's contract dialects (clients/acumatica/dialect.ts) and release handling (versions.ts): contract 4
 * passes everything through; contract 5 writes drop-downs by id, nests $expand, filters and addresses by id, and
 * hands records back in contract-4 terms. A release newer than the newest known one runs on the newest known
 * endpoint with a warning; an older unsupported one is refused naming the supported releases.
 */
import { AcumaticaClient } from '../../clients/acumatica/client';
import { ContractDialect, systemContractOf } from '../../clients/acumatica/dialect';
import { and, eq, gt } from '../../clients/acumatica/odata';
import { wrap } from '../../clients/acumatica/format';
import { newerReleaseWarning, releaseOfBuild, SUPPORTED_RELEASES } from '../../clients/acumatica/versions';

const c4 = new ContractDialect('25.200.001');
const c5 = new ContractDialect('26.200.001');

describe('contract dialects', () => {
  it('knows the system contract of a version', () => {
    expect(['20.200.001', '22.200.001', '23.200.001', '24.200.001', '25.200.001'].map(systemContractOf)).toEqual([
      4, 4, 4, 4, 4,
    ]);
    expect(systemContractOf('26.200.001')).toBe(5);
    expect(systemContractOf('27.100.001')).toBe(5);
  });

  it('contract 4 passes requests and records through unchanged', () => {
    const body = wrap({ Type: 'Normal', Details: [{ POOrderType: 'Subcontract' }] });
    expect(c4.body('Bill', body)).toBe(body);
    expect(c4.expand(['MainContact/Address'])).toEqual(['MainContact/Address']);
    expect(c4.filter('PurchaseOrder', "Type eq 'Normal'")).toBe("Type eq 'Normal'");
    expect(c4.keys('PurchaseOrder', ['Normal', 'PO1'])).toEqual(['Normal', 'PO1']);
  });

  it("leaves out fields an older version's contract lacks (20.200.001: ChangeOrderCommitment.POType)", () => {
    const body = wrap({ RefNbr: 'CO1', Commitments: [{ PONbr: 'SC1', POType: 'Subcontract', Amount: 5 }] });
    expect(new ContractDialect('20.200.001').body('ChangeOrder', body)).toEqual({
      RefNbr: { value: 'CO1' },
      Commitments: [{ PONbr: { value: 'SC1' }, Amount: { value: 5 } }],
    });
    expect(new ContractDialect('22.200.001').body('ChangeOrder', body)).toBe(body);
  });

  it('contract 5 nests $expand', () => {
    expect(c5.expand(['Details', 'MainContact/Address', 'MainContact/Phone', 'A/B/C'])).toEqual([
      'Details',
      'MainContact($expand=Address,Phone)',
      'A($expand=B($expand=C))',
    ]);
  });

  it('contract 5 writes drop-downs (also in detail lines) by id and date-only fields as dates', () => {
    const body = c5.body(
      'Bill',
      wrap({
        Type: 'Bill',
        Date: '2026-11-30T00:00:00+00:00',
        Vendor: 'V1',
        Details: [{ POOrderType: 'Subcontract', Qty: 1 }],
      }),
    );
    expect(body).toEqual({
      Type: { value: { id: 'INV' } },
      Date: { value: '2026-11-30' },
      Vendor: { value: 'V1' },
      Details: [{ POOrderType: { value: { id: 'RS' } }, Qty: { value: 1 } }],
    });
    expect(c5.body('Vendor', wrap({ Status: 'Inactive' }))).toEqual({ Status: { value: { id: 'I' } } });
    expect(c5.body('PurchaseOrder', wrap({ Type: 'Mystery' }))).toEqual({ Type: { value: { id: 'Mystery' } } });
  });

  it('contract 5 filters and addresses drop-downs by id, leaving other literals alone', () => {
    expect(c5.filter('PurchaseOrder', and(eq('Type', 'Normal'), eq('VendorRef', "Type eq 'Normal'")))).toBe(
      "(Type eq 'RO') and (VendorRef eq 'Type eq ''Normal''')",
    );
    expect(
      c5.filter('ProjectTransaction', and(eq('Status', 'Released'), gt('LastModifiedDateTime', new Date(0)))),
    ).toBe("(Status eq 'R') and (LastModifiedDateTime gt datetimeoffset'1970-01-01T00:00:00.000+00:00')");
    expect(c5.keys('PurchaseOrder', ['Normal', 'PO000001'])).toEqual(['RO', 'PO000001']);
    expect(c5.keys('Vendor', ['V1'])).toEqual(['V1']);
  });

  it('contract 5 records come back in contract-4 terms (labels, no nulls)', () => {
    expect(
      c5.record({
        id: 'x',
        Status: { value: { id: 'H', description: 'On Hold' } },
        Type: { value: { id: 'RO' } },
        Description: { value: null },
        VendorAddressInfo: null,
        Details: null,
        Lines: [{ DocType: { value: { id: 'INV', description: 'Bill' } } }],
      }),
    ).toEqual({
      id: 'x',
      Status: { value: 'On Hold' },
      Type: { value: 'RO' },
      Description: {},
      Lines: [{ DocType: { value: 'Bill' } }],
    });
  });
});

describe('releases', () => {
  it('names the release of a build', () => {
    expect(releaseOfBuild('26.201.0009')).toBe('2026 R2');
    expect(SUPPORTED_RELEASES.at(-1)).toBe('2026 R2');
  });

  it('warns only for a release newer than the newest known', () => {
    expect(newerReleaseWarning('26.201.0009', '26.200.001')).toBeUndefined();
    expect(newerReleaseWarning('22.106.0015', '20.200.001')).toBeUndefined();
    expect(newerReleaseWarning('27.105.0001', '26.200.001')).toBe(
      'Acumatica 2027 R1 (build 27.105.0001) is newer than the newest release the connector knows (2026 R2): it uses ' +
        'Default/26.200.001, the newest endpoint it supports, which the release still serves.',
    );
  });

  const stub = (build: string, versions: string[]): typeof fetch =>
    (async () =>
      new Response(
        JSON.stringify({
          version: { acumaticaBuildVersion: build },
          endpoints: versions.map((v) => ({ name: 'Default', version: v })),
        }),
        { status: 200, headers: { 'Content-Type': 'application/json' } },
      )) as typeof fetch;
  const client = (f: typeof fetch) =>
    new AcumaticaClient({ baseUrl: 'http://acu.test', tenant: 'T', username: 'u', password: 'p', fetch: f });

  it('a newer release is accepted on the newest known endpoint, with the warning', async () => {
    const c = client(stub('27.105.0001', ['24.200.001', '25.200.001', '26.200.001', '27.100.001']));
    expect(await c.negotiateVersion()).toBe('26.200.001');
    expect(await c.releaseWarning()).toMatch(/^Acumatica 2027 R1 .* newer than the newest release/);
  });

  it('an older unsupported release is refused naming the supported releases', async () => {
    const c = client(stub('21.210.0030', ['18.200.001', '20.100.001']));
    await expect(c.negotiateVersion()).rejects.toThrow(
      /offers no supported Default endpoint \(offered: 18\.200\.001, 20\.100\.001\).*Acumatica 2022 R1, .*, 2026 R2\./,
    );
  });
});
