import { defaultDelimiters, Hl7Segment } from '@hospitium/hl7v2';
import { addressUse, administrativeSex, nameUse, telecomUse } from '../../mapping/codes/v2-tables.js';
import { codingSystemName, localAuthorityPrefix } from '../../mapping/datatypes.js';

/**
 * FHIR data types → v2 data types, the inverse of `mapping/datatypes.ts`: what that file reads,
 * this one writes, so a message Hospitium sends reads back to the same facts. Values are
 * components (a string, or subcomponents as an array); empty ones are left out.
 */
export type Components = (string | undefined | (string | undefined)[])[];

/** A new empty segment. */
export function segment(name: string): Hl7Segment {
  return new Hl7Segment(name, [[]], defaultDelimiters);
}

/** Writes one repetition (components, with subcomponents) of a field. */
export function put(seg: Hl7Segment, field: number, components: Components, repetition = 1): void {
  components.forEach((c, i) => {
    if (Array.isArray(c)) {
      c.forEach((s, j) => {
        if (s) seg.setValue(s, field, repetition, i + 1, j + 1);
      });
    } else if (c) seg.setValue(c, field, repetition, i + 1);
  });
}

/** Writes several repetitions of a field. */
export function putAll(seg: Hl7Segment, field: number, repetitions: Components[]): void {
  repetitions.forEach((r, i) => {
    put(seg, field, r, i + 1);
  });
}

/** The first key of a table mapping to a value (tables map v2 → FHIR; here we go back). */
export function reverse<T>(table: Record<string, T>, matches: (v: T) => boolean): string | undefined {
  return Object.entries(table).find(([, v]) => matches(v))?.[0];
}

/** FHIR date / dateTime / instant → v2 DT / DTM (the zone kept as written). */
export function v2DateTime(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const m =
    /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$/.exec(
      value,
    );
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const base = `${y}${mo ?? ''}${d ?? ''}${h ?? ''}${mi ?? ''}${h ? (s ?? '00') : ''}${h && frac ? frac.slice(0, 5) : ''}`;
  if (!h || !zone) return base;
  return `${base}${zone === 'Z' ? '+0000' : zone.replace(':', '')}`;
}

/** A FHIR identifier system → the HD of CX-4 (namespace, universal id, its type). */
export function assigningAuthority(system: string | undefined): (string | undefined)[] {
  if (!system) return [];
  if (system.startsWith(localAuthorityPrefix))
    return [decodeURIComponent(system.slice(localAuthorityPrefix.length))];
  if (system.startsWith('urn:oid:')) return [undefined, system.slice(8), 'ISO'];
  if (system.startsWith('urn:uuid:')) return [undefined, system.slice(9), 'UUID'];
  return [undefined, system, 'URI'];
}

interface Identifier {
  system?: string;
  value?: string;
  type?: { coding?: { code?: string }[] };
}

/** Identifier → CX: value^^^authority^type. */
export function cx(id: Identifier): Components {
  return [id.value, undefined, undefined, assigningAuthority(id.system), id.type?.coding?.[0]?.code];
}

interface HumanName {
  use?: string;
  family?: string;
  given?: string[];
  prefix?: string[];
  suffix?: string[];
  text?: string;
}

/** HumanName → XPN: family^given^middle^suffix^prefix^^type (table 0200). */
export function xpn(name: HumanName): Components {
  const use = name.use ? reverse(nameUse, (u) => u === name.use) : undefined;
  return [
    name.family ?? (name.given ? undefined : name.text),
    name.given?.[0],
    name.given?.slice(1).join(' ') || undefined,
    name.suffix?.[0],
    name.prefix?.[0],
    undefined,
    use,
  ];
}

interface Address {
  use?: string;
  type?: string;
  line?: string[];
  city?: string;
  district?: string;
  state?: string;
  postalCode?: string;
  country?: string;
}

/** Address → XAD: street^other^city^state^zip^country^type (table 0190)^^county. */
export function xad(a: Address): Components {
  const type =
    reverse(addressUse, (u) => (a.use ? u.use === a.use : false)) ??
    reverse(addressUse, (u) => (a.type ? u.type === a.type : false));
  return [
    a.line?.[0],
    a.line?.slice(1).join(', ') || undefined,
    a.city,
    a.state,
    a.postalCode,
    a.country,
    type,
    undefined,
    a.district,
  ];
}

interface ContactPoint {
  system?: string;
  value?: string;
  use?: string;
}

/** ContactPoint → XTN: number^use (0201)^equipment (0202)^email. */
export function xtn(t: ContactPoint): Components {
  if (t.system === 'email') return [undefined, 'NET', 'Internet', t.value];
  const use = t.use === 'mobile' ? 'PRN' : (reverse(telecomUse, (u) => u === t.use) ?? 'PRN');
  const equipment =
    t.use === 'mobile' ? 'CP' : t.system === 'fax' ? 'FX' : t.system === 'pager' ? 'BP' : 'PH';
  return [t.value, use, equipment];
}

interface Coding {
  system?: string;
  code?: string;
  display?: string;
}
interface CodeableConcept {
  coding?: Coding[];
  text?: string;
}

/** CodeableConcept → CWE: code^text^system^alt code^alt text^alt system^^^original text. */
export function cwe(concept: CodeableConcept | undefined): Components {
  if (!concept) return [];
  const [first, second] = concept.coding ?? [];
  const out: Components = [
    first?.code,
    first?.display ?? (first ? undefined : concept.text),
    codingSystemName(first?.system),
  ];
  if (second) out.push(second.code, second.display, codingSystemName(second.system));
  if (concept.text && concept.text !== first?.display && first) {
    while (out.length < 8) out.push(undefined);
    out.push(concept.text);
  }
  return out;
}

/** FHIR gender → table 0001. */
export function sex(gender: unknown): string | undefined {
  return typeof gender === 'string' ? reverse(administrativeSex, (g) => g === gender) : undefined;
}
