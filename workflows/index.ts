/** The workflow bundle's entry point: every workflow type the worker runs. */
export { erpRequestWorkflow } from './erp-request';
export { importEntityWorkflow, importWorkflow } from './import';
export { exportPreviewWorkflow, importPreviewWorkflow, onboardWorkflow, reconcileWorkflow } from './onboard';
