import type { Address, ContactPoint, HumanName, Identifier, Patient } from './patient-fields.js';
import { nameTokens, normaliseName, tokenSimilarity } from './similarity.js';

/** The FHIR match grades (`http://hl7.org/fhir/ValueSet/match-grade`). */
export const matchGrades = ['certain', 'probable', 'possible', 'certainly-not'] as const;
export type MatchGrade = (typeof matchGrades)[number];

/** How alike each compared field is, in [0, 1]; absent when the input did not give it. */
export interface FieldScores {
  name?: number;
  birthDate?: number;
  gender?: number;
  address?: number;
  telecom?: number;
  identifier?: number;
}

export interface MatchScore {
  /** Overall likeness in [0, 1]; what `Bundle.entry.search.score` carries. */
  score: number;
  grade: MatchGrade;
  fields: FieldScores;
}

/**
 * How much each field says about identity. Names and birth dates carry most; sex little (it only
 * rules out); a shared identifier (SSN, driver's licence, MRN) almost settles it.
 */
const weights: Required<Record<keyof FieldScores, number>> = {
  name: 4,
  birthDate: 3,
  gender: 0.5,
  address: 1,
  telecom: 1.5,
  identifier: 4,
};

/** The likeness a field gets when the input gives it and the candidate's record lacks it. */
const unknownField = 0.3;

/**
 * Scores a candidate record against the patient being looked for (the `$match` input). Only
 * the fields the input gives are compared; the score is their weighted mean. The grade follows
 * the evidence: `certain` needs the name and the exact birth date (or a shared identifier),
 * so a name alone is at most `probable`.
 */
export function scorePatient(input: Patient, candidate: Patient): MatchScore {
  const fields: FieldScores = {};
  const inputNames = input.name ?? [];
  if (inputNames.some((n) => nameTokensOf(n).all.length > 0)) {
    fields.name = nameScore(inputNames, candidate.name ?? []);
  }
  if (input.birthDate) fields.birthDate = birthDateScore(input.birthDate, candidate.birthDate);
  if (input.gender && input.gender !== 'unknown') {
    fields.gender = candidate.gender ? (candidate.gender === input.gender ? 1 : 0) : unknownField;
  }
  if ((input.address ?? []).some(hasAddress)) {
    fields.address = addressScore(input.address ?? [], candidate.address ?? []);
  }
  if ((input.telecom ?? []).some((t) => t.value)) {
    fields.telecom = telecomScore(input.telecom ?? [], candidate.telecom ?? []);
  }
  let identifierConflict = false;
  if ((input.identifier ?? []).some((i) => i.value)) {
    const id = identifierScore(input.identifier ?? [], candidate.identifier ?? []);
    fields.identifier = id.score;
    identifierConflict = id.conflict;
  }
  let achieved = 0;
  let possible = 0;
  for (const [field, value] of Object.entries(fields) as [keyof FieldScores, number][]) {
    achieved += weights[field] * value;
    possible += weights[field];
  }
  let score = possible === 0 ? 0 : achieved / possible;
  // The same kind of identifier with a different value (another SSN) is evidence against.
  if (identifierConflict && (fields.identifier ?? 0) < 0.9) score *= 0.6;
  score = Math.round(score * 1000) / 1000;
  return { score, grade: gradeOf(score, fields), fields };
}

function gradeOf(score: number, f: FieldScores): MatchGrade {
  const sharedIdentifier = (f.identifier ?? 0) >= 0.9 && (f.name ?? 1) >= 0.8;
  const nameAndBirth = (f.name ?? 0) >= 0.9 && f.birthDate === 1 && (f.gender ?? 1) > 0;
  if (score >= 0.9 && (nameAndBirth || sharedIdentifier)) return 'certain';
  if (score >= 0.8) return 'probable';
  if (score >= 0.6) return 'possible';
  return 'certainly-not';
}

interface NameTokens {
  given: string[];
  family: string[];
  all: string[];
}

function nameTokensOf(name: HumanName): NameTokens {
  const given = (name.given ?? []).flatMap(nameTokens);
  const family = nameTokens(name.family ?? '');
  if (given.length === 0 && family.length === 0 && name.text) {
    // A name given only as text: the last word is taken as the family name.
    const words = nameTokens(name.text);
    return { given: words.slice(0, -1), family: words.slice(-1), all: words };
  }
  return { given, family, all: [...given, ...family] };
}

/** Mean over `wanted` of the best likeness among `have` (0 when `have` is empty). */
function bestMean(wanted: string[], have: string[]): number {
  if (wanted.length === 0) return 1;
  if (have.length === 0) return 0;
  let sum = 0;
  for (const w of wanted) sum += Math.max(...have.map((h) => tokenSimilarity(w, h)));
  return sum / wanted.length;
}

/**
 * Name likeness: family against family and given against given, or — at a small discount —
 * swapped (registrars and patients put the family name first often enough), the best over the
 * candidate's names (official, maiden, nickname).
 */
export function nameScore(input: HumanName[], candidate: HumanName[]): number {
  let best = 0;
  for (const wantedName of input) {
    const want = nameTokensOf(wantedName);
    if (want.all.length === 0) continue;
    for (const haveName of candidate) {
      const have = nameTokensOf(haveName);
      const combine = (family: number, given: number) => {
        if (want.family.length === 0) return given;
        if (want.given.length === 0) return family;
        return 0.6 * family + 0.4 * given;
      };
      const direct = combine(bestMean(want.family, have.family), bestMean(want.given, have.given));
      const swapped = combine(bestMean(want.family, have.given), bestMean(want.given, have.family));
      // Words in any order against every word of the name: "Smith John Paul" as one string.
      const anyOrder = bestMean(want.all, have.all);
      best = Math.max(best, direct, 0.97 * swapped, 0.95 * anyOrder);
    }
  }
  return Math.min(1, best);
}

/**
 * Birth-date likeness: exact 1; day and month swapped (03/04 read as 04/03) 0.8; one digit
 * mistyped 0.7; the same year only 0.2.
 */
export function birthDateScore(wanted: string, have: string | undefined): number {
  if (!have) return unknownField;
  if (wanted === have) return 1;
  const w = /^(\d{4})-(\d{2})-(\d{2})/.exec(wanted);
  const h = /^(\d{4})-(\d{2})-(\d{2})/.exec(have);
  if (!w || !h) return wanted.slice(0, 4) === have.slice(0, 4) ? 0.2 : 0;
  if (w[1] === h[1] && w[2] === h[3] && w[3] === h[2]) return 0.8;
  const a = `${w[1]}${w[2]}${w[3]}`;
  const b = `${h[1]}${h[2]}${h[3]}`;
  let differing = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) differing++;
  if (differing === 1) return 0.7;
  return w[1] === h[1] ? 0.2 : 0;
}

function hasAddress(a: Address): boolean {
  return Boolean(a.postalCode || a.line?.some((l) => l.trim() !== '') || a.city);
}

/** Address likeness: postal code, first line and city, the best of the candidate's addresses. */
export function addressScore(input: Address[], candidate: Address[]): number {
  if (candidate.length === 0) return unknownField;
  let best = 0;
  for (const want of input.filter(hasAddress)) {
    for (const have of candidate) {
      const parts: number[] = [];
      if (want.postalCode) parts.push(postal(want.postalCode) === postal(have.postalCode) ? 1 : 0);
      const wantLine = normaliseName(want.line?.[0] ?? '');
      if (wantLine) parts.push(tokenSimilarity(wantLine, normaliseName(have.line?.[0] ?? '')));
      if (want.city) parts.push(tokenSimilarity(normaliseName(want.city), normaliseName(have.city ?? '')));
      if (parts.length > 0) best = Math.max(best, parts.reduce((s, p) => s + p, 0) / parts.length);
    }
  }
  return best;
}

const postal = (code: string | undefined) => (code ?? '').replace(/\s+/g, '').toUpperCase().slice(0, 5);
const digits = (value: string) => value.replace(/\D/g, '').slice(-10);

/** Telecom likeness: 1 when a phone (last ten digits) or e-mail address is shared, else 0. */
export function telecomScore(input: ContactPoint[], candidate: ContactPoint[]): number {
  if (candidate.length === 0) return unknownField;
  for (const want of input) {
    if (!want.value) continue;
    for (const have of candidate) {
      if (!have.value) continue;
      if (want.system === 'email' || have.system === 'email') {
        if (want.value.trim().toLowerCase() === have.value.trim().toLowerCase()) return 1;
      } else if (digits(want.value).length >= 7 && digits(want.value) === digits(have.value)) return 1;
    }
  }
  return 0;
}

/**
 * Identifier likeness: the same system and value 1; the same value under another or no system
 * 0.9; the value's first four or more characters (a partial MRN typed in a search box) 0.7.
 * `conflict`: the candidate has a different value in a system the input names (another SSN).
 */
export function identifierScore(
  input: Identifier[],
  candidate: Identifier[],
): { score: number; conflict: boolean } {
  let score = 0;
  let conflict = false;
  for (const want of input) {
    const value = want.value?.trim();
    if (!value) continue;
    for (const have of candidate) {
      if (!have.value) continue;
      const sameSystem = Boolean(want.system) && want.system === have.system;
      if (have.value === value) score = Math.max(score, sameSystem || !want.system ? 1 : 0.9);
      else if (value.length >= 4 && have.value.startsWith(value) && (sameSystem || !want.system)) {
        score = Math.max(score, 0.7);
      } else if (sameSystem) conflict = true;
    }
  }
  return { score, conflict };
}
