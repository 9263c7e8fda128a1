/**
 * What the client knows about Acumatica releases and Default endpoint versions:
 *  - which Default versions it supports (newest first) and the releases that ship them (acumatica-api.md §2.1);
 *  - the release a build number stands for (YY.1nn = YY R1, YY.2nn = YY R2);
 *  - the entities and fields of the negotiated version, read from the instance's own OpenAPI document
 *    (`GET /entity/Default/<v>/swagger.json`, which also shows endpoint extensions);
 *  - the message a customer gets when the version lacks an entity the connector needs.
 */

export const SUPPORTED_ENDPOINT_VERSIONS = [
  '26.200.001',
  '25.200.001',
  '24.200.001',
  '23.200.001',
  '22.200.001',
  '20.200.001',
] as const;

/** Releases the connector supports, oldest first. */
export const SUPPORTED_RELEASES = [
  '2022 R1',
  '2022 R2',
  '2023 R1',
  '2023 R2',
  '2024 R1',
  '2024 R2',
  '2025 R1',
  '2025 R2',
  '2026 R1',
  '2026 R2',
] as const;

/** The releases on which each Default version is the newest one (the one the connector negotiates). */
export const VERSION_RELEASES: Record<string, string> = {
  '26.200.001': '2026 R2',
  '25.200.001': '2025 R2 / 2026 R1',
  '24.200.001': '2024 R2 / 2025 R1',
  '23.200.001': '2023 R2 / 2024 R1',
  '22.200.001': '2022 R2 / 2023 R1',
  '20.200.001': '2022 R1',
};

/** "23.107.0023" -> "2023 R1"; undefined when the build does not follow the YY.Rnn pattern. */
export function releaseOfBuild(build: string | undefined): string | undefined {
  const m = /^(\d{2})\.([12])\d{2}/.exec(build ?? '');
  return m ? `20${m[1]} R${m[2]}` : undefined;
}

const releaseRank = (r: string): number => {
  const m = /^(\d{4}) R([12])$/.exec(r);
  return m ? Number(m[1]) * 10 + Number(m[2]) : NaN;
};

/**
 * A release newer than the newest the connector knows is used on the newest known endpoint: the warning that
 * says so (undefined for a known or older release, or a build that names no release).
 */
export function newerReleaseWarning(build: string | undefined, version: string): string | undefined {
  const release = releaseOfBuild(build);
  const newest = SUPPORTED_RELEASES[SUPPORTED_RELEASES.length - 1];
  if (!release || !(releaseRank(release) > releaseRank(newest))) return undefined;
  return (
    `Acumatica ${release} (build ${build}) is newer than the newest release the connector knows (${newest}): ` +
    `it uses Default/${version}, the newest endpoint it supports, which the release still serves.`
  );
}

/** The endpoint name the install steps suggest for the connector's extension (any name works; connect with it). */
export const SUGGESTED_EXTENSION_NAME = 'ProcoreConnector';

/**
 * What the connector reads and writes on Subcontract (SC301000): the fields an endpoint extension must map
 * (mappings/commitment.ts, activities/exporters/commitments.ts and change-orders.ts, adoption/read.ts).
 */
export const SUBCONTRACT_EXTENSION_FIELDS = {
  header: [
    'SubcontractNbr',
    'Status',
    'Date',
    'StartDate',
    'VendorID',
    'VendorRef',
    'Description',
    'ApplyRetainage',
    'RetainagePct',
    'LastModifiedDateTime',
  ],
  details: [
    'LineNbr',
    'Project',
    'Task',
    'CostCode',
    'LineDescription',
    'OrderQty',
    'UnitCost',
    'Amount',
    'RetainagePct',
    'Completed',
    'Closed',
    'Canceled',
  ],
  actions: ['ReleaseFromHold', 'PutOnHold'],
} as const;

/** The install steps for the Subcontract extension on Default/<version>, in one sentence. */
export function subcontractExtensionSteps(version: string): string {
  const f = SUBCONTRACT_EXTENSION_FIELDS;
  return (
    `on Web Service Endpoints (SM207060) select Default/${version}, click Extend Endpoint and save it as a new ` +
    `endpoint (e.g. name ${SUGGESTED_EXTENSION_NAME}, version ${version}); insert the entity "Subcontract" on the ` +
    `Subcontracts form (SC301000) with the fields ${f.header.join(', ')}, the detail "Details" with ` +
    `${f.details.join(', ')}, and the actions ${f.actions.join(', ')}; save; then connect the company with ` +
    `--endpoint ${SUGGESTED_EXTENSION_NAME} --endpoint-version ${version} (see clients/acumatica/README.md, "Acumatica releases before 2023 R2")`
  );
}

/** Entities whose absence has a known remedy, and what the customer must do. */
const REMEDIES: Record<string, (version: string, endpoint: string) => string> = {
  Subcontract: (version, endpoint) =>
    endpoint === 'Default'
      ? 'Subcontracts arrive in Default/23.200.001 (Acumatica 2023 R2); a system endpoint cannot be edited, so on ' +
        `this release install the connector's endpoint extension: ${subcontractExtensionSteps(version)}`
      : `Add the Subcontracts form (SC301000) to the extension ${endpoint}/${version} as entity "Subcontract" ` +
        `(Web Service Endpoints, SM207060): ${subcontractExtensionSteps(version)}`,
};

export function missingEntityMessage(
  entity: string,
  version: string,
  build: string | undefined,
  endpoint = 'Default',
): string {
  const release = releaseOfBuild(build);
  const where = `Acumatica ${release ?? 'instance'} (${build ? `build ${build}, ` : ''}endpoint ${endpoint}/${version})`;
  const remedy =
    REMEDIES[entity]?.(version, endpoint) ??
    `Add it to the endpoint with an endpoint extension (Web Service Endpoints, SM207060)`;
  return `${where} has no ${entity} entity. ${remedy}.`;
}

/** A connection names an endpoint (an extension) that the instance does not offer in a supported version. */
export function unsupportedExtensionMessage(
  name: string,
  build: string | undefined,
  offered: string[],
  endpoints: Array<{ name: string; version: string }>,
): string {
  const release = releaseOfBuild(build);
  const all = endpoints.map((e) => `${e.name}/${e.version}`).join(', ') || 'none';
  const where = `The Acumatica instance (${release ? `${release}, ` : ''}build ${build ?? 'unknown'})`;
  if (!offered.length)
    return (
      `${where} lists no endpoint named ${name} to the connector's user (endpoints: ${all}). Check the name on Web ` +
      `Service Endpoints (SM207060) and that the extension is saved, or connect without --endpoint.`
    );
  return (
    `${where} offers ${name} only in versions ${offered.join(', ')}, none of which the connector knows ` +
    `(${SUPPORTED_ENDPOINT_VERSIONS.join(', ')}). Pin it with --endpoint-version, or extend a supported Default version.`
  );
}

export function unsupportedMessage(build: string | undefined, offered: string[]): string {
  const supported = SUPPORTED_ENDPOINT_VERSIONS.map((v) => `Default/${v} (${VERSION_RELEASES[v]})`).join(', ');
  const release = releaseOfBuild(build);
  return (
    `The Acumatica instance (${release ? `${release}, ` : ''}build ${build ?? 'unknown'}) offers no supported Default endpoint ` +
    `(offered: ${offered.length ? offered.join(', ') : 'none'}). Supported: ${supported}, i.e. Acumatica ` +
    `${SUPPORTED_RELEASES.join(', ')}.`
  );
}

/** Entities and their fields in one endpoint version, from its OpenAPI document. */
export class EndpointCapabilities {
  private readonly fields = new Map<string, Set<string>>();
  private readonly actions = new Map<string, Set<string>>();

  constructor(
    readonly version: string,
    doc: unknown,
  ) {
    const d = (doc ?? {}) as {
      tags?: Array<{ name: string }>;
      paths?: Record<string, Record<string, unknown>>;
      definitions?: Record<string, Schema>;
      components?: { schemas?: Record<string, Schema> };
    };
    const schemas = d.definitions ?? d.components?.schemas ?? {};
    for (const t of d.tags ?? []) this.fields.set(t.name, collectFields(t.name, schemas));
    for (const p of Object.keys(d.paths ?? {})) {
      const m = /^\/([^/]+)\/([^/{$]+)$/.exec(p);
      if (!m || !d.paths![p].post) continue;
      if (!this.actions.has(m[1])) this.actions.set(m[1], new Set());
      this.actions.get(m[1])!.add(m[2]);
    }
  }

  entities(): string[] {
    return [...this.fields.keys()].sort();
  }

  hasEntity(entity: string): boolean {
    return this.fields.has(entity);
  }

  /** Top-level fields (value fields, linked entities and detail collections). */
  fieldsOf(entity: string): string[] {
    return [...(this.fields.get(entity) ?? [])];
  }

  hasField(entity: string, field: string): boolean {
    return this.fields.get(entity)?.has(field) ?? false;
  }

  hasAction(entity: string, action: string): boolean {
    return this.actions.get(entity)?.has(action) ?? false;
  }
}

interface Schema {
  $ref?: string;
  allOf?: Schema[];
  properties?: Record<string, unknown>;
}

function collectFields(name: string, schemas: Record<string, Schema>): Set<string> {
  const out = new Set<string>();
  const visit = (s: Schema | undefined): void => {
    if (!s) return;
    if (s.$ref) {
      const ref = s.$ref.slice(s.$ref.lastIndexOf('/') + 1);
      if (ref !== 'Entity') visit(schemas[ref]);
      return;
    }
    for (const part of s.allOf ?? []) visit(part);
    for (const f of Object.keys(s.properties ?? {})) out.add(f);
  };
  visit(schemas[name]);
  return out;
}
