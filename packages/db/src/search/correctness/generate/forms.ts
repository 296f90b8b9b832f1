import type { SearchParamDef } from '@hospitium/fhir';
import type { SearchFilter } from '../../../repository/types.js';
import type { TypedValue } from '../fhirpath-values.js';
import { dateFacts } from '../match/date.js';
import { quantityFacts } from '../match/quantity.js';
import { referenceTarget, referenceText } from '../match/reference.js';
import { escapeValue as esc } from '../match/search-value.js';
import { stringFacts } from '../match/string.js';
import { tokenFacts } from '../match/token.js';
import type { Random } from './random.js';

/** One candidate query: its AND-ed filters. */
export type Candidate = SearchFilter[];

const f = (code: string, modifier: string | undefined, ...values: string[]): SearchFilter =>
  modifier === undefined ? { code, values } : { code, modifier, values };

/** Coded types where `|code` and `system|` have a meaning (they carry a system). */
const systemTypes = new Set(['Coding', 'CodeableConcept', 'Identifier']);

export function tokenForms(rng: Random, def: SearchParamDef, items: TypedValue[]): Candidate[] {
  const c = def.code;
  const withSystem = items.filter((i) => systemTypes.has(i.type)).flatMap((i) => tokenFacts(i).codes);
  const codes = items.flatMap((i) => tokenFacts(i).codes).filter((x) => x.code !== undefined);
  const texts = items.flatMap((i) => tokenFacts(i).texts);
  const out: Candidate[] = [[f(c, 'missing', rng.chance(0.5) ? 'true' : 'false')]];
  out.push([f(c, undefined, 'no-such-code-zz9')]);
  if (codes.length > 0) {
    const a = rng.pick(codes);
    const b = rng.pick(codes);
    out.push([f(c, undefined, esc(a.code ?? ''))]);
    out.push([f(c, undefined, esc(a.code ?? ''), esc(b.code ?? ''))]);
    out.push([f(c, 'not', esc(rng.pick(codes).code ?? ''))]);
  }
  const full = withSystem.filter((x) => x.system !== undefined && x.code !== undefined);
  if (full.length > 0) {
    const a = rng.pick(full);
    out.push([f(c, undefined, `${esc(a.system ?? '')}|${esc(a.code ?? '')}`)]);
    out.push([f(c, undefined, `${esc(rng.pick(full).system ?? '')}|`)]);
    const n = rng.pick(full);
    out.push([f(c, 'not', `${esc(n.system ?? '')}|${esc(n.code ?? '')}`)]);
    out.push([f(c, undefined, `${esc(a.system ?? '')}|no-such-code-zz9`)]);
  }
  const someCoded = withSystem.filter((x) => x.code !== undefined);
  if (someCoded.length > 0) out.push([f(c, undefined, `|${esc(rng.pick(someCoded).code ?? '')}`)]);
  const withComma = texts.filter((t) => /[,|$]/.test(t));
  if (withComma.length > 0) {
    // Characters with a meaning in search values arrive escaped (`\,`) and must match as text.
    const t = rng.pick(withComma);
    out.push([f(c, 'text', esc(t.slice(0, t.search(/[,|$]/) + 1)))]);
  }
  if (texts.length > 0) {
    const t = rng.pick(texts);
    const prefix = t.slice(0, 3 + rng.int(Math.max(1, t.length - 2)));
    out.push([f(c, 'text', esc(rng.chance(0.5) ? prefix.toUpperCase() : prefix.toLowerCase()))]);
  }
  return out;
}

function caseVariant(rng: Random, text: string): string {
  const r = rng.int(3);
  return r === 0 ? text : r === 1 ? text.toLowerCase() : text.toUpperCase();
}

export function stringForms(rng: Random, def: SearchParamDef, items: TypedValue[]): Candidate[] {
  const c = def.code;
  const texts = items.flatMap(stringFacts);
  const out: Candidate[] = [
    [f(c, 'missing', rng.chance(0.5) ? 'true' : 'false')],
    [f(c, undefined, 'Zzqxv')],
  ];
  if (texts.length === 0) return out;
  const a = rng.pick(texts);
  const b = rng.pick(texts);
  out.push([f(c, undefined, esc(caseVariant(rng, a.slice(0, 1 + rng.int(a.length)))))]);
  out.push([f(c, undefined, esc(a.slice(0, 2)), esc(b.slice(0, 1 + rng.int(b.length))))]);
  out.push([f(c, 'exact', esc(rng.pick(texts)))]);
  const upper = a.toUpperCase();
  out.push([f(c, 'exact', esc(upper === a ? a.toLowerCase() : upper))]);
  const accented = texts.filter((t) => /[aeiou]/i.test(t.slice(0, 6)));
  if (accented.length > 0) {
    // The default search ignores accents on both sides: `Jose` and `José` are the same text.
    const t = rng.pick(accented).slice(0, 6);
    out.push([f(c, undefined, esc(t.replace(/[aeiou]/, (v) => `${v}\u0301`).normalize('NFC')))]);
  }
  const m = rng.pick(texts);
  const start = rng.int(Math.max(1, m.length - 2));
  out.push([f(c, 'contains', esc(caseVariant(rng, m.slice(start, start + 2 + rng.int(4)))))]);
  return out;
}

const datePrefixes = ['eq', 'ne', 'gt', 'lt', 'ge', 'le', 'sa', 'eb'] as const;

/** An instant written at a random precision, in UTC or with an offset. */
function writeDate(rng: Random, ms: number, hasFraction: boolean): string {
  const iso = new Date(ms).toISOString(); // 2020-03-04T10:11:12.345Z
  switch (rng.int(hasFraction ? 7 : 6)) {
    case 0:
      return iso.slice(0, 4);
    case 1:
      return iso.slice(0, 7);
    case 2:
    case 3:
      return iso.slice(0, 10);
    case 4:
      return `${iso.slice(0, 19)}Z`;
    case 5: {
      const local = new Date(ms + 5 * 3600_000).toISOString();
      return `${local.slice(0, 19)}+05:00`;
    }
    default:
      return iso;
  }
}

export function dateForms(rng: Random, def: SearchParamDef, items: TypedValue[]): Candidate[] {
  const c = def.code;
  const out: Candidate[] = [
    [f(c, 'missing', rng.chance(0.5) ? 'true' : 'false')],
    [f(c, undefined, 'gt2200-01-01')],
  ];
  const fractions = items.some((i) => typeof i.value === 'string' && /\.\d/.test(i.value));
  const points = items
    .flatMap(dateFacts)
    .flatMap((r) => [r.start, r.end - 1])
    .filter((x) => Number.isFinite(x));
  if (points.length === 0) return out;
  const day = 86_400_000;
  const near = () => rng.pick(points) + (rng.chance(0.3) ? (rng.int(5) - 2) * day : 0);
  for (let i = 0; i < 5; i++)
    out.push([f(c, undefined, `${rng.pick(datePrefixes)}${writeDate(rng, near(), fractions)}`)]);
  const written = items.map((i) => i.value).filter((v): v is string => typeof v === 'string');
  if (written.length > 0) out.push([f(c, undefined, `${rng.pick(datePrefixes)}${rng.pick(written)}`)]);
  const t = rng.pick(points);
  out.push([
    f(c, undefined, `ge${writeDate(rng, t - rng.int(30) * day, fractions)}`),
    f(c, undefined, `le${writeDate(rng, t + rng.int(30) * day, fractions)}`),
  ]);
  out.push([f(c, undefined, writeDate(rng, near(), fractions), writeDate(rng, near(), fractions))]);
  return out;
}

export function referenceForms(rng: Random, def: SearchParamDef, items: TypedValue[]): Candidate[] {
  const c = def.code;
  const out: Candidate[] = [[f(c, 'missing', rng.chance(0.5) ? 'true' : 'false')]];
  const noType = def.target[0] ?? 'Patient';
  out.push([f(c, undefined, `${noType}/no-such-id`)]);
  const texts = items.map(referenceText).filter((t): t is string => t !== undefined);
  const targets = items
    .filter((i) => i.type === 'Reference')
    .flatMap((i) => {
      const target = referenceTarget(referenceText(i) ?? '');
      return target ? [target] : [];
    })
    .filter((t) => def.target.length === 0 || def.target.includes(t.type));
  // Canonicals, absolute URLs, `#contained`: searched by their text as written.
  const others = texts.filter((t) => !referenceTarget(t) && !t.startsWith('#'));
  if (others.length > 0) out.push([f(c, undefined, esc(rng.pick(others)))]);
  if (targets.length === 0) return out;
  const a = rng.pick(targets);
  const b = rng.pick(targets);
  out.push([f(c, undefined, `${a.type}/${a.id}`)]);
  out.push([f(c, undefined, `${a.type}/${a.id}`, `${b.type}/${b.id}`)]);
  const m = rng.pick(targets);
  out.push([f(c, m.type, m.id)]);
  const other = def.target.find((t) => t !== m.type);
  if (other) out.push([f(c, other, m.id)]);
  out.push([f(c, undefined, rng.pick(targets).id)]);
  return out;
}

function writeNumber(rng: Random, n: number): string {
  const r = rng.int(3);
  const text = r === 0 ? String(n) : r === 1 ? n.toFixed(0) : n.toFixed(1);
  return /e/i.test(text) ? n.toFixed(3) : text;
}

const numberPrefixes = ['eq', 'ne', 'gt', 'lt', 'ge', 'le', 'ap'] as const;

export function quantityForms(rng: Random, def: SearchParamDef, items: TypedValue[]): Candidate[] {
  const c = def.code;
  const out: Candidate[] = [
    [f(c, 'missing', rng.chance(0.5) ? 'true' : 'false')],
    [f(c, undefined, 'gt999999999')],
  ];
  const facts = items.flatMap(quantityFacts);
  if (facts.length === 0) return out;
  for (let i = 0; i < 3; i++) {
    const q = rng.pick(facts);
    out.push([f(c, undefined, `${rng.pick(numberPrefixes)}${writeNumber(rng, q.value)}`)]);
  }
  if (def.type === 'number') return out;
  const coded = facts.filter((q) => q.system !== undefined && q.code !== undefined);
  if (coded.length > 0) {
    const q = rng.pick(coded);
    out.push([f(c, undefined, `${writeNumber(rng, q.value)}|${esc(q.system ?? '')}|${esc(q.code ?? '')}`)]);
    const p = rng.pick(coded);
    out.push([
      f(c, undefined, `${rng.pick(numberPrefixes)}${writeNumber(rng, p.value)}||${esc(p.code ?? '')}`),
    ]);
    out.push([f(c, undefined, `${writeNumber(rng, q.value)}|${esc(q.system ?? '')}|no-such-unit`)]);
  }
  const withUnit = facts.filter((q) => q.unit !== undefined);
  if (withUnit.length > 0) {
    const q = rng.pick(withUnit);
    out.push([f(c, undefined, `le${writeNumber(rng, q.value)}||${esc(q.unit ?? '')}`)]);
  }
  return out;
}

export function uriForms(rng: Random, def: SearchParamDef, items: TypedValue[]): Candidate[] {
  const c = def.code;
  const out: Candidate[] = [
    [f(c, 'missing', rng.chance(0.5) ? 'true' : 'false')],
    [f(c, undefined, 'urn:no-such-uri')],
  ];
  const uris = items.map((i) => i.value).filter((v): v is string => typeof v === 'string');
  if (uris.length === 0) return out;
  const u = rng.pick(uris);
  out.push([f(c, undefined, esc(u))]);
  const cut = u.lastIndexOf('/');
  if (cut > 0) out.push([f(c, 'below', esc(u.slice(0, cut)))]);
  out.push([f(c, 'above', esc(`${u}/child`))]);
  return out;
}

/** Distances and units for `near` forms: a hospital campus to a region, metric and imperial. */
const nearDistances = ['0.5|km', '5', '25|km', '30|mi', '200|km', '1500|[mi_i]', '800000|m'];

/**
 * `near=lat|lon|distance|units` around real positions (and shifted ones), one with the default
 * distance, one far from everything. The first form is the empty-result one: `near` has no
 * `:missing`, and a parameter without data gets only the first form.
 */
export function nearForms(rng: Random, def: SearchParamDef, items: TypedValue[]): Candidate[] {
  const c = def.code;
  const out: Candidate[] = [[f(c, undefined, '-89.99|0|1|km')]];
  const points = items.flatMap((i) => {
    const v = i.value as { latitude?: unknown; longitude?: unknown } | null;
    return typeof v?.latitude === 'number' && typeof v.longitude === 'number'
      ? [{ latitude: v.latitude, longitude: v.longitude }]
      : [];
  });
  if (points.length === 0) return out;
  const around = () => {
    const p = rng.pick(points);
    const shift = () => (rng.chance(0.5) ? 0 : (rng.int(200) - 100) / 100);
    const lat = Math.max(-90, Math.min(90, p.latitude + shift()));
    const lon = Math.max(-180, Math.min(180, p.longitude + shift()));
    return `${lat.toFixed(4)}|${lon.toFixed(4)}`;
  };
  for (const distance of nearDistances) out.push([f(c, undefined, `${around()}|${distance}`)]);
  out.push([f(c, undefined, around())]);
  out.push([f(c, undefined, `${around()}|1|km`, `${around()}|10|km`)]);
  return out;
}
