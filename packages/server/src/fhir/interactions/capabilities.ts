import { readFileSync } from 'node:fs';
import { type Resource, resourceTypeNames } from '@hospitium/fhir';
import { authRoutes, issuerFor } from '../../auth/smart/configuration.js';
import { type FhirOperation, findOperation, operations } from '../operations/index.js';
import { includeCapabilities } from '../search/include-params.js';
import { supportedSearchParameters } from '../search/params.js';
import type { FhirContext, FhirRequest, FhirResponse } from '../types.js';

/** Interactions every resource type supports here (the router implements each of them). */
const typeInteractions = [
  'read',
  'vread',
  'update',
  'patch',
  'delete',
  'history-instance',
  'history-type',
  'create',
  'search-type',
] as const;

const systemInteractions = ['transaction', 'batch', 'history-system'] as const;

const cache = new Map<string, Resource>();

/** The Bulk Data IG's server CapabilityStatement, which a server with `$export` instantiates. */
const bulkDataCapabilityStatement = 'http://hl7.org/fhir/uv/bulkdata/CapabilityStatement/bulk-data';

/** `{ name, definition }` entries for the operations of the operations list at a level. */
function operationEntries(match: (definition: FhirOperation['definition']) => boolean): {
  operation?: { name: string; definition: string }[];
} {
  const entries = operations
    .filter((op) => match(op.definition))
    .map((op) => ({ name: op.definition.code, definition: String(op.definition.url ?? '') }))
    // One operation can be registered at two levels (group export with and without an id).
    .filter((e, i, all) => all.findIndex((o) => o.definition === e.definition && o.name === e.name) === i);
  return entries.length > 0 ? { operation: entries } : {};
}

/**
 * `GET [base]/metadata` — the CapabilityStatement, generated from what the router and the
 * search engine really implement (every R4 resource type, its interactions and the search
 * parameters of supported types). Built once per base URL.
 */
export async function capabilitiesInteraction(_req: FhirRequest, ctx: FhirContext): Promise<FhirResponse> {
  let statement = cache.get(ctx.baseUrl);
  if (!statement) {
    statement = buildCapabilityStatement(ctx.baseUrl);
    cache.set(ctx.baseUrl, statement);
  }
  return { status: 200, headers: {}, body: statement };
}

/** The CapabilityStatement for a server whose FHIR base is `baseUrl`. */
export function buildCapabilityStatement(baseUrl: string): Resource {
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: new Date().toISOString(),
    publisher: 'Hospitium',
    kind: 'instance',
    software: { name: 'Hospitium', version: serverVersion() },
    implementation: { description: 'Hospitium FHIR R4 server', url: baseUrl },
    ...(findOperation('export', 'system') ? { instantiates: [bulkDataCapabilityStatement] } : {}),
    fhirVersion: '4.0.1',
    format: ['application/fhir+json', 'json'],
    patchFormat: ['application/json-patch+json'],
    rest: [
      {
        mode: 'server',
        security: smartSecurity(baseUrl),
        resource: resourceTypeNames().map((type) => ({
          type,
          profile: `http://hl7.org/fhir/StructureDefinition/${type}`,
          interaction: typeInteractions.map((code) => ({ code })),
          versioning: 'versioned-update',
          readHistory: true,
          updateCreate: true,
          conditionalCreate: true,
          conditionalRead: 'not-supported',
          conditionalUpdate: true,
          conditionalDelete: 'single',
          searchParam: supportedSearchParameters(type).map((p) => ({
            name: p.code,
            ...(p.url ? { definition: p.url } : {}),
            type: p.type,
          })),
          ...includeCapabilities(type),
          ...operationEntries((d) => (d.type || d.instance) && (d.resource ?? []).includes(type)),
        })),
        interaction: systemInteractions.map((code) => ({ code })),
        ...operationEntries((d) => d.system),
      },
    ],
  };
}

/**
 * `rest.security`: SMART on FHIR, with the OAuth endpoints (the SMART oauth-uris extension) for
 * clients that read them here rather than from `.well-known/smart-configuration`.
 */
function smartSecurity(baseUrl: string): Record<string, unknown> {
  const issuer = issuerFor(baseUrl);
  return {
    cors: true,
    service: [
      {
        coding: [
          { system: 'http://terminology.hl7.org/CodeSystem/restful-security-service', code: 'SMART-on-FHIR' },
        ],
        text: 'OAuth 2 with SMART App Launch 2 scopes; a bearer token on every request but this one',
      },
    ],
    extension: [
      {
        url: 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris',
        extension: [
          { url: 'token', valueUri: `${issuer}${authRoutes.token}` },
          { url: 'authorize', valueUri: `${issuer}${authRoutes.authorization}` },
          { url: 'introspect', valueUri: `${issuer}${authRoutes.introspection}` },
          { url: 'revoke', valueUri: `${issuer}${authRoutes.revocation}` },
        ],
      },
    ],
  };
}

function serverVersion(): string {
  try {
    // src/fhir/interactions and dist/fhir/interactions both sit three levels below package.json.
    const pkg: unknown = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'));
    const version = (pkg as { version?: unknown }).version;
    return typeof version === 'string' ? version : 'unknown';
  } catch {
    return 'unknown';
  }
}
