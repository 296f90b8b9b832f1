import type { Hl7Segment } from '@hospitium/hl7v2';
import { parseDate } from '@hospitium/hl7v2';
import { addressUse, nameUse, telecomSystem, telecomUse } from './codes/v2-tables.js';

/** Reads the components of one repetition of one field: `c(1)`, `s(4, 2)`. */
export interface Composite {
  c(component: number): string | undefined;
  s(component: number, subcomponent: number): string | undefined;
}

/** The n-th repetition of a field as a composite (undefined when that repetition is empty). */
export function composite(seg: Hl7Segment, field: number, repetition = 1): Composite | undefined {
  const raw = seg.rawField(field)?.[repetition - 1];
  if (!raw || raw.every((c) => c.every((s) => s === '' || s === '""'))) return undefined;
  return {
    c: (n) => seg.component(field, repetition, n),
    s: (n, m) => seg.value(field, repetition, n, m),
  };
}

/** Every non-empty repetition of a field. */
export function composites(seg: Hl7Segment, field: number): Composite[] {
  const out: Composite[] = [];
  for (let r = 1; r <= seg.repetitions(field); r++) {
    const c = composite(seg, field, r);
    if (c) out.push(c);
  }
  return out;
}

/** URI prefix for assigning authorities that have only a local namespace id. */
export const localAuthorityPrefix = 'urn:hospitium:hl7v2:authority:';

/**
 * HD (hierarchic designator) as a FHIR identifier system: an ISO OID → `urn:oid:…`, a UUID →
 * `urn:uuid:…`, a URI as is, otherwise the namespace id under `urn:hospitium:hl7v2:authority:`
 * (so `MRN` of two senders that share a namespace is the same system, as v2 intends).
 */
export function authoritySystem(
  namespace?: string,
  universalId?: string,
  universalIdType?: string,
): string | undefined {
  if (universalId) {
    const type = universalIdType?.toUpperCase();
    if (type === 'ISO' || /^\d+(\.\d+)+$/.test(universalId)) return `urn:oid:${universalId}`;
    if (type === 'GUID' || type === 'UUID') return `urn:uuid:${universalId.toLowerCase()}`;
    if (type === 'URI' || /^[a-z][a-z0-9+.-]*:/i.test(universalId)) return universalId;
  }
  if (namespace) return `${localAuthorityPrefix}${encodeURIComponent(namespace.trim())}`;
  return undefined;
}

/** CX (extended composite id): value, identifier type (0203) and system from CX-4 or CX-9/10. */
export function identifier(cx: Composite, fallbackSystem?: string): Record<string, unknown> | undefined {
  const value = cx.c(1);
  if (!value) return undefined;
  const system = authoritySystem(cx.s(4, 1), cx.s(4, 2), cx.s(4, 3)) ?? fallbackSystem;
  const type = cx.c(5);
  return {
    ...(type
      ? { type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: type }] } }
      : {}),
    ...(system ? { system } : {}),
    value,
    ...(period(cx.c(7), cx.c(8)) ?? {}),
  };
}

function period(start?: string, end?: string): { period: Record<string, string> } | undefined {
  const s = parseDate(start);
  const e = parseDate(end);
  if (!s && !e) return undefined;
  return { period: { ...(s ? { start: s } : {}), ...(e ? { end: e } : {}) } };
}

/** XPN (person name): family (XPN-1.1), given and middle names, prefix, suffix, use (0200). */
export function humanName(xpn: Composite): Record<string, unknown> | undefined {
  const family = xpn.s(1, 1);
  const given = [xpn.c(2), xpn.c(3)].filter((g): g is string => !!g);
  const prefix = xpn.c(5);
  const suffix = [xpn.c(4), xpn.c(6)].filter((g): g is string => !!g);
  if (!family && given.length === 0) return undefined;
  const use = nameUse[xpn.c(7) ?? ''];
  return {
    ...(use ? { use } : {}),
    ...(family ? { family } : {}),
    ...(given.length ? { given } : {}),
    ...(prefix ? { prefix: [prefix] } : {}),
    ...(suffix.length ? { suffix } : {}),
  };
}

/** XAD (address): street lines, city, state, postal code, country, use/type (0190). */
export function address(xad: Composite): Record<string, unknown> | undefined {
  const line = [xad.s(1, 1), xad.c(2)].filter((l): l is string => !!l);
  const city = xad.c(3);
  const state = xad.c(4);
  const postalCode = xad.c(5);
  const country = xad.c(6);
  const district = xad.c(9);
  if (!line.length && !city && !state && !postalCode && !country) return undefined;
  const mapped = addressUse[xad.c(7) ?? ''] ?? {};
  return {
    ...mapped,
    ...(line.length ? { line } : {}),
    ...(city ? { city: city.trim() } : {}),
    ...(district ? { district } : {}),
    ...(state ? { state } : {}),
    ...(postalCode ? { postalCode } : {}),
    ...(country ? { country } : {}),
  };
}

/** XTN (telecom): number from XTN-1 or the v2.5+ parts (XTN-4 email, XTN-5..8 phone). */
export function contactPoint(xtn: Composite): Record<string, unknown> | undefined {
  const equipment = xtn.c(3);
  const email = xtn.c(4);
  const composed = [
    xtn.c(5) ? `+${xtn.c(5)} ` : '',
    xtn.c(6) ? `(${xtn.c(6)}) ` : '',
    xtn.c(7) ?? '',
    xtn.c(8) ? ` x${xtn.c(8)}` : '',
  ]
    .join('')
    .trim();
  const value =
    (equipment === 'Internet' || equipment === 'X.400' ? email : undefined) ??
    xtn.c(1) ??
    email ??
    (xtn.c(7) ? composed : xtn.c(12));
  if (!value) return undefined;
  const system = telecomSystem[equipment ?? ''] ?? (value.includes('@') ? 'email' : 'phone');
  const use = equipment === 'CP' ? 'mobile' : telecomUse[xtn.c(2) ?? ''];
  return { system, value, ...(use ? { use } : {}) };
}

/** Coding systems v2 messages name in CWE-3 (table 0396) → FHIR system URIs. */
const codingSystems: Record<string, string> = {
  LN: 'http://loinc.org',
  SCT: 'http://snomed.info/sct',
  SNM: 'http://snomed.info/sct',
  I10: 'http://hl7.org/fhir/sid/icd-10',
  'I10-CM': 'http://hl7.org/fhir/sid/icd-10-cm',
  I10C: 'http://hl7.org/fhir/sid/icd-10-cm',
  I9: 'http://hl7.org/fhir/sid/icd-9-cm',
  I9C: 'http://hl7.org/fhir/sid/icd-9-cm',
  RXNORM: 'http://www.nlm.nih.gov/research/umls/rxnorm',
  CVX: 'http://hl7.org/fhir/sid/cvx',
  NDC: 'http://hl7.org/fhir/sid/ndc',
  UCUM: 'http://unitsofmeasure.org',
  C4: 'http://www.ama-assn.org/go/cpt',
  CPT: 'http://www.ama-assn.org/go/cpt',
  HCPCS: 'http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets',
};

/** A CWE-3 name of coding system → FHIR system URI (HL7nnnn → the v2 table code system). */
export function codingSystem(name: string | undefined): string | undefined {
  if (!name) return undefined;
  const table = /^HL7(\d{4})$/.exec(name);
  if (table) return `http://terminology.hl7.org/CodeSystem/v2-${table[1]}`;
  return codingSystems[name.toUpperCase()] ?? `${localAuthorityPrefix}${encodeURIComponent(name)}`;
}

/**
 * The other direction: a FHIR system URI → the CWE-3 name (`http://loinc.org` → `LN`, a v2
 * table → `HL7nnnn`, a local authority → its namespace); undefined when v2 has no name for it.
 */
export function codingSystemName(uri: string | undefined): string | undefined {
  if (!uri) return undefined;
  const table = /^http:\/\/terminology\.hl7\.org\/CodeSystem\/v2-(\d{4})$/.exec(uri);
  if (table) return `HL7${table[1]}`;
  if (uri.startsWith(localAuthorityPrefix)) return decodeURIComponent(uri.slice(localAuthorityPrefix.length));
  return Object.entries(codingSystems).find(([, system]) => system === uri)?.[0];
}

/** CWE/CE (coded element, with its alternate coding) as a CodeableConcept. */
export function codeableConcept(cwe: Composite): Record<string, unknown> | undefined {
  const coding = [coded(cwe.c(1), cwe.c(2), cwe.c(3)), coded(cwe.c(4), cwe.c(5), cwe.c(6))].filter(
    (c): c is Record<string, string> => c !== undefined,
  );
  const text = cwe.c(9) ?? cwe.c(2) ?? cwe.c(5);
  if (!coding.length && !text) return undefined;
  return { ...(coding.length ? { coding } : {}), ...(text ? { text } : {}) };
}

function coded(code?: string, display?: string, system?: string): Record<string, string> | undefined {
  if (!code) return undefined;
  const uri = codingSystem(system);
  return { ...(uri ? { system: uri } : {}), code, ...(display ? { display } : {}) };
}
