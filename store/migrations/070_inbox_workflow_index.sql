-- Export latency (connector_export_latency_seconds) reads the receipt time of a workflow's webhook delivery.
CREATE INDEX IF NOT EXISTS webhook_inbox_workflow ON webhook_inbox (procore_company_id, workflow_id);
