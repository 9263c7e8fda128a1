/**
 * Vendors and commitments: Vendor (AP303000), Subcontract (SC301000), PurchaseOrder (PO301000).
 *
 * Choices (the contract leaves them open):
 *  - Vendor classes are SUBCON and SUPPLIER (plus DEFAULT); statuses Active, On Hold, Hold Payments, Inactive,
 *    One-Time. Branch visibility is a restriction group kept outside the contract (`internal.branches`, set by
 *    seeding or POST /__admin/vendor-branches); a vendor outside the caller's branch is invisible.
 *  - Subcontract has no `Hold` field in the 23/24 contracts: new subcontracts are "On Hold" and move with the
 *    contract actions ReleaseFromHold ("Open") / PutOnHold ("On Hold"); `Status` in a PUT body is ignored.
 *  - Lines are numbered from a per-document counter (LineCntr), never reused after a delete. A PUT that changes or
 *    deletes a line flagged Completed/Closed/Canceled (PO: Completed/Cancelled), or changes a document in a final
 *    status (Closed, Completed, Canceled/Cancelled), is refused with 422 naming the row; nothing is written.
 *  - PurchaseOrder: Type 'Normal' by default, auto OrderNbr PO000001...; `Hold` (default true) decides the
 *    status: 'On Hold', else 'Pending Approval' when the tenant requires PO approval, else 'Open'. The contract
 *    has no PO actions, so taking a PO off hold is `PUT Hold=false` (how the connector exports POs). A PO waiting
 *    for approval stays so until an approver approves it (POST /__admin/approve-purchase-order, standing in for
 *    the Approvals screen EP503000), even if approval is turned off meanwhile.
 */
import Decimal from 'decimal.js';
import {
  type EntityBehaviour,
  type FieldError,
  type RuleDeps,
  dec,
  frozenLineErrors,
  isBlank,
  linesOf,
  money,
  numberLines,
  priceLine,
  projectLineErrors,
  sum,
  vendorErrors,
  vendorVisible,
} from './common';

export const VENDOR_CLASSES = ['SUBCON', 'SUPPLIER', 'DEFAULT'];
export const VENDOR_STATUSES = ['Active', 'On Hold', 'Hold Payments', 'Inactive', 'One-Time'];
export const PO_TYPES = ['Normal', 'Drop-Ship', 'Blanket', 'Standard', 'Project Drop-Ship'];

/** A line flagged completed/closed/canceled cannot be changed or deleted; nor can a document in a final status. */
function commitmentGuard(flags: Record<string, string>, finalStatuses: string[]): EntityBehaviour['guardUpdate'] {
  return (body, before) => {
    const status = String(before.values.Status ?? '');
    const fields = Object.keys(body).filter((k) => k !== 'id' && !k.startsWith('__'));
    if (finalStatuses.includes(status) && fields.length > 0)
      return [{ path: [fields[0]], message: `The document cannot be changed because its status is ${status}.` }];
    return frozenLineErrors(body, before.values, (l) => {
      const flag = Object.keys(flags).find((f) => l[f] === true);
      return flag ? flags[flag] : undefined;
    });
  };
}

export function purchasingRules({ store, settings, today, branchExists }: RuleDeps): Record<string, EntityBehaviour> {
  return {
    Vendor: {
      graph: 'PX.Objects.AP.VendorMaint/BAccount',
      readOnly: ['CreatedDateTime', 'LastModifiedDateTime'],
      visible: (rec, ctx) => vendorVisible(rec, ctx.branch),
      prepare(v, _r, isNew) {
        if (isNew) {
          v.Status ??= 'Active';
          v.CurrencyID ??= 'USD';
          v.VendorClass ??= 'SUBCON';
          v.Terms ??= '30D';
        }
      },
      validate(v) {
        const errs: FieldError[] = [];
        if (isBlank(v.VendorID)) errs.push({ path: ['VendorID'], message: "'Vendor ID' cannot be empty." });
        if (isBlank(v.VendorName)) errs.push({ path: ['VendorName'], message: "'Account Name' cannot be empty." });
        if (!isBlank(v.VendorClass) && !VENDOR_CLASSES.includes(String(v.VendorClass).toUpperCase()))
          errs.push({
            path: ['VendorClass'],
            message: `Vendor Class '${String(v.VendorClass)}' cannot be found in the system.`,
          });
        if (!isBlank(v.Status) && !VENDOR_STATUSES.includes(String(v.Status)))
          errs.push({ path: ['Status'], message: `'${String(v.Status)}' is not a valid vendor status.` });
        if (!isBlank(v.ReceivingBranch) && !branchExists(v.ReceivingBranch))
          errs.push({ path: ['ReceivingBranch'], message: "'Receiving Branch' cannot be found in the system." });
        return errs;
      },
    },

    Subcontract: {
      graph: 'PX.Objects.CN.Subcontracts.SC.Graphs.SubcontractEntry/Document',
      readOnly: [
        'Status',
        'LineTotal',
        'SubcontractTotal',
        'RetainageTotal',
        'TaxTotal',
        'DiscountTotal',
        'LastModifiedDateTime',
        'BaseCurrencyID',
      ],
      prepare(v, rec, isNew, ctx) {
        if (isNew) {
          rec.internal.hold = true;
          v.Date ??= today();
          v.Branch ??= ctx.branch;
          v.CurrencyID ??= 'USD';
          v.Location ??= 'MAIN';
          v.RetainagePct ??= 0;
          v.ApplyRetainage ??= (dec(v.RetainagePct) ?? new Decimal(0)).gt(0);
        }
        v.BaseCurrencyID = 'USD';
        v.Status = rec.internal.hold ? 'On Hold' : 'Open';
        const lines = linesOf(v);
        numberLines(lines, rec.internal);
        let lineTotal = new Decimal(0);
        let retTotal = new Decimal(0);
        for (const l of lines) {
          if (isBlank(l.LineDescription) && !isBlank(l.Description)) l.LineDescription = l.Description;
          if (isBlank(l.Description) && !isBlank(l.LineDescription)) l.Description = l.LineDescription;
          const qty = dec(l.OrderQty);
          const unit = dec(l.UnitCost);
          let amount = dec(l.Amount);
          const ext = dec(l.ExtendedCost);
          if (qty && unit) {
            l.ExtendedCost = money(qty.mul(unit));
            if (!amount) amount = new Decimal(l.ExtendedCost as number);
          } else if (amount) {
            l.OrderQty = qty?.toNumber() ?? 1;
            const q = new Decimal(l.OrderQty as number);
            l.UnitCost = q.isZero() ? 0 : amount.div(q).toDecimalPlaces(4).toNumber();
            l.ExtendedCost = money(amount);
          } else if (ext) {
            amount = ext;
            l.OrderQty = qty?.toNumber() ?? 1;
            l.UnitCost = ext.toNumber();
          }
          amount ??= new Decimal(0);
          l.Amount = money(amount);
          l.UOM ??= 'EA';
          if (isBlank(l.RetainagePct)) l.RetainagePct = v.ApplyRetainage ? (dec(v.RetainagePct)?.toNumber() ?? 0) : 0;
          l.RetainageAmount = v.ApplyRetainage ? money(amount.mul(dec(l.RetainagePct) ?? 0).div(100)) : 0;
          l.OrderType = 'Subcontract';
          l.OrderNbr = v.SubcontractNbr;
          l.Completed ??= false;
          l.Canceled ??= false;
          l.Closed ??= false;
          lineTotal = lineTotal.plus(amount);
          retTotal = retTotal.plus(dec(l.RetainageAmount) ?? 0);
        }
        v.LineTotal = money(lineTotal);
        v.DiscountTotal = 0;
        v.TaxTotal = 0;
        v.RetainageTotal = money(retTotal);
        v.SubcontractTotal = money(lineTotal);
      },
      validate(v, _isNew, ctx) {
        const errs: FieldError[] = vendorErrors(store, v.VendorID, 'VendorID', ctx);
        if (!isBlank(v.Branch) && !branchExists(v.Branch))
          errs.push({ path: ['Branch'], message: "'Branch' cannot be found in the system." });
        const pct = dec(v.RetainagePct);
        if (pct && (pct.lt(0) || pct.gt(100)))
          errs.push({ path: ['RetainagePct'], message: 'The value must be between 0 and 100.' });
        linesOf(v).forEach((l, i) => {
          errs.push(
            ...projectLineErrors(store, l, ['Details', i], { project: 'Project', task: 'Task', costCode: 'CostCode' }),
          );
          const a = dec(l.Amount);
          if (a && a.lt(0)) errs.push({ path: ['Details', i, 'Amount'], message: 'The value cannot be negative.' });
        });
        return errs;
      },
      guardUpdate: commitmentGuard({ Completed: 'completed', Closed: 'closed', Canceled: 'canceled' }, [
        'Closed',
        'Completed',
        'Canceled',
      ]),
      actions: {
        ReleaseFromHold: (r) => {
          r.internal.hold = false;
          r.values.Status = 'Open';
        },
        PutOnHold: (r) => {
          r.internal.hold = true;
          r.values.Status = 'On Hold';
        },
      },
    },

    PurchaseOrder: {
      graph: 'PX.Objects.PO.POOrderEntry/Document',
      keyDefaults: { Type: 'Normal' },
      guardUpdate: commitmentGuard({ Completed: 'completed', Cancelled: 'canceled' }, [
        'Closed',
        'Completed',
        'Cancelled',
      ]),
      readOnly: ['Status', 'LineTotal', 'OrderTotal', 'TaxTotal', 'LastModifiedDateTime', 'BaseCurrencyID'],
      prepare(v, rec, isNew, ctx) {
        if (isNew) {
          v.Type ??= 'Normal';
          v.Date ??= today();
          v.Branch ??= ctx.branch;
          v.CurrencyID ??= 'USD';
          v.Location ??= 'MAIN';
          v.Hold ??= true;
          v.Terms ??= '30D';
        }
        v.BaseCurrencyID = 'USD';
        const lines = linesOf(v);
        numberLines(lines, rec.internal);
        for (const l of lines) {
          priceLine(l, { qty: 'OrderQty', unit: 'UnitCost', ext: 'ExtendedCost' });
          l.OrderedQty = l.OrderQty;
          l.UOM ??= 'EA';
          l.LineType ??= isBlank(l.Project) ? 'Non-Stock' : 'Goods for Project';
          l.OrderType = v.Type;
          l.OrderNbr = v.OrderNbr;
          l.BranchID ??= v.Branch;
          l.Completed ??= false;
          l.Cancelled ??= false;
        }
        const total = money(sum(lines, 'ExtendedCost'));
        v.LineTotal = total;
        v.TaxTotal = 0;
        v.OrderTotal = total;
        // Approval: taking a PO off hold with approval required sends it to the approvers; it stays 'Pending
        // Approval' until one approves it (admin approve-purchase-order), whatever the setting is later.
        if (v.Hold === true) {
          v.Status = 'On Hold';
          delete rec.internal.approval;
        } else if (!['Closed', 'Cancelled', 'Completed'].includes(String(v.Status))) {
          if (rec.internal.approval === undefined)
            rec.internal.approval = settings.poApprovalRequired ? 'pending' : 'approved';
          v.Status = rec.internal.approval === 'pending' ? 'Pending Approval' : 'Open';
        }
      },
      validate(v, _isNew, ctx) {
        const errs: FieldError[] = vendorErrors(store, v.VendorID, 'VendorID', ctx);
        if (!PO_TYPES.includes(String(v.Type)))
          errs.push({ path: ['Type'], message: `'${String(v.Type)}' is not a valid order type.` });
        if (!isBlank(v.Branch) && !branchExists(v.Branch))
          errs.push({ path: ['Branch'], message: "'Branch' cannot be found in the system." });
        if (!isBlank(v.Project) && !store.byKeys('Project', [v.Project]))
          errs.push({ path: ['Project'], message: `Project '${String(v.Project)}' cannot be found in the system.` });
        const control = dec(v.ControlTotal);
        if (v.Hold === false && control && !control.eq(dec(v.OrderTotal) ?? 0))
          errs.push({ path: ['ControlTotal'], message: 'The document is out of balance.' });
        linesOf(v).forEach((l, i) => {
          errs.push(
            ...projectLineErrors(store, l, ['Details', i], {
              project: 'Project',
              task: 'ProjectTask',
              costCode: 'CostCode',
            }),
          );
          const a = dec(l.ExtendedCost);
          if (a && a.lt(0))
            errs.push({ path: ['Details', i, 'ExtendedCost'], message: 'The value cannot be negative.' });
        });
        return errs;
      },
    },
  };
}
