/**
 * The demo contractor both simulators are seeded with: a mid-size Colorado general contractor with two
 * Acumatica branches, a medical-office project and the usual subcontractors. Procore and Acumatica keys are
 * listed side by side so the start script and the tests can record the links a vendor/project import would
 * have made (see store/links.ts).
 */

export const DEMO_COMPANY = {
  procoreCompanyId: '4271',
  name: 'Summit Ridge Constructors, Inc.',
  acumaticaTenant: 'SummitRidge',
  acumaticaLogin: { name: 'procore.sync', password: 'Demo-Passw0rd!' },
  branches: [
    { branchId: 'HQ', name: 'Summit Ridge - Denver HQ', country: 'US' },
    { branchId: 'WEST', name: 'Summit Ridge - Western Slope', country: 'US' },
  ],
} as const;

/** Procore DMSA credentials the Procore simulator accepts for the demo company. */
export const DEMO_PROCORE_CLIENT = {
  clientId: 'demo-connector-client',
  clientSecret: 'demo-connector-secret-5f2c9a',
} as const;

export interface DemoVendor {
  procoreId: string;
  name: string;
  /** Acumatica VendorID; undefined for vendors that exist only in Procore (not linked yet). */
  acumaticaVendorId?: string;
  branch: 'HQ' | 'WEST';
  taxId: string;
  city: string;
  stateCode: string;
  zip: string;
  phone: string;
  email: string;
  vendorClass: 'SUBCON' | 'SUPPLIER';
}

export const DEMO_VENDORS: DemoVendor[] = [
  {
    procoreId: '31001',
    name: 'Acme Concrete & Paving, LLC',
    acumaticaVendorId: 'V100231',
    branch: 'HQ',
    taxId: '84-1937265',
    city: 'Commerce City',
    stateCode: 'CO',
    zip: '80022',
    phone: '303-555-0142',
    email: 'estimating@acmeconcrete.example',
    vendorClass: 'SUBCON',
  },
  {
    procoreId: '31002',
    name: 'Front Range Electrical Contractors',
    acumaticaVendorId: 'V100245',
    branch: 'HQ',
    taxId: '84-2210458',
    city: 'Englewood',
    stateCode: 'CO',
    zip: '80112',
    phone: '303-555-0187',
    email: 'bids@frontrangeelectric.example',
    vendorClass: 'SUBCON',
  },
  {
    procoreId: '31003',
    name: "O'Brien & Sons Masonry",
    acumaticaVendorId: 'V100262',
    branch: 'HQ',
    taxId: '84-0975531',
    city: 'Golden',
    stateCode: 'CO',
    zip: '80401',
    phone: '303-555-0119',
    email: 'office@obriensons.example',
    vendorClass: 'SUBCON',
  },
  {
    procoreId: '31004',
    name: 'Keystone Steel Erectors',
    acumaticaVendorId: 'V100278',
    branch: 'WEST',
    taxId: '84-3318720',
    city: 'Grand Junction',
    stateCode: 'CO',
    zip: '81501',
    phone: '970-555-0163',
    email: 'pm@keystonesteel.example',
    vendorClass: 'SUBCON',
  },
  {
    procoreId: '31005',
    name: 'Bayside Plumbing & Mechanical',
    acumaticaVendorId: 'V100290',
    branch: 'WEST',
    taxId: '84-4402917',
    city: 'Montrose',
    stateCode: 'CO',
    zip: '81401',
    phone: '970-555-0108',
    email: 'service@baysidepm.example',
    vendorClass: 'SUBCON',
  },
  {
    procoreId: '31006',
    name: 'Rocky Mountain Lumber Supply',
    acumaticaVendorId: 'V100301',
    branch: 'HQ',
    taxId: '84-1150392',
    city: 'Denver',
    stateCode: 'CO',
    zip: '80216',
    phone: '303-555-0175',
    email: 'orders@rmlumber.example',
    vendorClass: 'SUPPLIER',
  },
  // In Procore only: exporting a commitment to this vendor fails with an actionable message.
  {
    procoreId: '31007',
    name: 'Cascade Glass & Glazing',
    branch: 'HQ',
    taxId: '84-5521804',
    city: 'Aurora',
    stateCode: 'CO',
    zip: '80011',
    phone: '720-555-0131',
    email: 'info@cascadeglass.example',
    vendorClass: 'SUBCON',
  },
];

export const DEMO_PROJECT = {
  procoreId: '562001',
  name: 'Riverside Medical Office Building',
  projectNumber: '2024-017',
  acumaticaProjectId: 'RMOB24017',
  branch: 'HQ',
  customer: 'C000418',
  customerName: 'Riverside Health Partners',
  address: '2150 S Platte River Dr',
  city: 'Denver',
  stateCode: 'CO',
  zip: '80223',
  startDate: '2024-03-04',
  completionDate: '2025-08-29',
} as const;

export interface DemoCostCode {
  code: string;
  description: string;
}

/** CSI MasterFormat codes the company keeps in Acumatica (CostCode) and Procore (ERP standard list). */
export const DEMO_COST_CODES: DemoCostCode[] = [
  { code: '01-500', description: 'Temporary Facilities and Controls' },
  { code: '03-100', description: 'Concrete Forming and Accessories' },
  { code: '03-300', description: 'Cast-in-Place Concrete' },
  { code: '03-350', description: 'Concrete Finishing' },
  { code: '04-200', description: 'Unit Masonry' },
  { code: '05-120', description: 'Structural Steel Framing' },
  { code: '06-100', description: 'Rough Carpentry' },
  { code: '08-400', description: 'Entrances, Storefronts and Curtain Walls' },
  { code: '09-250', description: 'Gypsum Board' },
  { code: '22-100', description: 'Plumbing Piping' },
  { code: '23-300', description: 'HVAC Air Distribution' },
  { code: '26-050', description: 'Common Work Results for Electrical' },
];

export interface DemoCommitmentLine {
  procoreId: string;
  costCode: string;
  description: string;
  amount: string;
}

export interface DemoSubcontract {
  procoreId: string;
  number: string;
  title: string;
  vendorProcoreId: string;
  status: 'Draft' | 'Out For Signature' | 'Approved';
  retainagePercent: string;
  contractDate: string;
  lines: DemoCommitmentLine[];
}

/** Work order contracts on the demo project. The first awaits accounting approval in the demo. */
export const DEMO_SUBCONTRACTS: DemoSubcontract[] = [
  {
    procoreId: '7700101',
    number: 'SC-24017-003',
    title: 'Cast-in-Place Concrete - Foundations and Slab on Grade',
    vendorProcoreId: '31001',
    status: 'Approved',
    retainagePercent: '10.0',
    contractDate: '2024-03-18',
    lines: [
      {
        procoreId: '880010101',
        costCode: '03-100',
        description: 'Footing and grade beam formwork',
        amount: '64250.00',
      },
      {
        procoreId: '880010102',
        costCode: '03-300',
        description: 'Spread footings and grade beams, 4,000 psi',
        amount: '148500.00',
      },
      {
        procoreId: '880010103',
        costCode: '03-300',
        description: 'Slab on grade, 5" with vapor barrier',
        amount: '212750.00',
      },
      {
        procoreId: '880010104',
        costCode: '03-350',
        description: 'Trowel finish and curing compound',
        amount: '38420.50',
      },
    ],
  },
  {
    procoreId: '7700102',
    number: 'SC-24017-007',
    title: 'Unit Masonry - Elevator and Stair Cores',
    vendorProcoreId: '31003',
    status: 'Approved',
    retainagePercent: '10.0',
    contractDate: '2024-04-02',
    lines: [
      {
        procoreId: '880010201',
        costCode: '04-200',
        description: '8" CMU elevator shaft, grouted solid',
        amount: '96840.00',
      },
      {
        procoreId: '880010202',
        costCode: '04-200',
        description: '8" CMU stair cores, 2 stairs x 4 levels',
        amount: '121315.75',
      },
    ],
  },
  {
    procoreId: '7700103',
    number: 'SC-24017-011',
    title: 'Aluminum Storefront and Curtain Wall',
    vendorProcoreId: '31007',
    status: 'Approved',
    retainagePercent: '5.0',
    contractDate: '2024-05-06',
    lines: [
      {
        procoreId: '880010301',
        costCode: '08-400',
        description: 'Curtain wall system, east and south elevations',
        amount: '412600.00',
      },
      { procoreId: '880010302', costCode: '08-400', description: 'Storefront entrances and doors', amount: '86975.00' },
    ],
  },
];

// ---------------------------------------------------------------------------------------------------------
// Added for the wider Procore simulator (issue 3). Both simulators read these exports for their seeds, so the
// same records exist on each side; Procore ids are the ids the Procore simulator serves (plus its idBase).
// Money and quantities are decimal strings; every line's amount equals quantity x unit cost where both exist.
// ---------------------------------------------------------------------------------------------------------

/**
 * Procore cost types ("line item types") and the Acumatica account group each one maps to. `S` is the type
 * every subcontract line of DEMO_SUBCONTRACTS carries.
 */
export interface DemoCostType {
  procoreId: string;
  code: string;
  name: string;
  /** Procore base_type: commitment, material, labor, equipment or other. */
  baseType: 'commitment' | 'material' | 'labor' | 'equipment' | 'other';
  acumaticaAccountGroup: string;
}

/**
 * The company's Procore tax codes. No demo line carries one: tax is sent only once the company maps its codes to
 * Acumatica tax categories (`connector tax-categories`), and the tests set lines' codes themselves.
 */
export const DEMO_TAX_CODES = [
  { procoreId: '5660101', code: 'TX-STATE', description: 'State sales tax 6.25 %', rate1: 6.25 },
  { procoreId: '5660102', code: 'EXEMPT', description: 'Resale / tax exempt', rate1: 0 },
] as const;

export const DEMO_COST_TYPES: DemoCostType[] = [
  { procoreId: '9200001', code: 'S', name: 'Subcontract', baseType: 'commitment', acumaticaAccountGroup: 'SUBCONTR' },
  { procoreId: '9200002', code: 'M', name: 'Materials', baseType: 'material', acumaticaAccountGroup: 'MATERIAL' },
  { procoreId: '9200003', code: 'L', name: 'Labor', baseType: 'labor', acumaticaAccountGroup: 'LABOR' },
  { procoreId: '9200004', code: 'E', name: 'Equipment', baseType: 'equipment', acumaticaAccountGroup: 'EQUIPMENT' },
  { procoreId: '9200005', code: 'O', name: 'Other', baseType: 'other', acumaticaAccountGroup: 'OTHER' },
];

/**
 * The company's ERP standard cost code list in Procore (auto-created with the ERP connection): one standard
 * cost code per DEMO_COST_CODES entry, ids 9000101 upward in the same order.
 */
export const DEMO_ERP_COST_CODE_LIST = {
  procoreId: '9000001',
  name: 'Summit Ridge ERP Cost Codes',
  codes: DEMO_COST_CODES.map((c, i) => ({
    procoreId: String(9_000_101 + i),
    code: c.code,
    description: c.description,
  })),
} as const;

/** The demo project's cost codes (copies of the standard list), ids 9100001 upward in DEMO_COST_CODES order. */
export const DEMO_PROJECT_COST_CODES = DEMO_COST_CODES.map((c, i) => ({
  procoreId: String(9_100_001 + i),
  standardCostCodeProcoreId: String(9_000_101 + i),
  code: c.code,
  description: c.description,
}));

/** Procore sub jobs of DEMO_PROJECT and the Acumatica project task (ProjectTask.TaskID) each one maps to. */
export interface DemoSubJob {
  procoreId: string;
  code: string;
  name: string;
  acumaticaTaskId: string;
}

export const DEMO_SUB_JOBS: DemoSubJob[] = [
  { procoreId: '9300001', code: '01', name: 'Building Shell and Core', acumaticaTaskId: '01' },
  { procoreId: '9300002', code: '02', name: 'Interiors and MEP Fit-Out', acumaticaTaskId: '02' },
  { procoreId: '9300003', code: '03', name: 'Site Work and Utilities', acumaticaTaskId: '03' },
];

/** One cost budget line: sub job x cost code x cost type, as Acumatica keys a ProjectBudget cost line. */
export interface DemoBudgetLine {
  procoreId: string;
  subJobCode: string;
  costCode: string;
  costTypeCode: string;
  description: string;
  amount: string;
}

/** DEMO_PROJECT's original cost budget (Procore "budget" item, exported by create_budget). */
export const DEMO_BUDGET = {
  procoreId: '9400001',
  projectProcoreId: '562001',
  lines: [
    {
      procoreId: '9410001',
      subJobCode: '01',
      costCode: '01-500',
      costTypeCode: 'O',
      description: 'General conditions and temporary facilities',
      amount: '286500.00',
    },
    {
      procoreId: '9410002',
      subJobCode: '01',
      costCode: '03-100',
      costTypeCode: 'S',
      description: 'Foundation formwork',
      amount: '64250.00',
    },
    {
      procoreId: '9410003',
      subJobCode: '01',
      costCode: '03-300',
      costTypeCode: 'S',
      description: 'Foundations and slab on grade',
      amount: '361250.00',
    },
    {
      procoreId: '9410004',
      subJobCode: '01',
      costCode: '03-350',
      costTypeCode: 'S',
      description: 'Slab finishing',
      amount: '38420.50',
    },
    {
      procoreId: '9410005',
      subJobCode: '01',
      costCode: '04-200',
      costTypeCode: 'S',
      description: 'Elevator and stair cores',
      amount: '218155.75',
    },
    {
      procoreId: '9410006',
      subJobCode: '01',
      costCode: '05-120',
      costTypeCode: 'S',
      description: 'Structural steel frame',
      amount: '742000.00',
    },
    {
      procoreId: '9410007',
      subJobCode: '01',
      costCode: '06-100',
      costTypeCode: 'M',
      description: 'Framing lumber and sheathing',
      amount: '68500.00',
    },
    {
      procoreId: '9410008',
      subJobCode: '01',
      costCode: '08-400',
      costTypeCode: 'S',
      description: 'Curtain wall and storefront',
      amount: '499575.00',
    },
    {
      procoreId: '9410009',
      subJobCode: '02',
      costCode: '09-250',
      costTypeCode: 'S',
      description: 'Drywall and framing, levels 1-3',
      amount: '184300.00',
    },
    {
      procoreId: '9410010',
      subJobCode: '02',
      costCode: '22-100',
      costTypeCode: 'S',
      description: 'Plumbing rough-in and fixtures',
      amount: '276800.00',
    },
    {
      procoreId: '9410011',
      subJobCode: '02',
      costCode: '23-300',
      costTypeCode: 'S',
      description: 'HVAC ductwork and air distribution',
      amount: '412650.00',
    },
    {
      procoreId: '9410012',
      subJobCode: '02',
      costCode: '26-050',
      costTypeCode: 'S',
      description: 'Electrical distribution and lighting',
      amount: '538900.00',
    },
  ] satisfies DemoBudgetLine[],
} as const;

/** A change to the budget (Procore Budget Changes tool) that follows the prime change order below. */
export const DEMO_BUDGET_CHANGES = [
  {
    procoreId: '9420001',
    number: 1,
    title: 'Generator pad scope added by PCCO-001',
    status: 'approved',
    lines: [
      { procoreId: '9421001', subJobCode: '03', costCode: '03-300', costTypeCode: 'S', amount: '16200.00' },
      { procoreId: '9421002', subJobCode: '03', costCode: '26-050', costTypeCode: 'S', amount: '21100.00' },
    ],
  },
] as const;

/** One schedule-of-values line of a prime contract or prime change order. */
export interface DemoRevenueLine {
  procoreId: string;
  costCode: string;
  description: string;
  amount: string;
}

/** The owner contract (GMP) on DEMO_PROJECT with DEMO_PROJECT.customer; exported as Acumatica revenue budget. */
export const DEMO_PRIME_CONTRACT = {
  procoreId: '7600101',
  projectProcoreId: '562001',
  number: 'PC-24017-001',
  title: 'Riverside MOB - Guaranteed Maximum Price Agreement',
  ownerName: 'Riverside Health Partners',
  status: 'Approved',
  retainagePercent: '5.0',
  contractDate: '2024-02-20',
  lines: [
    { procoreId: '7610001', costCode: '01-500', description: 'General conditions', amount: '312000.00' },
    { procoreId: '7610002', costCode: '03-300', description: 'Concrete', amount: '512400.00' },
    { procoreId: '7610003', costCode: '04-200', description: 'Masonry', amount: '241000.00' },
    { procoreId: '7610004', costCode: '05-120', description: 'Structural steel', amount: '815000.00' },
    { procoreId: '7610005', costCode: '06-100', description: 'Rough carpentry', amount: '98000.00' },
    { procoreId: '7610006', costCode: '08-400', description: 'Glazing and curtain wall', amount: '548000.00' },
    { procoreId: '7610007', costCode: '09-250', description: 'Interior finishes', amount: '205000.00' },
    { procoreId: '7610008', costCode: '22-100', description: 'Plumbing', amount: '305000.00' },
    { procoreId: '7610009', costCode: '23-300', description: 'HVAC', amount: '455000.00' },
    { procoreId: '7610010', costCode: '26-050', description: 'Electrical', amount: '592000.00' },
  ] satisfies DemoRevenueLine[],
} as const;

/** An approved prime contract change order on DEMO_PRIME_CONTRACT (create_prime_contract_change_order). */
export const DEMO_PRIME_CHANGE_ORDERS = [
  {
    procoreId: '7650101',
    primeContractProcoreId: '7600101',
    number: 'PCCO-001',
    title: 'Emergency generator pad and feeder conduit',
    status: 'approved',
    lines: [
      { procoreId: '7651001', costCode: '03-300', description: 'Generator pad, 8" reinforced', amount: '18650.00' },
      { procoreId: '7651002', costCode: '26-050', description: 'Feeder conduit and pull boxes', amount: '24300.00' },
    ] satisfies DemoRevenueLine[],
  },
] as const;

/** One purchase order line, unit-priced: amount = quantity x unitCost. */
export interface DemoPurchaseOrderLine {
  procoreId: string;
  costCode: string;
  costTypeCode: string;
  description: string;
  quantity: string;
  uom: string;
  unitCost: string;
  amount: string;
}

export interface DemoPurchaseOrder {
  procoreId: string;
  number: string;
  title: string;
  vendorProcoreId: string;
  status: 'Draft' | 'Processing' | 'Approved';
  retainagePercent: string;
  contractDate: string;
  deliveryDate: string;
  lines: DemoPurchaseOrderLine[];
}

/** Purchase order contracts on DEMO_PROJECT (Acumatica PurchaseOrder, type Normal). */
export const DEMO_PURCHASE_ORDERS: DemoPurchaseOrder[] = [
  {
    procoreId: '7710101',
    number: 'PO-24017-001',
    title: 'Framing Lumber and Sheathing - Levels 1-2',
    vendorProcoreId: '31006', // Rocky Mountain Lumber Supply
    status: 'Approved',
    retainagePercent: '0.0',
    contractDate: '2024-04-15',
    deliveryDate: '2024-05-06',
    lines: [
      {
        procoreId: '881010101',
        costCode: '06-100',
        costTypeCode: 'M',
        description: '2x6 SPF studs, 92-5/8 in.',
        quantity: '2400',
        uom: 'EA',
        unitCost: '6.85',
        amount: '16440.00',
      },
      {
        procoreId: '881010102',
        costCode: '06-100',
        costTypeCode: 'M',
        description: '3/4 in. T&G OSB subfloor sheathing, 4x8',
        quantity: '620',
        uom: 'EA',
        unitCost: '38.40',
        amount: '23808.00',
      },
      {
        procoreId: '881010103',
        costCode: '06-100',
        costTypeCode: 'M',
        description: '5/8 in. CDX plywood roof sheathing, 4x8',
        quantity: '540',
        uom: 'EA',
        unitCost: '42.15',
        amount: '22761.00',
      },
    ],
  },
];

/** A commitment change order line; `changesLineProcoreId` is the subcontract line whose scope it changes. */
export interface DemoChangeOrderLine {
  procoreId: string;
  costCode: string;
  costTypeCode: string;
  description: string;
  amount: string;
  changesLineProcoreId: string | null;
}

/** Approved change orders on DEMO_SUBCONTRACTS[0] (SC-24017-003), exported by create_commitment_change_order. */
export const DEMO_COMMITMENT_CHANGE_ORDERS = [
  {
    procoreId: '7800101',
    commitmentProcoreId: '7700101', // SC-24017-003
    number: 'CCO-003-001',
    title: 'Thickened slab at mechanical room',
    status: 'approved',
    lines: [
      {
        procoreId: '882010101',
        costCode: '03-300',
        costTypeCode: 'S',
        description: 'Thickened slab edge at mechanical room, 12 in. deep',
        amount: '14875.00',
        changesLineProcoreId: '880010103',
      },
      {
        procoreId: '882010102',
        costCode: '03-350',
        costTypeCode: 'S',
        description: 'Additional trowel finish and penetrating sealer',
        amount: '2310.50',
        changesLineProcoreId: '880010104',
      },
    ] satisfies DemoChangeOrderLine[],
  },
] as const;

/** One subcontractor invoice line against a subcontract line; retainage = retainagePercent of work this period. */
export interface DemoRequisitionItem {
  procoreId: string;
  commitmentLineProcoreId: string;
  costCode: string;
  workCompletedThisPeriod: string;
  materialsPresentlyStored: string;
  retainagePercent: string;
  retainageThisPeriod: string;
}

/**
 * Subcontractor invoices (Procore requisitions) on SC-24017-003, exported as Acumatica AP bills by
 * create_requisitions. Invoice 1 claims 122,437.50 with 12,243.75 retainage held (net 110,193.75).
 */
export const DEMO_REQUISITIONS = [
  {
    procoreId: '7900101',
    commitmentProcoreId: '7700101',
    number: 1,
    invoiceNumber: 'ACP-24017-01',
    billingDate: '2024-04-30',
    periodStart: '2024-04-01',
    periodEnd: '2024-04-30',
    status: 'approved',
    items: [
      {
        procoreId: '883010101',
        commitmentLineProcoreId: '880010101',
        costCode: '03-100',
        workCompletedThisPeriod: '48187.50',
        materialsPresentlyStored: '0.00',
        retainagePercent: '10.0',
        retainageThisPeriod: '4818.75',
      },
      {
        procoreId: '883010102',
        commitmentLineProcoreId: '880010102',
        costCode: '03-300',
        workCompletedThisPeriod: '74250.00',
        materialsPresentlyStored: '0.00',
        retainagePercent: '10.0',
        retainageThisPeriod: '7425.00',
      },
      {
        procoreId: '883010103',
        commitmentLineProcoreId: '880010103',
        costCode: '03-300',
        workCompletedThisPeriod: '0.00',
        materialsPresentlyStored: '0.00',
        retainagePercent: '10.0',
        retainageThisPeriod: '0.00',
      },
      {
        procoreId: '883010104',
        commitmentLineProcoreId: '880010104',
        costCode: '03-350',
        workCompletedThisPeriod: '0.00',
        materialsPresentlyStored: '0.00',
        retainagePercent: '10.0',
        retainageThisPeriod: '0.00',
      },
    ] satisfies DemoRequisitionItem[],
  },
] as const;
