/**
 * The Acumatica simulator answers as Acumatica does where third-party clients found it did not (issue #13 item 4):
 * linked entities carry their id and a StringValue note; an expanded detail collection with no rows is `[]`; a
 * long-running action takes effect only when it completes (a client that never polls sees the record unchanged);
 * query options the contract does not declare ($orderby, $count) are refused by name; and the `files:put` link of
 * every record attaches a file that then appears in the record's `files`.
 */
import { createAcumaticaSimulator } from 'acumatica-simulator/src/server';
import { DEMO_COMPANY, DEMO_PROJECT } from 'simulator-common';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

let server: Awaited<ReturnType<ReturnType<typeof createAcumaticaSimulator>['listen']>>;
let cookie = '';
const base = '/entity/Default/23.200.001';

beforeAll(async () => {
  server = await createAcumaticaSimulator({ release: '2024R1', actionPolls: 1 }).listen(0);
  const login = await fetch(`${server.url}/entity/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      name: DEMO_COMPANY.acumaticaLogin.name,
      password: DEMO_COMPANY.acumaticaLogin.password,
      company: DEMO_COMPANY.acumaticaTenant,
    }),
  });
  cookie = login.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
});
afterAll(async () => {
  await server.close();
});

async function http(
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: Json; location: string | null }> {
  const res = await fetch(server.url + (path.startsWith('/entity') ? path : base + path), {
    method,
    headers: { 'Content-Type': 'application/json', Cookie: cookie },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, location: res.headers.get('location') };
}

const v = (value: unknown) => ({ value });
const bill = (ref: string, amount: number | null) => ({
  Type: v('Bill'),
  Vendor: v('V100231'),
  VendorRef: v(ref),
  Hold: v(false),
  ...(amount === null
    ? {}
    : {
        Details: [
          {
            Project: v(DEMO_PROJECT.acumaticaProjectId),
            ProjectTask: v('01'),
            TransactionDescription: v('Fidelity'),
            Qty: v(1),
            UnitCost: v(amount),
          },
        ],
      }),
});

test('a linked entity has its id (the same on every read) and a note that is a StringValue', async () => {
  const first = await http('GET', '/Vendor/V100231?$expand=MainContact');
  const again = await http('GET', '/Vendor/V100231?$expand=MainContact');
  expect(first.body.MainContact.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  expect(again.body.MainContact.id).toBe(first.body.MainContact.id);
  expect(first.body.MainContact.note).toEqual({ value: '' });
});

test('an expanded detail collection with no rows is [], not missing', async () => {
  const created = await http('PUT', '/Bill?$expand=Details', bill('FID-EMPTY', null));
  expect(created.status).toBe(200);
  expect(created.body.Details).toEqual([]);
  const read = await http('GET', `/Bill/Bill/${created.body.ReferenceNbr.value}?$expand=Details`);
  expect(read.body.Details).toEqual([]);
  // Not expanded: not there at all.
  expect((await http('GET', `/Bill/Bill/${created.body.ReferenceNbr.value}`)).body.Details).toBeUndefined();
});

test('a 202 action takes effect only when complete: unpolled it changes nothing; its error comes with the last poll', async () => {
  const created = await http('PUT', '/Bill', bill('FID-RELEASE', 1250.5));
  const key = { Type: v('Bill'), ReferenceNbr: created.body.ReferenceNbr };
  const started = await http('POST', '/Bill/ReleaseBill', { entity: key });
  expect(started.status).toBe(202);
  expect(started.location).toMatch(/\/Bill\/ReleaseBill\/status\//);
  const path = `/Bill/Bill/${created.body.ReferenceNbr.value}`;
  expect((await http('GET', path)).body.Status.value).toBe('Balanced'); // the client has not polled yet
  expect((await http('GET', started.location!)).status).toBe(202);
  expect((await http('GET', path)).body.Status.value).toBe('Balanced');
  const done = await http('GET', started.location!);
  expect(done.status).toBe(204);
  expect((await http('GET', path)).body.Status.value).toBe('Open');

  // A refused action: accepted as 202, refused when it completes, and nothing changed.
  const zero = await http('PUT', '/Bill', bill('FID-ZERO', null));
  const refused = await http('POST', '/Bill/ReleaseBill', {
    entity: { Type: v('Bill'), ReferenceNbr: zero.body.ReferenceNbr },
  });
  expect(refused.status).toBe(202);
  await http('GET', refused.location!);
  const outcome = await http('GET', refused.location!);
  expect(outcome.status).toBe(422);
  expect(JSON.stringify(outcome.body)).toMatch(/ReleaseBill: The document cannot be released: its amount is zero/);
  expect((await http('GET', `/Bill/Bill/${zero.body.ReferenceNbr.value}`)).body.Status.value).toBe('Balanced');
});

test('$orderby and $count are refused by name, not silently ignored', async () => {
  for (const option of ['$orderby=VendorID desc', '$count=true']) {
    const res = await http('GET', `/Vendor?${option.replace(' ', '%20')}`);
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain(`The query option '${option.split('=')[0]}' is not supported`);
  }
  expect((await http('GET', '/Vendor?$top=1&$skip=1&$select=VendorID')).status).toBe(200);
});

test("a record's files:put link attaches a file; it is listed in files and its href answers the bytes", async () => {
  const [vendor] = (await http('GET', '/Vendor?$filter=VendorID%20eq%20%27V100231%27')).body;
  const put = (vendor._links['files:put'] as string).replace('{filename}', 'W9.pdf');
  const upload = (bytes: string) =>
    fetch(server.url + put, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/pdf', Cookie: cookie },
      body: bytes,
    });
  expect((await upload('%PDF-1.4 first')).status).toBe(204);
  expect((await upload('%PDF-1.4 second')).status).toBe(204); // the same name again replaces it
  const read = await http('GET', '/Vendor/V100231');
  expect(read.body.files).toEqual([
    { id: expect.any(String), filename: 'W9.pdf', href: expect.stringContaining('/files/') },
  ]);
  const file = await fetch(server.url + read.body.files[0].href, { headers: { Cookie: cookie } });
  expect(file.headers.get('content-type')).toContain('application/pdf');
  expect(await file.text()).toBe('%PDF-1.4 second');
  expect(
    (
      await fetch(server.url + put.replace(vendor.id, '00000000-0000-0000-0000-000000000000'), {
        method: 'PUT',
        headers: { Cookie: cookie },
        body: 'x',
      })
    ).status,
  ).toBe(404);
});
