/** lib/metrics.ts route templates (bounded labels: no record ids or keys) and the activity log fields. */
import { routeTemplate } from '../../lib/metrics';
import { classifyStatus } from '../../lib/upstream-observer';
import { activityLogFields } from '../../workers/interceptors';

describe('routeTemplate', () => {
  it.each([
    [
      'procore',
      'GET',
      '/rest/v1.0/companies/4271/erp_requests/1796281326964002',
      '/rest/v1.0/companies/:id/erp_requests/:id',
    ],
    [
      'procore',
      'PATCH',
      '/rest/v1.0/projects/88/work_order_contracts/7700101',
      '/rest/v1.0/projects/:id/work_order_contracts/:id',
    ],
    ['procore', 'PATCH', '/rest/v1.0/vendors/sync', '/rest/v1.0/vendors/sync'],
    ['procore', 'POST', '/oauth/token', '/oauth/token'],
    ['acumatica', 'PUT', '/entity/Default/24.200.001/Subcontract', '/entity/Default/:version/Subcontract'],
    ['acumatica', 'GET', '/entity/Default/24.200.001/Vendor/ACME', '/entity/Default/:version/Vendor/:key'],
    [
      'acumatica',
      'GET',
      '/site/entity/Default/23.200.001/Project/P-100/T1',
      '/entity/Default/:version/Project/:key/:key',
    ],
    [
      'acumatica',
      'POST',
      '/entity/Default/24.200.001/PurchaseOrder/ReleaseFromHold',
      '/entity/Default/:version/PurchaseOrder/ReleaseFromHold',
    ],
    ['acumatica', 'POST', '/entity/auth/login', '/entity/auth/login'],
    ['acumatica', 'GET', '/entity', '/entity'],
    ['acumatica', 'GET', '/entity/Default/24.200.001/swagger.json', '/entity/Default/:version/swagger.json'],
  ] as const)('%s %s %s', (system, method, path, template) => {
    expect(routeTemplate(system, method, path)).toBe(template);
  });
});

describe('classifyStatus', () => {
  it('gives the error kind and retry decision', () => {
    expect(classifyStatus(200)).toEqual({ retry: 'none' });
    expect(classifyStatus(429)).toEqual({ kind: 'RateLimitError', retry: 'retryable' });
    expect(classifyStatus(503)).toEqual({ kind: 'TransientUpstreamError', retry: 'retryable' });
    expect(classifyStatus(422)).toEqual({ kind: 'ValidationError', retry: 'permanent' });
    expect(classifyStatus(undefined, 'timeout')).toEqual({ kind: 'Timeout', retry: 'retryable' });
  });
});

describe('activityLogFields', () => {
  it('takes ids and kinds from activity inputs, nothing else', () => {
    expect(
      activityLogFields({
        companyId: '4271',
        workflowId: 'erp-4271-request-1',
        requestDetailId: '9',
        status: 'success',
        messages: ['Exported'],
        claim: { companyId: '4271', kind: 'subcontract', procoreId: '7700101' },
        exported: { kind: 'subcontract', procoreId: '7700101', lineIds: [], result: { acumaticaKey: 'SC000001' } },
      }),
    ).toEqual({ companyId: '4271', entity: 'subcontract', procoreId: '7700101', acumaticaKey: 'SC000001' });
    expect(activityLogFields({ kind: 'vendors', companyId: '4271', branch: 'HQ' })).toEqual({
      companyId: '4271',
      entity: 'vendors',
      branch: 'HQ',
    });
    expect(activityLogFields(undefined)).toEqual({});
  });
});
