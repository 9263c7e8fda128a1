import { parseJsonLossless, parseWebhookEvent } from '../../api/webhook-payloads';
import { startTargetFor } from '../../api/workflow-starter';

const v2 = {
  id: 91000001,
  ulid: '01JD7Q9ZK6X4M2V8T5R3N1P0QA',
  timestamp: '2026-11-27T20:01:02.123Z',
  metadata: { source_user_id: 55, source_company_id: 4271 },
  user_id: 55,
  company_id: 4271,
  project_id: null,
  api_version: 'v2',
  event_type: 'create',
  resource_name: 'ERP Requests',
  resource_id: 1000000007,
};

describe('parseWebhookEvent', () => {
  it('reads v2 and uses the ULID as delivery id', () => {
    const r = parseWebhookEvent(v2);
    expect(r).toEqual({
      ok: true,
      event: {
        deliveryId: '01JD7Q9ZK6X4M2V8T5R3N1P0QA',
        companyId: '4271',
        projectId: null,
        resourceName: 'ERP Requests',
        resourceId: '1000000007',
        eventType: 'create',
      },
    });
  });

  it('reads v3 (related_resources)', () => {
    const r = parseWebhookEvent({ ...v2, api_version: 'v3', related_resources: [{ id: 12, name: 'Direct Costs' }] });
    expect(r.ok).toBe(true);
  });

  it('reads v4 (string ids, reason, resource_type)', () => {
    const r = parseWebhookEvent({
      id: '01JD7Q9ZK6X4M2V8T5R3N1P0QB',
      timestamp: '2026-11-27T20:01:02Z',
      reason: 'create',
      company_id: '4271',
      project_id: '562001',
      user_id: '55',
      resource_type: 'ERP Requests',
      resource_id: '1000000008',
    });
    expect(r).toMatchObject({
      ok: true,
      event: { deliveryId: '01JD7Q9ZK6X4M2V8T5R3N1P0QB', projectId: '562001', eventType: 'create' },
    });
  });

  it('names the bad field', () => {
    const r = parseWebhookEvent({ ...v2, resource_id: 'abc' });
    expect(r.ok).toBe(false);
    if (!r.ok && typeof r.error !== 'string') expect(r.error.issues[0].path).toEqual(['resource_id']);
  });

  it('rejects non-objects', () => {
    expect(parseWebhookEvent([1, 2])).toEqual({ ok: false, error: expect.stringContaining('JSON object') });
  });

  it('keeps ids above 2^53 exact', () => {
    const raw =
      '{"id":1,"ulid":"01JD7Q9ZK6X4M2V8T5R3N1P0QA","timestamp":"t","company_id":9007199254745263,"event_type":"create","resource_name":"ERP Requests","resource_id":9007199254740993}';
    const r = parseWebhookEvent(parseJsonLossless(raw));
    expect(r).toMatchObject({ ok: true, event: { companyId: '9007199254745263', resourceId: '9007199254740993' } });
  });
});

describe('startTargetFor', () => {
  it('starts a workflow only for created ERP requests', () => {
    const base = { companyId: '4271', resourceId: '7', eventType: 'create' };
    expect(startTargetFor({ ...base, resourceName: 'ERP Requests' })).toEqual({
      workflowId: 'erp-4271-request-7',
      companyId: '4271',
      erpRequestId: '7',
    });
    expect(startTargetFor({ ...base, resourceName: 'erp_requests' })).not.toBeNull();
    expect(startTargetFor({ ...base, resourceName: 'RFIs' })).toBeNull();
    expect(startTargetFor({ ...base, resourceName: 'ERP Requests', eventType: 'delete' })).toBeNull();
  });
});
