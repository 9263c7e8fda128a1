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
