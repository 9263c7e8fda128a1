/**
 * Values for the descriptive fields of projects and vendors that the connector does not sync but a real Procore
 * company always has filled in (time zone, location, office, stage, contacts, trades...). Without them most of
 * a project's or vendor's fields were null in every record, and a client tested against the simulator would
 * never meet a value there. Derived from the record's id, so every answer for a record is the same.
 *
 * UNVERIFIED: the values are plausible, not copied from a real company; the shapes follow the digest models
 * (Project3, RestV10VendorsIdGet200Response), which tests/conformance checks.
 */
import { mulberry32 } from 'simulator-common';
import { exactNumber, idNum } from './json';
import type { Project, Vendor } from './store';

const STAGES = ['Pre-Construction', 'Course of Construction', 'Post-Construction'];
const TYPES = ['Commercial', 'Healthcare', 'Multi-Family', 'Education', 'Industrial'];
const REGIONS = ['West', 'Mountain', 'Southwest'];
const TRADES = ['Concrete', 'Electrical', 'Mechanical', 'Drywall', 'Plumbing', 'Sitework', 'Roofing', 'Steel'];
const FIRST = ['Dana', 'Luis', 'Priya', 'Marcus', 'Hannah', 'Tomas', 'Grace', 'Omar'];
const LAST = ['Nguyen', 'Ramirez', 'Patel', 'Okafor', 'Schmidt', 'Kowalski', 'Brennan', 'Haddad'];
const STATE_NAMES: Record<string, string> = { CA: 'California', WA: 'Washington', OR: 'Oregon', NV: 'Nevada' };

function rngFor(id: string): () => number {
  return mulberry32(Number(BigInt(id) % 2_147_483_647n));
}

const pick = <T>(rng: () => number, list: readonly T[]): T => list[Math.floor(rng() * list.length)];
const named = (id: number, name: string) => ({ id: BigInt(id), name });
const digits = (rng: () => number, n: number) => Array.from({ length: n }, () => Math.floor(rng() * 10)).join('');
const phone = (rng: () => number) => `(${digits(rng, 3)}) 555-${digits(rng, 4)}`;
const slug = (name: string) =>
  name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

function addYears(date: string | null, years: number): string | null {
  if (!date) return null;
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCFullYear(d.getUTCFullYear() + years);
  return d.toISOString().slice(0, 10);
}

export function projectProfile(p: Project, companyName: string | null) {
  const rng = rngFor(p.id);
  const stage = Math.floor(rng() * STAGES.length);
  const type = Math.floor(rng() * TYPES.length);
  const region = Math.floor(rng() * REGIONS.length);
  const value = (Math.floor(rng() * 4000) + 500) * 10_000;
  return {
    is_demo: false,
    template: false,
    time_zone: 'Pacific Time (US & Canada)',
    tz_name: 'America/Los_Angeles',
    latitude: exactNumber((37 + rng() * 10).toFixed(6)),
    longitude: exactNumber((-122 + rng() * 5).toFixed(6)),
    county: `${p.city ?? 'Main'} County`,
    description: `${TYPES[type]} project for ${companyName ?? 'the owner'}`,
    square_feet: Math.floor(rng() * 200_000) + 10_000,
    total_value: exactNumber(`${value}.0`),
    estimated_value: exactNumber(`${value}.0`),
    accounting_project_number: p.project_number,
    code: p.project_number,
    flag: pick(rng, ['Green', 'Yellow', 'Red']),
    phone: phone(rng),
    public_notes: 'Site hours 7:00-15:30. Check in at the trailer.',
    actual_start_date: p.start_date,
    estimated_start_date: p.start_date,
    projected_finish_date: p.completion_date,
    estimated_completion_date: p.completion_date,
    warranty_start_date: p.completion_date,
    warranty_end_date: addYears(p.completion_date, 1),
    inbound_email: `project-${p.id}`,
    inbound_email_address: `project-${p.id}@us02.procoretech.com`,
    dictionary_type: 'construction',
    persistent_message: { title: 'Safety', message: 'Hard hats and vests at all times.' },
    office: {
      id: idNum(p.company_id) * 10n + 1n,
      name: `${companyName ?? 'Company'} Main Office`,
      address: '100 Main Street',
      city: p.city,
      state_code: p.state_code,
      country_code: p.country_code,
      zip: p.zip,
      phone: phone(rng),
      fax: null,
      division: 'Construction',
    },
    project_stage_id: BigInt(stage + 1),
    project_stage: named(stage + 1, STAGES[stage]),
    project_type: named(type + 1, TYPES[type]),
    project_region_id: BigInt(region + 1),
    project_region: named(region + 1, REGIONS[region]),
    project_bid_type_id: 1n,
    project_bid_type: named(1, 'Negotiated'),
    project_owner_type_id: 1n,
    project_owner_type: named(1, 'Private'),
    program: named(1, 'Core Construction'),
    departments: [named(1, 'Operations')],
  };
}

export function vendorProfile(v: Vendor) {
  const rng = rngFor(v.id);
  const trade = pick(rng, TRADES);
  const first = pick(rng, FIRST);
  const last = pick(rng, LAST);
  // Tests break records on purpose (a vendor without a name): the profile must still render.
  const domain = `${slug(String(v.name ?? '')).replace(/-/g, '') || 'vendor'}.example.com`;
  return {
    attachments: [],
    authorized_bidder: true,
    contact_count: Math.floor(rng() * 8) + 1,
    fax_number: null,
    is_connected: false,
    license_number: `${v.state_code ?? 'CA'}-${digits(rng, 6)}`,
    mobile_phone: phone(rng),
    non_union_prevailing_wage: false,
    union_member: rng() < 0.3,
    labor_union: null,
    notes: `${trade} subcontractor`,
    prequalified: rng() < 0.8,
    primary_contact: {
      id: BigInt(v.id) * 10n + 1n,
      first_name: first,
      last_name: last,
      business_phone: v.business_phone,
      business_phone_extension: null,
      fax_number: null,
      mobile_phone: phone(rng),
      email_address: `${first.toLowerCase()}.${last.toLowerCase()}@${domain}`,
      created_at: v.created_at,
      updated_at: v.updated_at,
    },
    trade_name: trade,
    trades: [{ id: BigInt(TRADES.indexOf(trade) + 1), name: trade, active: true, updated_at: v.created_at }],
    website: `https://www.${domain}`,
    legal_name: v.name,
    company_vendor: true,
    children_count: 0,
    country_name: v.country_code === 'US' ? 'United States' : v.country_code,
    state_name: v.state_code ? (STATE_NAMES[v.state_code] ?? v.state_code) : null,
    bidding: biddingFlags(rng),
    bids_count: Math.floor(rng() * 20),
    open_bids_count: 0,
    projects_count: Math.floor(rng() * 12),
    active_users_count: Math.floor(rng() * 5),
  };
}

const BIDDING_FLAGS = [
  'affirmative_action',
  'african_american_business',
  'asian_american_business',
  'certified_business_enterprise',
  'disadvantaged_business',
  'eight_a_business',
  'hispanic_business',
  'historically_underutilized_business',
  'minority_business_enterprise',
  'native_american_business',
  'sdvo_business',
  'small_business',
  'womens_business',
];

/** Diversity certifications: most vendors have none, some are small or women-owned businesses. */
function biddingFlags(rng: () => number): Record<string, boolean> {
  const small = rng() < 0.4;
  const women = rng() < 0.15;
  return Object.fromEntries(
    BIDDING_FLAGS.map((f) => [f, (f === 'small_business' && small) || (f === 'womens_business' && women)]),
  );
}
