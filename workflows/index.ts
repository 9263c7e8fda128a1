/** The workflow bundle's entry point: every workflow type the worker runs. */
export { erpRequestWorkflow } from './erp-request';
export { exportRecordWorkflow } from './export-record';
export { importEntityWorkflow, importWorkflow } from './import';
