/** The workflow bundle's entry point: every workflow type the worker runs. */
export { erpRequestWorkflow } from './erp-request';
export { exportCommitmentWorkflow } from './export-commitment';
