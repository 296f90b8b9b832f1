import type { Patient } from '../../api/fhir-types';

/**
 * What a registrar types in the search box, read as a Patient to match: words are names (in
 * either order; "Smith, John" puts the family name first), a date is the birth date
 * (2024-05-31, 05/31/2024 or 31.05.2024), digits are an MRN or part of one.
 * Undefined when there is nothing to search for (blank, or single letters only).
 */
export function patientFromSearchText(text: string): Patient | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  const patient: Patient = { resourceType: 'Patient' };
  const words: string[] = [];
  const identifiers: string[] = [];
  let familyFirst: string | undefined;
  const comma = trimmed.indexOf(',');
  const tokens = trimmed.split(/[\s,]+/).filter((t) => t !== '');
  for (const token of tokens) {
    const date = parseDate(token);
    if (date) {
      patient.birthDate = date;
      continue;
    }
    if (/^[A-Za-z]*\d[\dA-Za-z-]*$/.test(token)) {
      identifiers.push(token);
      continue;
    }
    const word = token.replace(/[^\p{L}'’-]/gu, '');
    if (word !== '') words.push(word);
  }
  if (comma > 0) {
    const before = trimmed.slice(0, comma).trim().split(/\s+/);
    if (before.length === 1 && words[0] === before[0]) familyFirst = words.shift();
  }
  if (familyFirst) patient.name = [{ family: familyFirst, ...(words.length ? { given: words } : {}) }];
  else if (words.length === 1) patient.name = [{ given: words }];
  else if (words.length > 1) patient.name = [{ given: words.slice(0, -1), family: words[words.length - 1] }];
  if (identifiers.length > 0) patient.identifier = identifiers.map((value) => ({ value }));
  if (!patient.name && !patient.birthDate && !patient.identifier) return undefined;
  // A single letter finds nobody in particular (and the server blocks on two or more letters).
  if (!patient.birthDate && !patient.identifier && words.every((w) => w.length < 2)) return undefined;
  return patient;
}

/** A birth date typed in one of the usual forms, as FHIR `YYYY-MM-DD`; undefined otherwise. */
export function parseDate(token: string): string | undefined {
  let y: string | undefined;
  let m: string | undefined;
  let d: string | undefined;
  let match = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(token);
  if (match) [, y, m, d] = match;
  match ??= /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(token);
  if (match && !y) [, m, d, y] = match;
  match ??= /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(token);
  if (match && !y) [, d, m, y] = match;
  if (!y || !m || !d) return undefined;
  const iso = `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`;
  const parsed = new Date(`${iso}T00:00:00Z`);
  if (Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== iso) return undefined;
  return iso;
}
