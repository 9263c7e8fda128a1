/**
 * Project accounting: Project (PM301000), ProjectTask (PM302000), CostCode (PM209500), AccountGroup (PM201000),
 * ProjectBudget (PM309000), ChangeOrder (PM308000), ProjectTransaction (PM304000).
 *
 * Choices (the contract leaves them open; acumatica-api.md §5, §8):
 *  - Project: new projects are 'In Planning' and on hold; `Hold=false` (or ActivateProject) makes them 'Active'.
 *    The project's branch is BillingAndAllocationSettings.Branch (defaults to the request branch).
 *  - ProjectBudget keys: ProjectID, ProjectTaskID, AccountGroup, CostCode, InventoryID ('<N/A>' when omitted).
 *    Type 'Cost' needs an expense account group and a cost code (budget level "Task and Cost Code"); 'Revenue'
 *    needs an income account group (level "Task", cost code optional). A task is always required.
 *  - ChangeOrder: auto RefNbr CO000001...; new ones are 'On Hold' unless Hold=false ('Open'). Budget lines are
 *    unique per task x account group x cost code (x inventory item), the key of PMChangeOrderBudget; a released
 *    change order takes no more changes (422). Releasing moves the
 *    amounts: CostBudget/RevenueBudget lines into ProjectBudget.BudgetedCOAmount (creating missing budget lines),
 *    Commitments lines into the referenced PurchaseOrder/Subcontract (a new line, or the line POLineNbr).
 *  - ProjectTransaction keys: Module ('PM' by default), ReferenceNbr (auto PM000001...). Releasing adds each line
 *    to ProjectBudget.ActualAmount of its task/account group/cost code.
 */
import { randomUUID } from 'node:crypto';
import Decimal from 'decimal.js';
import type { StoredLine, StoredRecord } from '../store';
import {
  ActionError,
  type EntityBehaviour,
  type FieldError,
  type RequestContext,
  type RuleDeps,
  dec,
  finPeriod,
  isBlank,
  linesOf,
  money,
  sum,
} from './common';

export const ACCOUNT_GROUP_TYPES = ['Asset', 'Liability', 'Income', 'Expense', 'Off-Balance'];
const NA = '<N/A>';

export interface ProjectRuleDeps extends RuleDeps {
  /** Re-runs the rules of another record after an action changed it (commitment lines from a change order). */
  recompute(rec: StoredRecord, ctx: RequestContext): void;
}

export function projectRules(deps: ProjectRuleDeps): Record<string, EntityBehaviour> {
  const { store, today, branchExists } = deps;

  const accountGroupType = (id: unknown): string | undefined =>
    isBlank(id) ? undefined : (store.byKeys('AccountGroup', [id])?.values.Type as string | undefined);

  const projectErrors = (project: unknown, path: Array<string | number>): FieldError[] => {
    if (isBlank(project)) return [{ path, message: "'Project' cannot be empty." }];
    if (!store.byKeys('Project', [project]))
      return [{ path, message: `Project '${String(project)}' cannot be found in the system.` }];
    return [];
  };

  const taskErrors = (project: unknown, task: unknown, path: Array<string | number>): FieldError[] => {
    if (isBlank(task)) return [{ path, message: "'Project Task' cannot be empty." }];
    if (!store.byKeys('ProjectTask', [project, task]))
      return [{ path, message: `Project Task '${String(task)}' cannot be found in the system.` }];
    return [];
  };

  const costCodeErrors = (code: unknown, path: Array<string | number>, required: boolean): FieldError[] => {
    if (isBlank(code)) return required ? [{ path, message: "'Cost Code' cannot be empty." }] : [];
    return store.byKeys('CostCode', [code])
      ? []
      : [{ path, message: `Cost Code '${String(code)}' cannot be found in the system.` }];
  };

  const accountGroupErrors = (id: unknown, path: Array<string | number>, type: 'Expense' | 'Income'): FieldError[] => {
    if (isBlank(id)) return [{ path, message: "'Account Group' cannot be empty." }];
    const t = accountGroupType(id);
    if (!t) return [{ path, message: `Account Group '${String(id)}' cannot be found in the system.` }];
    if (t !== type)
      return [{ path, message: `Account Group '${String(id)}' is not of the ${type.toLowerCase()} type.` }];
    return [];
  };

  /** Finds or creates the budget line a change order or a transaction posts to. */
  const budgetLine = (type: 'Cost' | 'Revenue', project: unknown, task: unknown, group: unknown, code: unknown) => {
    const keys = [project, task, group, isBlank(code) ? '' : code, NA];
    const found = store
      .all('ProjectBudget')
      .find(
        (r) =>
          r.values.Type === type &&
          ['ProjectID', 'ProjectTaskID', 'AccountGroup', 'CostCode', 'InventoryID'].every(
            (f, i) => String(r.values[f] ?? '').toUpperCase() === String(keys[i] ?? '').toUpperCase(),
          ),
      );
    if (found) return found;
    return store.insert('ProjectBudget', {
      ProjectID: project,
      ProjectTaskID: task,
      AccountGroup: group,
      CostCode: isBlank(code) ? '' : code,
      InventoryID: NA,
      Type: type,
      Description: store.byKeys('CostCode', [code])?.values.Description ?? 'Change order',
      OriginalBudgetedAmount: 0,
      BudgetedCOAmount: 0,
      RevisedBudgetedAmount: 0,
      ActualAmount: 0,
      UOM: 'EA',
    });
  };

  const addTo = (rec: StoredRecord, field: string, amount: Decimal): void => {
    rec.values[field] = money((dec(rec.values[field]) ?? new Decimal(0)).plus(amount));
    recalcBudget(rec.values);
    store.touch(rec);
  };

  const recalcBudget = (v: Record<string, unknown>): void => {
    const original = dec(v.OriginalBudgetedAmount) ?? new Decimal(0);
    const co = dec(v.BudgetedCOAmount) ?? new Decimal(0);
    const actual = dec(v.ActualAmount) ?? new Decimal(0);
    v.RevisedBudgetedAmount = money(original.plus(co));
    v.VarianceAmount = money(original.plus(co).minus(actual));
    v.CostToComplete = money(Decimal.max(0, original.plus(co).minus(actual)));
  };

  /** The PurchaseOrder or Subcontract a change-order commitment line refers to. */
  const commitmentDoc = (l: StoredLine): StoredRecord | undefined => {
    const type = String(l.POType ?? '');
    if (type === 'Subcontract') return store.byKeys('Subcontract', [l.PONbr]);
    if (type) return store.byKeys('PurchaseOrder', [type, l.PONbr]);
    // Default/20.200.001 has no POType: a PO first, then a subcontract.
    return store.byKeys('PurchaseOrder', ['Normal', l.PONbr]) ?? store.byKeys('Subcontract', [l.PONbr]);
  };

  return {
    Project: {
      graph: 'PX.Objects.PM.ProjectEntry/Project',
      readOnly: ['LastModifiedDateTime', 'Status'],
      prepare(v, _r, isNew, ctx) {
        if (isNew) {
          v.Status = 'In Planning';
          v.Hold ??= true;
          const bas = (v.BillingAndAllocationSettings ??= {}) as Record<string, unknown>;
          bas.Branch ??= ctx.branch;
        }
        if (v.Hold === false && ['In Planning', 'On Hold'].includes(String(v.Status))) v.Status = 'Active';
        if (v.Hold === true && v.Status === 'Active') v.Status = 'On Hold';
      },
      validate(v) {
        const errs: FieldError[] = [];
        if (isBlank(v.ProjectID)) errs.push({ path: ['ProjectID'], message: "'Project ID' cannot be empty." });
        const b = (v.BillingAndAllocationSettings as Record<string, unknown> | undefined)?.Branch;
        if (!isBlank(b) && !branchExists(b))
          errs.push({
            path: ['BillingAndAllocationSettings', 'Branch'],
            message: "'Branch' cannot be found in the system.",
          });
        return errs;
      },
      actions: {
        ActivateProject: (r) => Object.assign(r.values, { Status: 'Active', Hold: false }),
        HoldProject: (r) => Object.assign(r.values, { Status: 'On Hold', Hold: true }),
        CompleteProject: (r) => Object.assign(r.values, { Status: 'Completed' }),
        SuspendProject: (r) => Object.assign(r.values, { Status: 'Suspended' }),
        CancelProject: (r) => Object.assign(r.values, { Status: 'Canceled' }),
      },
    },

    ProjectTask: {
      graph: 'PX.Objects.PM.ProjectTaskEntry/Task',
      readOnly: ['LastModifiedDateTime'],
      prepare(v, _r, isNew) {
        if (isNew) {
          v.Status ??= 'Planned';
          v.Default ??= false;
        }
      },
      validate(v) {
        const errs = projectErrors(v.ProjectID, ['ProjectID']);
        if (isBlank(v.ProjectTaskID)) errs.push({ path: ['ProjectTaskID'], message: "'Task ID' cannot be empty." });
        return errs;
      },
      actions: {
        ActivateProjectTask: (r) => void (r.values.Status = 'Active'),
        CompleteProjectTask: (r) => void (r.values.Status = 'Completed'),
        CancelProjectTask: (r) => void (r.values.Status = 'Canceled'),
        HoldProjectTask: (r) => void (r.values.Status = 'On Hold'),
      },
    },

    CostCode: {
      graph: 'PX.Objects.PM.CostCodeMaint/Items',
      readOnly: ['LastModifiedDateTime'],
      validate(v) {
        return isBlank(v.CostCodeID) ? [{ path: ['CostCodeID'], message: "'Cost Code' cannot be empty." }] : [];
      },
    },

    AccountGroup: {
      graph: 'PX.Objects.PM.AccountGroupMaint/AccountGroup',
      readOnly: ['LastModifiedDateTime', 'Expense'],
      prepare(v, _r, isNew) {
        if (isNew) {
          v.Active ??= true;
          v.Type ??= 'Expense';
        }
        v.Expense = v.Type === 'Expense';
      },
      validate(v) {
        const errs: FieldError[] = [];
        if (isBlank(v.AccountGroupID))
          errs.push({ path: ['AccountGroupID'], message: "'Account Group ID' cannot be empty." });
        if (!ACCOUNT_GROUP_TYPES.includes(String(v.Type)))
          errs.push({ path: ['Type'], message: `'${String(v.Type)}' is not a valid account group type.` });
        return errs;
      },
    },

    ProjectBudget: {
      graph: 'PX.Objects.PM.ProjectBalanceEntry/Items',
      keyDefaults: { InventoryID: NA },
      readOnly: ['LastModifiedDateTime', 'RevisedBudgetedAmount', 'ActualAmount', 'VarianceAmount', 'CostToComplete'],
      prepare(v, _r, isNew) {
        if (isNew) {
          v.InventoryID ??= NA;
          v.UOM ??= 'EA';
          v.OriginalBudgetedAmount ??= 0;
          v.BudgetedCOAmount ??= 0;
          v.ActualAmount ??= 0;
          if (isBlank(v.Type)) v.Type = accountGroupType(v.AccountGroup) === 'Income' ? 'Revenue' : 'Cost';
          if (isBlank(v.Description) && !isBlank(v.CostCode))
            v.Description = store.byKeys('CostCode', [v.CostCode])?.values.Description;
        }
        // Revenue lines at task level have no cost code; '' keeps the five-part key addressable.
        if (isBlank(v.CostCode)) v.CostCode = '';
        const qty = dec(v.OriginalBudgetedQty);
        const rate = dec(v.UnitRate);
        if (qty && rate && isBlank(v.OriginalBudgetedAmount)) v.OriginalBudgetedAmount = money(qty.mul(rate));
        recalcBudget(v);
      },
      validate(v) {
        const errs = projectErrors(v.ProjectID, ['ProjectID']);
        if (errs.length === 0) errs.push(...taskErrors(v.ProjectID, v.ProjectTaskID, ['ProjectTaskID']));
        if (v.Type !== 'Cost' && v.Type !== 'Revenue')
          errs.push({ path: ['Type'], message: "The type must be 'Cost' or 'Revenue'." });
        else {
          errs.push(...accountGroupErrors(v.AccountGroup, ['AccountGroup'], v.Type === 'Cost' ? 'Expense' : 'Income'));
          errs.push(...costCodeErrors(v.CostCode, ['CostCode'], v.Type === 'Cost'));
        }
        return errs;
      },
    },

    ChangeOrder: {
      graph: 'PX.Objects.PM.ChangeOrderEntry/Document',
      readOnly: [
        'Status',
        'CostBudgetChangeTotal',
        'RevenueBudgetChangeTotal',
        'CommitmentsChangeTotal',
        'GrossMarginAmount',
        'GrossMargin',
        'LastModifiedDateTime',
      ],
      prepare(v, rec, isNew) {
        if (isNew) {
          v.ChangeDate ??= today();
          v.Class ??= 'DEFAULT';
          v.Hold ??= true;
          v.ContractTimeChangeDays ??= 0;
        }
        if (!isBlank(v.ProjectID)) v.Customer = store.byKeys('Project', [v.ProjectID])?.values.Customer;
        if (!rec.internal.released && !['Rejected', 'Pending Approval'].includes(String(v.Status)))
          v.Status = v.Hold === true ? 'On Hold' : 'Open';
        for (const l of linesOf(v, 'Commitments')) {
          const doc = commitmentDoc(l);
          if (doc) {
            l.Vendor = doc.values.VendorID;
            l.POType ??= doc.entity === 'Subcontract' ? 'Subcontract' : doc.values.Type;
            l.CurrencyID = 'USD';
          }
          l.Amount = money(dec(l.Amount) ?? new Decimal(0));
          l.AmountinBaseCurrency = l.Amount;
          l.Status ??= 'Open';
        }
        const cost = sum(linesOf(v, 'CostBudget'), 'Amount');
        const revenue = sum(linesOf(v, 'RevenueBudget'), 'Amount');
        v.CostBudgetChangeTotal = money(cost);
        v.RevenueBudgetChangeTotal = money(revenue);
        v.CommitmentsChangeTotal = money(sum(linesOf(v, 'Commitments'), 'Amount'));
        v.GrossMarginAmount = money(revenue.minus(cost));
        v.GrossMargin = revenue.isZero() ? 0 : money(revenue.minus(cost).div(revenue).mul(100));
      },
      guardUpdate(body, before) {
        const fields = Object.keys(body).filter((k) => k !== 'id' && !k.startsWith('__'));
        if (!before.internal.released || fields.length === 0) return [];
        return [{ path: [fields[0]], message: 'The change order is released and cannot be changed.' }];
      },
      validate(v) {
        const project = store.byKeys('Project', [v.ProjectID]);
        const errs = projectErrors(v.ProjectID, ['ProjectID']);
        if (errs.length === 0 && project && ['Completed', 'Canceled'].includes(String(project.values.Status)))
          errs.push({ path: ['ProjectID'], message: `The project is ${String(project.values.Status).toLowerCase()}.` });
        if (!project) return errs;
        linesOf(v, 'CostBudget').forEach((l, i) => {
          errs.push(...taskErrors(v.ProjectID, l.ProjectTaskID, ['CostBudget', i, 'ProjectTaskID']));
          errs.push(...accountGroupErrors(l.AccountGroup, ['CostBudget', i, 'AccountGroup'], 'Expense'));
          errs.push(...costCodeErrors(l.CostCode, ['CostBudget', i, 'CostCode'], true));
        });
        for (const collection of ['CostBudget', 'RevenueBudget']) {
          const seen = new Set<string>();
          linesOf(v, collection).forEach((l, i) => {
            const key = [l.ProjectTaskID, l.AccountGroup, l.CostCode, l.InventoryID]
              .map((k) => String(k ?? '').toUpperCase())
              .join('|');
            if (seen.has(key))
              errs.push({
                path: [collection, i, 'CostCode'],
                message: 'A line with the same project task, account group and cost code already exists.',
              });
            seen.add(key);
          });
        }
        linesOf(v, 'RevenueBudget').forEach((l, i) => {
          errs.push(...taskErrors(v.ProjectID, l.ProjectTaskID, ['RevenueBudget', i, 'ProjectTaskID']));
          errs.push(...accountGroupErrors(l.AccountGroup, ['RevenueBudget', i, 'AccountGroup'], 'Income'));
          errs.push(...costCodeErrors(l.CostCode, ['RevenueBudget', i, 'CostCode'], false));
        });
        linesOf(v, 'Commitments').forEach((l, i) => {
          if (isBlank(l.PONbr)) {
            errs.push({ path: ['Commitments', i, 'PONbr'], message: "'PO Number' cannot be empty." });
            return;
          }
          const doc = commitmentDoc(l);
          if (!doc) {
            errs.push({
              path: ['Commitments', i, 'PONbr'],
              message: `Commitment '${String(l.PONbr)}' cannot be found in the system.`,
            });
            return;
          }
          if (!isBlank(l.POLineNbr) && !linesOf(doc.values).some((d) => Number(d.LineNbr) === Number(l.POLineNbr)))
            errs.push({
              path: ['Commitments', i, 'POLineNbr'],
              message: `Line ${String(l.POLineNbr)} of commitment '${String(l.PONbr)}' cannot be found.`,
            });
          errs.push(...taskErrors(v.ProjectID, l.ProjectTaskID, ['Commitments', i, 'ProjectTaskID']));
          errs.push(...costCodeErrors(l.CostCode, ['Commitments', i, 'CostCode'], false));
        });
        return errs;
      },
      actions: {
        HoldChangeOrder: (r) => {
          if (r.internal.released) throw new ActionError('A released change order cannot be put on hold.');
          Object.assign(r.values, { Hold: true, Status: 'On Hold' });
        },
        RemoveChangeOrderFromHold: (r) => {
          if (r.internal.released) throw new ActionError('The change order is already released.');
          Object.assign(r.values, { Hold: false, Status: 'Open' });
        },
        ApproveChangeOrder: (r) => {
          if (r.values.Status === 'Pending Approval') r.values.Status = 'Open';
        },
        RejectChangeOrder: (r) => {
          if (r.internal.released) throw new ActionError('A released change order cannot be rejected.');
          r.values.Status = 'Rejected';
        },
        ReleaseChangeOrder: (r, _p, ctx) => {
          if (r.values.Status !== 'Open')
            throw new ActionError(`The change order cannot be released: its status is '${String(r.values.Status)}'.`);
          const v = r.values;
          for (const l of linesOf(v, 'CostBudget'))
            addTo(
              budgetLine('Cost', v.ProjectID, l.ProjectTaskID, l.AccountGroup, l.CostCode),
              'BudgetedCOAmount',
              dec(l.Amount) ?? new Decimal(0),
            );
          for (const l of linesOf(v, 'RevenueBudget'))
            addTo(
              budgetLine('Revenue', v.ProjectID, l.ProjectTaskID, l.AccountGroup, l.CostCode),
              'BudgetedCOAmount',
              dec(l.Amount) ?? new Decimal(0),
            );
          for (const l of linesOf(v, 'Commitments')) {
            const doc = commitmentDoc(l)!;
            const lines = linesOf(doc.values);
            const amount = dec(l.Amount) ?? new Decimal(0);
            const target = lines.find((d) => !isBlank(l.POLineNbr) && Number(d.LineNbr) === Number(l.POLineNbr));
            const isSub = doc.entity === 'Subcontract';
            if (target) {
              const field = isSub ? 'Amount' : 'ExtendedCost';
              target[field] = money((dec(target[field]) ?? new Decimal(0)).plus(amount));
              delete target.UnitCost;
              if (isSub) delete target.ExtendedCost;
            } else {
              const line: StoredLine = {
                id: randomUUID(),
                [isSub ? 'Task' : 'ProjectTask']: l.ProjectTaskID,
                Project: v.ProjectID,
                CostCode: l.CostCode,
                [isSub ? 'Amount' : 'ExtendedCost']: money(amount),
                LineDescription: l.Description ?? `Change order ${String(v.RefNbr)}`,
              };
              lines.push(line);
              doc.values.Details = lines;
              deps.recompute(doc, ctx);
              l.POLineNbr = line.LineNbr;
            }
            deps.recompute(doc, ctx);
            store.touch(doc);
          }
          r.internal.released = true;
          v.Status = 'Closed';
        },
      },
    },

    ProjectTransaction: {
      graph: 'PX.Objects.PM.RegisterEntry/Document',
      keyDefaults: { Module: 'PM' },
      readOnly: ['Status', 'TotalAmount', 'TotalQty', 'TotalBillableQty', 'LastModifiedDateTime', 'CreatedDateTime'],
      prepare(v, rec, isNew, ctx) {
        if (isNew) v.Module ??= 'PM';
        const lines = linesOf(v);
        for (const l of lines) {
          l.Date ??= today();
          l.FinPeriod ??= finPeriod(l.Date);
          l.Branch ??= ctx.branch;
          l.Qty ??= 1;
          l.Billable ??= false;
          l.BillableQty ??= l.Billable ? l.Qty : 0;
          if (isBlank(l.Amount) && !isBlank(l.UnitRate))
            l.Amount = money((dec(l.Qty) ?? new Decimal(1)).mul(dec(l.UnitRate)!));
          l.Amount = money(dec(l.Amount) ?? new Decimal(0));
          l.Released = !!rec.internal.released;
          l.Allocated ??= false;
          l.Billed ??= false;
          if (!isBlank(l.AccountGroup))
            l.AccountGroupDescription = store.byKeys('AccountGroup', [l.AccountGroup])?.values.Description;
        }
        v.TotalAmount = money(sum(lines, 'Amount'));
        v.TotalQty = sum(lines, 'Qty').toNumber();
        v.TotalBillableQty = sum(lines, 'BillableQty').toNumber();
        v.Status = rec.internal.released ? 'Released' : 'Balanced';
      },
      validate(v) {
        const errs: FieldError[] = [];
        linesOf(v).forEach((l, i) => {
          const projectErrs = projectErrors(l.Project, ['Details', i, 'Project']);
          if (projectErrs.length > 0) return void errs.push(...projectErrs);
          errs.push(...taskErrors(l.Project, l.ProjectTask, ['Details', i, 'ProjectTask']));
          errs.push(...costCodeErrors(l.CostCode, ['Details', i, 'CostCode'], false));
          if (isBlank(l.AccountGroup))
            errs.push({ path: ['Details', i, 'AccountGroup'], message: "'Account Group' cannot be empty." });
          else if (!accountGroupType(l.AccountGroup))
            errs.push({
              path: ['Details', i, 'AccountGroup'],
              message: `Account Group '${String(l.AccountGroup)}' cannot be found in the system.`,
            });
        });
        return errs;
      },
      actions: {
        ReleaseTransactions: (r) => {
          if (r.internal.released) return;
          r.internal.released = true;
          for (const l of linesOf(r.values)) {
            l.Released = true;
            const type = accountGroupType(l.AccountGroup) === 'Income' ? 'Revenue' : 'Cost';
            addTo(
              budgetLine(type, l.Project, l.ProjectTask, l.AccountGroup, l.CostCode),
              'ActualAmount',
              dec(l.Amount) ?? new Decimal(0),
            );
          }
          r.values.Status = 'Released';
        },
      },
    },
  };
}
