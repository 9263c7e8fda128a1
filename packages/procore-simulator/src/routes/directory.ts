/**
 * Company directory and project setup: /me, companies, vendors, projects and sub jobs (list, show, edit,
 * sync). Scope comes from the Procore-Company-Id header; `company_id` / `project_id` must point inside it.
 */
import type { Router } from 'express';
import express from 'express';
import { authOf } from '../auth';
import { asId, idNum, sendError } from '../json';
import { paginate } from '../pagination';
import { renderProject, renderSubJob, renderVendor } from '../render';
import type { ProcoreStore, Project, SubJob, Vendor } from '../store';
import {
  applyFilters,
  assignFields,
  bodyOf,
  companyScope,
  editRecord,
  findRecord,
  freshRecord,
  NOT_FOUND,
  ORIGIN_FIELDS,
  projectRecord,
  projectScope,
  reply,
  replyPage,
  resourceBody,
  runCreate,
  runSync,
  type FieldKind,
} from './common';

const VENDOR_FIELDS: Record<string, FieldKind> = {
  name: 'string',
  abbreviated_name: 'string',
  address: 'string',
  city: 'string',
  state_code: 'string',
  zip: 'string',
  country_code: 'string',
  business_phone: 'string',
  email_address: 'string',
  is_active: 'bool',
  // The tax id (see renderVendor).
  business_id: 'string',
};
const PROJECT_FIELDS: Record<string, FieldKind> = {
  name: 'string',
  project_number: 'string',
  address: 'string',
  city: 'string',
  state_code: 'string',
  zip: 'string',
  country_code: 'string',
  start_date: 'date',
  completion_date: 'date',
  active: 'bool',
};
const SUB_JOB_FIELDS: Record<string, FieldKind> = { code: 'string', name: 'string' };

export function directoryRouter(store: ProcoreStore): Router {
  const router = express.Router();
  const now = () => store.clock.nowIso();
  const vendorsOf = (companyId: string) => store.state.vendors.filter((v) => v.company_id === companyId);
  const subJobsOf = (project: Project) => store.state.subJobs.filter((s) => s.project_id === project.id);

  router.get('/rest/v1.0/me', (_req, res) => {
    reply(res, 'GET /rest/v1.0/me', 200, {
      id: idNum(store.state.approverUserId),
      login: 'integrations@summitridge.example',
      name: 'Procore Acumatica Connector (DMSA)',
    });
  });

  router.get('/rest/v1.0/companies', (req, res) => {
    const own = authOf(res).companyId;
    const companies = store.state.companies.filter((c) => c.id === own);
    reply(
      res,
      'GET /rest/v1.0/companies',
      200,
      paginate(req, res, companies).map((c) => ({ id: idNum(c.id), name: c.name, is_active: true, my_company: true })),
    );
  });

  // --- vendors -------------------------------------------------------------------------------------------

  const vendorIn = (companyId: string, raw: string) => store.vendor(companyId, asId(raw) ?? '');
  const newVendor = (companyId: string): Vendor => ({
    id: store.newId(),
    company_id: companyId,
    name: '',
    abbreviated_name: null,
    address: null,
    city: null,
    state_code: null,
    zip: null,
    country_code: null,
    business_phone: null,
    email_address: null,
    business_id: null,
    is_active: true,
    ...freshRecord(now()),
  });

  router.get('/rest/v1.0/vendors', (req, res) => {
    const companyId = companyScope(req, res);
    if (!companyId) return;
    const vendors = applyFilters(req, vendorsOf(companyId));
    replyPage(req, res, 'GET /rest/v1.0/vendors', vendors, (v) => renderVendor(v));
  });

  router.post('/rest/v1.0/vendors', (req, res) => {
    const companyId = companyScope(req, res);
    if (!companyId) return;
    const body = resourceBody(req, 'vendor');
    const vendor = newVendor(companyId);
    const errors = assignFields(vendor, body, VENDOR_FIELDS);
    if (errors) return sendError(res, 422, 'Invalid vendor', { details: errors });
    if (!vendor.name) return sendError(res, 422, "Name can't be blank");
    store.state.vendors.push(vendor);
    reply(res, 'POST /rest/v1.0/vendors', 201, renderVendor(vendor));
  });

  router.patch('/rest/v1.0/vendors/sync', (req, res) => {
    const companyId = companyScope(req, res);
    if (!companyId) return;
    runSync<Vendor>(res, 'PATCH /rest/v1.0/vendors/sync', bodyOf(req).updates, {
      records: () => vendorsOf(companyId),
      originScope: () => vendorsOf(companyId),
      create: (u) => {
        const vendor = newVendor(companyId);
        const errors = assignFields(vendor, u, VENDOR_FIELDS);
        if (errors) return errors;
        return vendor.name ? vendor : { name: ["can't be blank"] };
      },
      update: (v, u) => assignFields(v, u, VENDOR_FIELDS),
      insert: (v) => store.state.vendors.push(v),
      render: (v) => renderVendor(v),
      now,
    });
  });

  router.get('/rest/v1.0/vendors/:id', (req, res) => {
    const companyId = companyScope(req, res);
    if (!companyId) return;
    const vendor = vendorIn(companyId, req.params.id);
    if (!vendor) return sendError(res, 404, NOT_FOUND);
    reply(res, 'GET /rest/v1.0/vendors/{id}', 200, renderVendor(vendor, 'show'));
  });

  router.patch('/rest/v1.0/vendors/:id', (req, res) => {
    const companyId = companyScope(req, res);
    if (!companyId) return;
    const vendor = vendorIn(companyId, req.params.id);
    if (!vendor) return sendError(res, 404, NOT_FOUND);
    const fields: Record<string, FieldKind> = { ...VENDOR_FIELDS, ...ORIGIN_FIELDS };
    if (!editRecord(req, res, vendor, { key: 'vendor', fields, label: 'vendor', now })) return;
    reply(res, 'PATCH /rest/v1.0/vendors/{id}', 200, renderVendor(vendor));
  });

  // --- projects ------------------------------------------------------------------------------------------

  const projectsOf = (companyId: string) => store.state.projects.filter((p) => p.company_id === companyId);

  router.get('/rest/v1.0/projects', (req, res) => {
    const companyId = companyScope(req, res);
    if (!companyId) return;
    const projects = applyFilters(req, projectsOf(companyId));
    replyPage(req, res, 'GET /rest/v1.0/projects', projects, (p) => renderProject(p, store));
  });

  router.get('/rest/v1.0/companies/:company_id/projects', (req, res) => {
    const companyId = asId(req.params.company_id);
    if (companyId !== authOf(res).companyId) return sendError(res, 404, NOT_FOUND);
    const projects = applyFilters(req, projectsOf(companyId));
    reply(
      res,
      'GET /rest/v1.0/companies/{company_id}/projects',
      200,
      paginate(req, res, projects).map((p) => ({
        id: idNum(p.id),
        name: p.name,
        address: {
          street: p.address,
          city: p.city,
          state_code: p.state_code,
          zip: p.zip,
          country_code: p.country_code,
        },
        status_name: p.active ? 'Active' : 'Inactive',
      })),
    );
  });

  /** Create and update rules shared by the sync and the create route. */
  const projectRules = (companyId: string) => ({
    records: () => projectsOf(companyId),
    originScope: () => projectsOf(companyId),
    create: (u: Record<string, unknown>) => {
      const project: Project = {
        id: store.newId(),
        company_id: companyId,
        name: '',
        project_number: null,
        address: null,
        city: null,
        state_code: null,
        zip: null,
        country_code: 'US',
        start_date: null,
        completion_date: null,
        active: true,
        ...freshRecord(now()),
      };
      const errors = assignFields(project, u, PROJECT_FIELDS);
      if (errors) return errors;
      if (!project.name) return { name: ["can't be blank"] };
      const taken = project.project_number
        ? projectsOf(companyId).some((p) => p.project_number === project.project_number)
        : false;
      return taken ? { project_number: ['has already been taken'] } : project;
    },
    update: (p: Project, u: Record<string, unknown>) => assignFields(p, u, PROJECT_FIELDS),
    insert: (p: Project) => store.state.projects.push(p),
    render: (p: Project) => renderProject(p, store),
    now,
  });

  router.patch('/rest/v1.0/projects/sync', (req, res) => {
    const companyId = companyScope(req, res);
    if (!companyId) return;
    runSync<Project>(res, 'PATCH /rest/v1.0/projects/sync', bodyOf(req).updates, projectRules(companyId));
  });

  router.post('/rest/v1.0/projects', (req, res) => {
    const companyId = companyScope(req, res);
    if (!companyId) return;
    runCreate<Project>(res, 'POST /rest/v1.0/projects', resourceBody(req, 'project'), projectRules(companyId));
  });

  router.get('/rest/v1.0/projects/:id', (req, res) => {
    const companyId = companyScope(req, res);
    if (!companyId) return;
    const project = findRecord(req, res, projectsOf(companyId));
    if (!project) return;
    reply(res, 'GET /rest/v1.0/projects/{id}', 200, renderProject(project, store));
  });

  router.patch('/rest/v1.0/projects/:id', (req, res) => {
    const companyId = companyScope(req, res);
    if (!companyId) return;
    const project = findRecord(req, res, projectsOf(companyId));
    if (!project) return;
    if (!editRecord(req, res, project, { key: 'project', fields: PROJECT_FIELDS, label: 'project', now })) return;
    reply(res, 'PATCH /rest/v1.0/projects/{id}', 200, renderProject(project, store));
  });

  // --- sub jobs ------------------------------------------------------------------------------------------

  router.get('/rest/v1.0/sub_jobs', (req, res) => {
    const project = projectScope(store, req, res);
    if (!project) return;
    replyPage(req, res, 'GET /rest/v1.0/sub_jobs', applyFilters(req, subJobsOf(project)), renderSubJob);
  });

  const subJobRules = (project: Project) => {
    const companyProjects = new Set(projectsOf(project.company_id).map((p) => p.id));
    return {
      records: () => subJobsOf(project),
      originScope: () => store.state.subJobs.filter((s) => companyProjects.has(s.project_id)),
      create: (u: Record<string, unknown>) => {
        const subJob: SubJob = {
          id: store.newId(),
          project_id: project.id,
          code: '',
          name: '',
          ...freshRecord(now()),
        };
        const errors = assignFields(subJob, u, SUB_JOB_FIELDS);
        if (errors) return errors;
        if (!subJob.code || !subJob.name) return { [subJob.code ? 'name' : 'code']: ["can't be blank"] };
        const taken = subJobsOf(project).some((s) => s.code === subJob.code);
        return taken ? { code: ['has already been taken'] } : subJob;
      },
      update: (s: SubJob, u: Record<string, unknown>) => assignFields(s, u, SUB_JOB_FIELDS),
      insert: (s: SubJob) => store.state.subJobs.push(s),
      render: renderSubJob,
      now,
    };
  };

  router.patch('/rest/v1.0/sub_jobs/sync', (req, res) => {
    const project = projectScope(store, req, res);
    if (!project) return;
    runSync<SubJob>(res, 'PATCH /rest/v1.0/sub_jobs/sync', bodyOf(req).updates, subJobRules(project));
  });

  router.post('/rest/v1.0/sub_jobs', (req, res) => {
    const project = projectScope(store, req, res);
    if (!project) return;
    runCreate<SubJob>(res, 'POST /rest/v1.0/sub_jobs', resourceBody(req, 'sub_job'), subJobRules(project));
  });

  router.get('/rest/v1.0/sub_jobs/:id', (req, res) => {
    const subJob = projectRecord(store, req, res, subJobsOf);
    if (!subJob) return;
    reply(res, 'GET /rest/v1.0/sub_jobs/{id}', 200, renderSubJob(subJob));
  });

  router.patch('/rest/v1.0/sub_jobs/:id', (req, res) => {
    const subJob = projectRecord(store, req, res, subJobsOf);
    if (!subJob) return;
    if (!editRecord(req, res, subJob, { key: 'sub_job', fields: SUB_JOB_FIELDS, label: 'sub job', now })) return;
    reply(res, 'PATCH /rest/v1.0/sub_jobs/{id}', 200, renderSubJob(subJob));
  });

  return router;
}
