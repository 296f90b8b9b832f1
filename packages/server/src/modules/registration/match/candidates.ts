import type { Queryable } from '@hospitium/db';
import { normaliseString } from '@hospitium/fhir';
import type { Patient } from './patient-fields.js';

/** At most this many records are scored per `$match`: the best-blocked ones. */
export const maxCandidates = 200;

/** One way of finding candidates: an indexed lookup and how much a hit counts. */
interface Block {
  sql: string;
  params: unknown[];
}

/**
 * The records worth scoring for `input`, found by blocking keys that each use a B-tree index of
 * the search tables, never by reading every patient: the first two letters of each name word
 * (so one mistyped later letter, or swapped given and family names, still meets the record), its
 * first three letters (ranked higher), the birth date (and the same date with day and month
 * swapped), identifier values exactly, and a partial identifier by its leading characters.
 * Records hit by more keys come first; one SQL statement in all.
 */
export function candidateQuery(input: Patient, limit = maxCandidates): Block | undefined {
  const blocks: Block[] = [];
  const words = new Set<string>();
  for (const name of input.name ?? []) {
    for (const part of [name.family ?? '', ...(name.given ?? []), name.text ?? '']) {
      for (const word of normaliseString(part).split(/[\s,]+/)) if (word.length >= 2) words.add(word);
    }
  }
  for (const word of words) {
    blocks.push(stringPrefix(word.slice(0, 2), 1));
    if (word.length >= 3) blocks.push(stringPrefix(word.slice(0, 3), 1));
  }
  const birth = /^(\d{4})-(\d{2})-(\d{2})$/.exec(input.birthDate ?? '');
  if (birth) {
    blocks.push(dateOn(input.birthDate!, 3));
    const swapped = `${birth[1]}-${birth[3]}-${birth[2]}`;
    if (swapped !== input.birthDate && !Number.isNaN(Date.parse(swapped))) blocks.push(dateOn(swapped, 1));
  }
  for (const identifier of input.identifier ?? []) {
    const value = identifier.value?.trim();
    if (!value) continue;
    blocks.push({
      sql: `SELECT DISTINCT rid, 4 AS w FROM idx_token WHERE resource_type = 'Patient' AND param = 'identifier' AND code = $`,
      params: [value],
    });
    if (value.length >= 4) {
      blocks.push({
        sql: `SELECT DISTINCT rid, 2 AS w FROM idx_token WHERE resource_type = 'Patient' AND param = 'identifier' AND code LIKE $`,
        params: [`${escapeLike(value)}%`],
      });
    }
  }
  if (blocks.length === 0) return undefined;
  const params: unknown[] = [];
  const union = blocks
    .map((b) => {
      let i = 0;
      const sql = b.sql.replace(/\$/g, () => {
        params.push(b.params[i++]);
        return `$${params.length}`;
      });
      return `(${sql})`;
    })
    .join('\nUNION ALL\n');
  params.push(limit);
  return {
    sql: `SELECT r.id, r.content_text FROM (
  SELECT rid, sum(w) AS w FROM (${union}) AS hits GROUP BY rid ORDER BY sum(w) DESC, rid LIMIT $${params.length}
) AS c JOIN resources r ON r.rid = c.rid
WHERE r.resource_type = 'Patient' AND NOT r.deleted
ORDER BY c.w DESC, r.rid`,
    params,
  };
}

function stringPrefix(prefix: string, weight: number): Block {
  return {
    sql: `SELECT DISTINCT rid, ${weight} AS w FROM idx_string WHERE resource_type = 'Patient' AND param = 'name' AND value LIKE $`,
    params: [`${escapeLike(prefix)}%`],
  };
}

/** Records whose birth date falls on `day` (the index holds it as a UTC range of that day). */
function dateOn(day: string, weight: number): Block {
  const start = `${day}T00:00:00Z`;
  return {
    sql: `SELECT DISTINCT rid, ${weight} AS w FROM idx_date WHERE resource_type = 'Patient' AND param = 'birthdate' AND start_at >= $::timestamptz AND start_at < $::timestamptz + interval '1 day'`,
    params: [start, start],
  };
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** Loads the candidate records for `input` (at most `limit`), best-blocked first. */
export async function findCandidates(
  db: Queryable,
  input: Patient,
  limit = maxCandidates,
): Promise<Patient[]> {
  const query = candidateQuery(input, limit);
  if (!query) return [];
  const result = await db.query<{ id: string; content_text: string }>(query.sql, query.params);
  return result.rows.map((row) => JSON.parse(row.content_text) as Patient);
}

/** What `Patient/$match` needs from the database: the candidates for an input Patient. */
export interface PatientCandidates {
  find(input: Patient, limit?: number): Promise<Patient[]>;
}

/** The candidate finder over one database. */
export function patientCandidates(db: Queryable): PatientCandidates {
  return { find: (input, limit) => findCandidates(db, input, limit) };
}
