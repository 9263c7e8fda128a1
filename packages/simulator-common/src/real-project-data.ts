/**
 * A second demo project shaped like a real one (issue #12), for `npm start` and `npm run demo -- --all`: three sub
 * jobs, a subcontract whose lines span two of them, amounts with half cents, a commitment change order, a budget
 * with two lines on one budget code, a pay app with 10 % retainage, one with materials stored, and a retention
 * release. Its Acumatica project is created by the project export and posts to branch WEST (the connection signs
 * in to HQ), so two branches are involved.
 *
 * Figures (checked by the demo under the rounding rule, README "Money"):
 *  - Subcontract lines 84,317.455 + 15,682.545 + 23,046.875 (exact total 123,046.875; Procore's total 123,046.88).
 *    Rounded half-up they give 123,046.89, so the 0.01 difference is carried on the largest line: 84,317.45.
 *  - Retainage withheld: pay app #1 5,784.13; pay app #2 6,243.21 (875.00 of it on stored materials). Pay app #3
 *    releases 10,000.00: all of #1's bill and 4,215.87 of #2's, leaving 2,027.34 unreleased.
 */
export const REAL_PROJECT = {
  procoreId: '562002',
  name: 'Grand Junction Regional Library Expansion',
  projectNumber: 'GJL-25031',
  /** The Project ID the export derives from the project number (mappings/project.ts). */
  acumaticaProjectId: 'GJL25031',
  /** Set on the Acumatica project (billing settings) after its export: its documents post there. */
  branch: 'WEST',
  address: '443 N 6th St',
  city: 'Grand Junction',
  stateCode: 'CO',
  zip: '81501',
  startDate: '2025-02-03',
  completionDate: '2026-06-30',
  subJobs: [
    { procoreId: '9300011', code: '01', name: 'Sitework and Foundations' },
    { procoreId: '9300012', code: '02', name: 'Building Envelope' },
    { procoreId: '9300013', code: '03', name: 'Interiors and MEP' },
  ],
  /** Project cost codes (of the company's ERP list, DEMO_COST_CODES). */
  costCodes: [
    { procoreId: '9100201', code: '03-100' },
    { procoreId: '9100202', code: '03-300' },
    { procoreId: '9100203', code: '03-350' },
    { procoreId: '9100204', code: '22-100' },
  ],
  subcontract: {
    procoreId: '7700201',
    number: 'SC-25031-004',
    title: 'Concrete - Foundations and Entry Canopy',
    vendorProcoreId: '31001',
    retainagePercent: '10.0',
    contractDate: '2025-02-17',
    lines: [
      {
        procoreId: '880020101',
        subJobCode: '01',
        costCode: '03-300',
        description: 'Spread footings and grade beams',
        amount: '84317.455',
      },
      {
        procoreId: '880020102',
        subJobCode: '01',
        costCode: '03-100',
        description: 'Formwork and reinforcing',
        amount: '15682.545',
      },
      {
        procoreId: '880020103',
        subJobCode: '02',
        costCode: '03-350',
        description: 'Architectural concrete at entry canopy',
        amount: '23046.875',
      },
    ],
  },
  changeOrder: {
    procoreId: '7800201',
    number: 'CCO-004-001',
    title: 'Canopy footing and winter protection',
    lines: [
      {
        procoreId: '882020101',
        costCode: '03-350',
        description: 'Added footing at canopy column C-4',
        amount: '4318.125',
        changesLineProcoreId: '880020103',
      },
      {
        procoreId: '882020102',
        costCode: '03-300',
        description: 'Winter protection and heated enclosures',
        amount: '2250.00',
        changesLineProcoreId: null,
      },
    ],
  },
  budget: {
    procoreId: '9400002',
    lines: [
      // The first two share a budget code (sub job 01 x 03-300 x S): Acumatica gets one line of their sum.
      {
        procoreId: '9410101',
        subJobCode: '01',
        costCode: '03-300',
        description: 'Footings - subcontract',
        amount: '84317.46',
      },
      {
        procoreId: '9410102',
        subJobCode: '01',
        costCode: '03-300',
        description: 'Footings - testing allowance',
        amount: '5000.005',
      },
      {
        procoreId: '9410103',
        subJobCode: '02',
        costCode: '03-350',
        description: 'Canopy concrete',
        amount: '23046.875',
      },
      {
        procoreId: '9410104',
        subJobCode: '03',
        costCode: '22-100',
        description: 'Plumbing rough-in',
        amount: '61250.00',
      },
    ],
  },
  /** Pay apps on the subcontract; items bill its lines in order. */
  requisitions: [
    {
      procoreId: '7900201',
      number: 1,
      invoiceNumber: 'ACP-25031-01',
      billingDate: '2025-04-30',
      items: [
        { procoreId: '883020101', work: '42158.73', retainage: '4215.87' },
        { procoreId: '883020102', work: '15682.55', retainage: '1568.26' },
        { procoreId: '883020103', work: '0.00', retainage: '0.00' },
      ],
    },
    {
      procoreId: '7900202',
      number: 2,
      invoiceNumber: 'ACP-25031-02',
      billingDate: '2025-05-31',
      items: [
        { procoreId: '883020201', work: '42158.72', retainage: '4215.87' },
        { procoreId: '883020202', work: '0.00', retainage: '0.00' },
        {
          procoreId: '883020203',
          work: '11523.44',
          retainage: '1152.34',
          storedMaterials: '8750.00',
          storedRetainage: '875.00',
        },
      ],
    },
    {
      procoreId: '7900203',
      number: 3,
      invoiceNumber: 'ACP-25031-03',
      billingDate: '2025-06-30',
      // A retention release: no work billed; 8,431.74 released on line 1 and 1,568.26 on line 2.
      items: [
        { procoreId: '883020301', work: '0.00', retainage: '0.00', released: '8431.74' },
        { procoreId: '883020302', work: '0.00', retainage: '0.00', released: '1568.26' },
        { procoreId: '883020303', work: '0.00', retainage: '0.00' },
      ],
    },
  ],
  /**
   * A company-level direct cost (Procore's 2026 ERP entity): one equipment-rental invoice whose lines span this
   * project (on two sub jobs) and the demo project. Lines 5,460.005 + 2,189.995 + 865.00 = 8,515.00 exactly;
   * rounded half-up they give 8,515.01, so the cent is taken off the largest line: 5,460.00.
   */
  companyDirectCost: {
    procoreId: '9600201',
    invoiceNumber: 'RENT-2025-06',
    vendorProcoreId: '31001',
    date: '2025-06-30',
    lines: [
      {
        procoreId: '9610201',
        project: 'this',
        subJobCode: '01',
        costCode: '03-300',
        description: 'Excavator, 6 days',
        amount: '5460.005',
      },
      {
        procoreId: '9610202',
        project: 'this',
        subJobCode: '02',
        costCode: '03-100',
        description: 'Telehandler, 4 days',
        amount: '2189.995',
      },
      {
        procoreId: '9610203',
        project: 'demo',
        subJobCode: null,
        costCode: '03-300',
        description: 'Light tower, 2 weeks',
        amount: '865.00',
      },
    ],
  },
} as const;

export type RealProjectRequisitionItem = {
  procoreId: string;
  work: string;
  retainage: string;
  storedMaterials?: string;
  storedRetainage?: string;
  released?: string;
};
