import type { Resource } from '../../types.js';
import type { TextIndexRow } from '../types.js';
import { normaliseString } from './string.js';
import { isRecord } from './values.js';

/**
 * Longest text kept per vector. PostgreSQL refuses a `tsvector` over 1 MB (a write would fail),
 * and positions stop at 16,383 anyway; 100,000 characters is far more than any clinical
 * narrative and keeps the worst case well under the limit.
 */
export const MAX_SEARCH_TEXT = 100_000;

const TAG = /<[^>]*>/g;
const ENTITY = /&(#x[0-9a-f]{1,6}|#[0-9]{1,7}|[a-z]{2,8});/gi;
const NAMED_ENTITIES: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
};

function decodeEntity(match: string, body: string): string {
  if (body[0] === '#') {
    const code =
      body[1] === 'x' || body[1] === 'X' ? Number.parseInt(body.slice(2), 16) : Number(body.slice(1));
    return Number.isInteger(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : ' ';
  }
  return NAMED_ENTITIES[body.toLowerCase()] ?? match;
}

/**
 * The words of an XHTML narrative: tags become spaces (so `<td>a</td><td>b</td>` stays two
 * words), character references are decoded, then accents are removed and case folded as for
 * string search, so `_text=jose` finds "José".
 */
export function narrativeWords(div: string): string {
  const plain = div.replace(TAG, ' ').replace(ENTITY, decodeEntity);
  return normaliseString(plain).slice(0, MAX_SEARCH_TEXT);
}

/**
 * Keys whose strings are not text a person would search for: identity and bookkeeping, the
 * narrative (added once, as words), references (`Patient/123`; their `display` stays) and the
 * URIs of code systems and extensions, which would add the same lexemes to every resource.
 */
const SKIPPED_KEYS: ReadonlySet<string> = new Set([
  'resourceType',
  'meta',
  'id',
  'text',
  'system',
  'url',
  'reference',
]);

function collectStrings(value: unknown, out: string[], budget: { left: number }, depth = 0): void {
  if (budget.left <= 0) return;
  if (typeof value === 'string') {
    out.push(value);
    budget.left -= value.length + 1;
  } else if (Array.isArray(value)) {
    for (const item of value) collectStrings(item, out, budget, depth + 1);
  } else if (isRecord(value)) {
    // Attachment.data and Binary.data are base64 (sibling contentType): megabytes, no words.
    const base64 = typeof value.contentType === 'string';
    for (const [key, child] of Object.entries(value)) {
      // `text` is skipped at the root only (the Narrative); elsewhere it is text (CodeableConcept.text).
      if (
        (key === 'text' ? depth === 0 : SKIPPED_KEYS.has(key)) ||
        key.startsWith('_') ||
        (base64 && key === 'data')
      )
        continue;
      collectStrings(child, out, budget, depth + 1);
    }
  }
}

/**
 * The full-text row of a resource: its narrative words (`_text`) and the words of all its
 * strings (`_content`: narrative, names, codes and displays, notes, addresses …, not `meta`,
 * ids or base64 data). Null when the resource has no text at all.
 */
export function textRow(resource: Resource): TextIndexRow | null {
  const text = (resource as { text?: unknown }).text;
  const div = isRecord(text) && typeof text.div === 'string' ? narrativeWords(text.div) : '';
  const strings: string[] = div === '' ? [] : [div];
  const budget = { left: MAX_SEARCH_TEXT - div.length };
  collectStrings(resource, strings, budget);
  const content = normaliseString(strings.join(' ')).slice(0, MAX_SEARCH_TEXT);
  if (content === '') return null;
  return { narrative: div === '' ? null : div, content };
}
