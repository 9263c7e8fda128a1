/**
 * Accounts payable: Bill (AP301000) and Check (AP302000).
 *
 * Choices (the contract leaves them open):
 *  - Bill: Type 'Bill' by default (also 'Credit Adj.', 'Debit Adj.', 'Prepayment'); auto ReferenceNbr 000001...;
 *    Vendor and VendorRef are required (AP Preferences "Require Vendor Reference" is on by default). New bills
 *    are 'Balanced' unless Hold=true; ReleaseBill makes them 'Open'; payments close them.
 *  - Bill lines referencing a subcontract line: POOrderType 'Subcontract', POOrderNbr, POLine; the project, task
 *    and cost code are copied from that line when omitted.
 *  - Retainage is not in the Default contract of any version: it goes through custom fields (`custom` in the
 *    body, `$custom` to read) with the DAC field names of AP301000: Document.RetainageApply,
 *    Document.DefRetainagePct, Document.CuryRetainageTotal (computed) and per line Transactions.RetainagePct,
 *    Transactions.CuryRetainageAmt (an entered amount is kept), Document.CuryRetainageUnreleasedAmt (computed).
 *    The retained part stays out of Balance. ReleaseRetainage (23.200.001 and later; parameters AmtToRelease,
 *    default all that is unreleased, and Date) lowers the unreleased amount and creates a released retainage
 *    bill for the amount released, listed in the original's RetainageDocuments (25.200.001+ contract). Its
 *    VendorRef is the original's and its Description "Retainage of <RefNbr>" (UNVERIFIED: Acumatica's
 *    APRetainageRelease copies the document; the description is ours).
 *  - Check: Type 'Payment' by default; lines (Details) apply the payment to released bills of the same vendor.
 *    ReleaseCheck lowers each bill's Balance and records the application on the bill (Bill.Applications);
 *    VoidCheck reverses that.
 */
import Decimal from 'decimal.js';
import { randomUUID } from 'node:crypto';
import type { StoredLine, StoredRecord } from '../store';
import {
  ActionError,
  type EntityBehaviour,
  type FieldError,
  type RuleDeps,
  addDays,
  dec,
  finPeriod,
  isBlank,
  linesOf,
  money,
  priceLine,
  projectLineErrors,
  sum,
  vendorErrors,
} from './common';

export const BILL_TYPES = ['Bill', 'Credit Adj.', 'Debit Adj.', 'Prepayment'];
export const CHECK_TYPES = ['Payment', 'Prepayment', 'Refund'];

type Custom = Record<string, Record<string, unknown>>;
const customOf = (o: Record<string, unknown>, view: string): Record<string, unknown> => {
  const c = ((o.__custom ??= {}) as Custom)[view];
  if (c) return c;
  return ((o.__custom as Custom)[view] = {});
};

/** A document can be released once, and not while it is on hold. */
function assertReleasable(r: StoredRecord): void {
  if (r.internal.released) throw new ActionError('The document is already released.');
  if (r.values.Hold === true) throw new ActionError('The document is on hold and cannot be released.');
}

export function payablesRules({ store, today, branchExists }: RuleDeps): Record<string, EntityBehaviour> {
  const subcontractLine = (l: StoredLine): StoredLine | undefined => {
    if (l.POOrderType !== 'Subcontract' || isBlank(l.POOrderNbr)) return undefined;
    const sc = store.byKeys('Subcontract', [l.POOrderNbr]);
    return linesOf(sc?.values ?? {}).find((d) => Number(d.LineNbr) === Number(l.POLine));
  };

  const billOf = (l: StoredLine): StoredRecord | undefined =>
    store.byKeys('Bill', [l.DocType ?? 'Bill', l.ReferenceNbr]);

  const billStatus = (r: StoredRecord): string => {
    const v = r.values;
    if (!r.internal.released) return v.Hold === true ? 'On Hold' : 'Balanced';
    return (dec(v.Balance) ?? new Decimal(0)).isZero() && !hasOpenRetainage(r) ? 'Closed' : 'Open';
  };
  const unreleasedRetainage = (r: StoredRecord): Decimal => {
    const doc = customOf(r.values, 'Document');
    return dec(doc.CuryRetainageUnreleasedAmt) ?? dec(doc.CuryRetainageTotal) ?? new Decimal(0);
  };
  const hasOpenRetainage = (r: StoredRecord): boolean => unreleasedRetainage(r).gt(0);

  return {
    Bill: {
      graph: 'PX.Objects.AP.APInvoiceEntry/Document',
      keyDefaults: { Type: 'Bill' },
      readOnly: ['Status', 'Amount', 'Balance', 'TaxTotal', 'Applications', 'LastModifiedDateTime'],
      custom: {
        header: 'Document',
        details: { Details: 'Transactions' },
        fields: {
          'Document.RetainageApply': 'CustomBooleanField',
          'Document.DefRetainagePct': 'CustomDecimalField',
          'Document.CuryRetainageTotal': 'CustomDecimalField',
          'Document.CuryRetainageUnreleasedAmt': 'CustomDecimalField',
          'Transactions.RetainagePct': 'CustomDecimalField',
          'Transactions.CuryRetainageAmt': 'CustomDecimalField',
        },
      },
      prepare(v, rec, isNew, ctx) {
        if (isNew) {
          v.Type ??= 'Bill';
          v.Date ??= today();
          v.BranchID ??= ctx.branch;
          v.CurrencyID ??= 'USD';
          v.Terms ??= '30D';
          v.LocationID ??= 'MAIN';
          v.Hold ??= false;
          v.ApprovedForPayment ??= false;
        }
        v.DueDate ??= addDays(String(v.Date), 30);
        v.PostPeriod ??= finPeriod(v.Date);
        const doc = customOf(v, 'Document');
        const retain = doc.RetainageApply === true;
        const lines = linesOf(v);
        let retTotal = new Decimal(0);
        for (const l of lines) {
          const sl = subcontractLine(l);
          if (sl) {
            l.Project ??= sl.Project;
            l.ProjectTask ??= sl.Task;
            l.CostCode ??= sl.CostCode;
          }
          l.TransactionDescription ??= l.Description;
          l.Branch ??= v.BranchID;
          const amount = priceLine(l, { qty: 'Qty', unit: 'UnitCost', ext: 'ExtendedCost', amount: 'Amount' });
          const tr = customOf(l, 'Transactions');
          if (retain && isBlank(tr.RetainagePct)) tr.RetainagePct = dec(doc.DefRetainagePct)?.toNumber() ?? 0;
          const pct = retain ? (dec(tr.RetainagePct) ?? new Decimal(0)) : new Decimal(0);
          const computed = money(amount.mul(pct).div(100));
          // An entered Retainage Amount is kept and the line's percent derived from it, as on AP301000 (UNVERIFIED
          // beyond the form's behaviour: the amount field is editable and recalculates the percent).
          const entered = retain ? dec(tr.CuryRetainageAmt) : undefined;
          if (entered && !amount.isZero() && !entered.eq(computed)) {
            tr.CuryRetainageAmt = money(entered);
            tr.RetainagePct = entered.div(amount).mul(100).toDecimalPlaces(6).toNumber();
          } else tr.CuryRetainageAmt = computed;
          retTotal = retTotal.plus(tr.CuryRetainageAmt as number);
        }
        doc.CuryRetainageTotal = money(retTotal);
        if (!rec.internal.released) doc.CuryRetainageUnreleasedAmt = money(retTotal);
        v.Amount = money(sum(lines, 'Amount'));
        v.TaxTotal = 0;
        if (!rec.internal.released) v.Balance = money(new Decimal(v.Amount as number).minus(retTotal));
        v.Status = billStatus({ id: '', entity: 'Bill', values: v, internal: rec.internal });
      },
      validate(v, isNew, ctx) {
        const errs: FieldError[] = vendorErrors(store, v.Vendor, 'Vendor', ctx);
        if (!BILL_TYPES.includes(String(v.Type)))
          errs.push({ path: ['Type'], message: `'${String(v.Type)}' is not a valid document type.` });
        if (isBlank(v.VendorRef)) errs.push({ path: ['VendorRef'], message: "'Vendor Ref.' cannot be empty." });
        if (!isBlank(v.BranchID) && !branchExists(v.BranchID))
          errs.push({ path: ['BranchID'], message: "'Branch' cannot be found in the system." });
        const pct = dec(customOf(v, 'Document').DefRetainagePct);
        if (pct && (pct.lt(0) || pct.gt(100)))
          errs.push({
            path: ['custom', 'Document', 'DefRetainagePct'],
            message: 'The value must be between 0 and 100.',
          });
        if (!isNew && v.Status === 'Open')
          errs.push({ path: ['ReferenceNbr'], message: 'The document is released and cannot be changed.' });
        linesOf(v).forEach((l, i) => {
          if (l.POOrderType === 'Subcontract' && !subcontractLine(l))
            errs.push({
              path: ['Details', i, 'POOrderNbr'],
              message: `Line ${String(l.POLine)} of subcontract '${String(l.POOrderNbr)}' cannot be found.`,
            });
          errs.push(
            ...projectLineErrors(store, l, ['Details', i], {
              project: 'Project',
              task: 'ProjectTask',
              costCode: 'CostCode',
            }),
          );
          if ((dec(l.Amount) ?? new Decimal(0)).lt(0))
            errs.push({ path: ['Details', i, 'Amount'], message: 'The value cannot be negative.' });
        });
        return errs;
      },
      actions: {
        ReleaseBill: (r) => {
          assertReleasable(r);
          if (!(dec(r.values.Amount) ?? new Decimal(0)).gt(0))
            throw new ActionError('The document cannot be released: its amount is zero.');
          r.internal.released = true;
          r.values.Status = billStatus(r);
        },
        ReleaseRetainage: (r, params) => {
          const unreleased = unreleasedRetainage(r);
          if (!r.internal.released || !unreleased.gt(0))
            throw new ActionError('The document has no unreleased retainage.');
          const amount = dec(params.AmtToRelease) ?? unreleased;
          if (!amount.gt(0) || amount.gt(unreleased))
            throw new ActionError(
              `The amount to release must be more than zero and no more than the unreleased retainage (${unreleased.toFixed(2)}).`,
            );
          customOf(r.values, 'Document').CuryRetainageUnreleasedAmt = money(unreleased.minus(amount));
          const [first] = linesOf(r.values);
          const released = money(amount);
          const date = isBlank(params.Date) ? today() : String(params.Date).slice(0, 10);
          const doc = store.insert(
            'Bill',
            {
              Type: 'Bill',
              ReferenceNbr: store.nextNumber('Bill'),
              Vendor: r.values.Vendor,
              VendorRef: r.values.VendorRef,
              Description: `Retainage of ${String(r.values.ReferenceNbr)}`,
              Date: date,
              PostPeriod: finPeriod(date),
              DueDate: addDays(date, 30),
              BranchID: r.values.BranchID,
              CurrencyID: r.values.CurrencyID,
              Project: r.values.Project,
              Hold: false,
              Amount: released,
              Balance: released,
              TaxTotal: 0,
              Status: 'Open',
              Applications: [],
              Details: [
                {
                  Project: first?.Project,
                  ProjectTask: first?.ProjectTask,
                  CostCode: first?.CostCode,
                  Branch: first?.Branch,
                  TransactionDescription: `Retainage of ${String(r.values.ReferenceNbr)}`,
                  Qty: 1,
                  UnitCost: released,
                  ExtendedCost: released,
                  Amount: released,
                },
              ],
            },
            { released: true },
          );
          ((r.values.RetainageDocuments ??= []) as unknown[]).push({
            Type: 'Bill',
            ReferenceNbr: doc.values.ReferenceNbr,
            Amount: released,
            Balance: released,
            Date: date,
            Status: 'Open',
            VendorRef: r.values.VendorRef,
          });
          r.values.Status = billStatus(r);
        },
        ReverseBill: (r) => {
          if (!r.internal.released) throw new ActionError('Only a released document can be reversed.');
          const adj = store.insert(
            'Bill',
            {
              ...structuredClone(r.values),
              Type: 'Debit Adj.',
              ReferenceNbr: store.nextNumber('Bill'),
              Applications: [],
              Description: `Reversal of ${String(r.values.ReferenceNbr)}`,
            },
            { released: true },
          );
          adj.values.Balance = 0;
          adj.values.Status = 'Closed';
          r.values.Balance = 0;
          r.values.Status = 'Closed';
        },
      },
    },

    Check: {
      graph: 'PX.Objects.AP.APPaymentEntry/Document',
      keyDefaults: { Type: 'Payment' },
      readOnly: ['Status', 'UnappliedBalance', 'History', 'LastModifiedDateTime'],
      prepare(v, rec, isNew) {
        if (isNew) {
          v.Type ??= 'Payment';
          v.ApplicationDate ??= today();
          v.PaymentMethod ??= 'CHECK';
          v.CashAccount ??= '10200';
          v.CurrencyID ??= 'USD';
          v.Hold ??= false;
        }
        const lines = linesOf(v);
        for (const l of lines) {
          l.DocType ??= 'Bill';
          const bill = billOf(l);
          if (bill && !rec.internal.released) {
            l.Balance = bill.values.Balance;
            if (isBlank(l.AmountPaid)) l.AmountPaid = bill.values.Balance;
          }
          l.AmountPaid = money(dec(l.AmountPaid) ?? new Decimal(0));
          l.CashDiscountBalance ??= 0;
        }
        const applied = sum(lines, 'AmountPaid');
        if (isBlank(v.PaymentAmount)) v.PaymentAmount = money(applied);
        v.UnappliedBalance = money((dec(v.PaymentAmount) ?? new Decimal(0)).minus(applied));
        if (rec.internal.voided) v.Status = 'Voided';
        else if (rec.internal.released)
          v.Status = (dec(v.UnappliedBalance) ?? new Decimal(0)).isZero() ? 'Closed' : 'Open';
        else v.Status = v.Hold === true ? 'On Hold' : 'Balanced';
      },
      validate(v, isNew, ctx) {
        const errs: FieldError[] = vendorErrors(store, v.Vendor, 'Vendor', ctx);
        if (!CHECK_TYPES.includes(String(v.Type)))
          errs.push({ path: ['Type'], message: `'${String(v.Type)}' is not a valid document type.` });
        if (!isNew && ['Closed', 'Open', 'Voided'].includes(String(v.Status)))
          errs.push({ path: ['ReferenceNbr'], message: 'The document is released and cannot be changed.' });
        if ((dec(v.UnappliedBalance) ?? new Decimal(0)).lt(0))
          errs.push({ path: ['PaymentAmount'], message: 'The amount paid exceeds the payment amount.' });
        linesOf(v).forEach((l, i) => {
          const bill = billOf(l);
          if (!bill) {
            errs.push({
              path: ['Details', i, 'ReferenceNbr'],
              message: `${String(l.DocType)} '${String(l.ReferenceNbr)}' cannot be found in the system.`,
            });
            return;
          }
          if (String(bill.values.Vendor).toUpperCase() !== String(v.Vendor ?? '').toUpperCase())
            errs.push({ path: ['Details', i, 'ReferenceNbr'], message: 'The document belongs to another vendor.' });
          else if (bill.values.Status !== 'Open')
            errs.push({ path: ['Details', i, 'ReferenceNbr'], message: 'Only released, open documents can be paid.' });
          else if ((dec(l.AmountPaid) ?? new Decimal(0)).gt(dec(bill.values.Balance) ?? 0))
            errs.push({ path: ['Details', i, 'AmountPaid'], message: 'The amount paid exceeds the document balance.' });
          else if (!(dec(l.AmountPaid) ?? new Decimal(0)).gt(0))
            errs.push({ path: ['Details', i, 'AmountPaid'], message: 'The amount paid must be greater than zero.' });
        });
        return errs;
      },
      actions: {
        ReleaseCheck: (r) => {
          assertReleasable(r);
          const history: StoredLine[] = [];
          for (const l of linesOf(r.values)) {
            const bill = billOf(l)!;
            const balance = money((dec(bill.values.Balance) ?? new Decimal(0)).minus(dec(l.AmountPaid) ?? 0));
            bill.values.Balance = balance;
            const apps = linesOf(bill.values, 'Applications');
            apps.push({
              id: randomUUID(),
              DocType: r.values.Type,
              ReferenceNbr: r.values.ReferenceNbr,
              AmountPaid: l.AmountPaid,
              Balance: balance,
              Status: 'Closed',
            });
            bill.values.Applications = apps;
            bill.values.Status = billStatus(bill);
            store.touch(bill);
            history.push({ ...l, id: randomUUID(), VendorRef: bill.values.VendorRef, Balance: balance });
          }
          r.values.History = history;
          r.internal.released = true;
          r.values.Status = (dec(r.values.UnappliedBalance) ?? new Decimal(0)).isZero() ? 'Closed' : 'Open';
        },
        VoidCheck: (r) => {
          if (!r.internal.released || r.internal.voided)
            throw new ActionError('Only a released, not yet voided payment can be voided.');
          for (const l of linesOf(r.values)) {
            const bill = billOf(l);
            if (!bill) continue;
            bill.values.Balance = money((dec(bill.values.Balance) ?? new Decimal(0)).plus(dec(l.AmountPaid) ?? 0));
            bill.values.Applications = linesOf(bill.values, 'Applications').filter(
              (a) => a.ReferenceNbr !== r.values.ReferenceNbr,
            );
            bill.values.Status = billStatus(bill);
            store.touch(bill);
          }
          r.internal.voided = true;
          r.values.Status = 'Voided';
        },
      },
    },
  };
}
