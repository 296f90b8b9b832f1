import { isOperationOutcomeError, type Resource } from '@hospitium/fhir';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../engine/types.js';
import { createRepository } from '../../repository/repository.js';
import type { Repository, SearchFilter } from '../../repository/types.js';
import { testDatabases } from '../../testing/databases.js';
import { searchFilter as f } from '../../testing/search-filter.js';

const narrative = (html: string) => ({
  status: 'generated',
  div: `<div xmlns="http://www.w3.org/1999/xhtml">${html}</div>`,
});

/** A problem list entry with a narrative and coded text that is not in the narrative. */
function condition(id: string, html: string, codeText: string, note?: string): Resource {
  return {
    resourceType: 'Condition',
    id,
    text: narrative(html),
    code: { text: codeText },
    subject: { reference: 'Patient/p1' },
    ...(note ? { note: [{ text: note }] } : {}),
  };
}

describe.each(testDatabases())('full-text search (_text, _content) on $name', ({ open }) => {
  let db: Database;
  let repo: Repository;

  async function ids(resourceType: string, ...filters: SearchFilter[]): Promise<string[]> {
    const result = await repo.search({ resourceType, filters, sort: [{ code: '_id', descending: false }] });
    return result.resources.map((r) => r.id ?? '');
  }

  async function rejection(resourceType: string, ...filters: SearchFilter[]): Promise<string> {
    try {
      await repo.search({ resourceType, filters });
    } catch (err) {
      if (isOperationOutcomeError(err) && err.status === 400)
        return err.outcome.issue[0]?.details?.text ?? '';
      throw err;
    }
    throw new Error('expected a 400');
  }

  beforeAll(async () => {
    db = await open();
    repo = createRepository(db);
    const resources = [
      condition('c1', '<p>Congestive <b>heart</b> failure, NYHA class II</p>', 'CHF', 'No fever today'),
      condition('c2', '<p>Heart murmur; no failure</p>', 'Murmur'),
      condition('c3', '<table><tr><td>Asthma</td><td>smoker</td></tr></table>', 'Asthma, smoker'),
      condition('c4', '<p>Pneumonie chez M. Léon Dupré &amp; famille</p>', 'Pneumonia'),
      {
        resourceType: 'Condition',
        id: 'c5',
        code: { text: 'Heart failure without narrative' },
        subject: { reference: 'Patient/p1' },
      },
      {
        resourceType: 'Patient',
        id: 'p1',
        text: narrative('<p>Peter Chalmers, heart failure clinic</p>'),
        name: [{ family: 'Chalmers', given: ['Peter'] }],
        address: [{ city: 'Zürich' }],
      },
      { resourceType: 'Patient', id: 'p2', name: [{ family: 'Asthma-Free' }] },
      {
        resourceType: 'Binary',
        id: 'b1',
        contentType: 'text/plain',
        data: 'aGVhcnQgZmFpbHVyZQ==',
      },
    ];
    await repo.createResources(resources, { ids: resources.map((r) => r.id ?? '') });
  });

  afterAll(async () => {
    await db?.close();
  });

  it('_text finds words of the narrative, markup stripped, whole words only', async () => {
    expect(await ids('Condition', f('_text', 'heart'))).toEqual(['c1', 'c2']);
    expect(await ids('Condition', f('_text', 'HEART'))).toEqual(['c1', 'c2']);
    expect(await ids('Condition', f('_text', 'hear'))).toEqual([]);
    // Table cells are separate words; tags never become words.
    expect(await ids('Condition', f('_text', 'asthma'))).toEqual(['c3']);
    expect(await ids('Condition', f('_text', 'smoker'))).toEqual(['c3']);
    expect(await ids('Condition', f('_text', 'td'))).toEqual([]);
    // Narrative only: c5 has the words in code.text, c1's note is not narrative.
    expect(await ids('Condition', f('_text', 'fever'))).toEqual([]);
  });

  it('_text: words AND-ed, phrases, OR with commas or "or", NOT with -, AND by repetition', async () => {
    expect(await ids('Condition', f('_text', 'heart failure'))).toEqual(['c1', 'c2']);
    expect(await ids('Condition', f('_text', '"heart failure"'))).toEqual(['c1']);
    expect(await ids('Condition', f('_text', 'murmur', 'asthma'))).toEqual(['c2', 'c3']);
    expect(await ids('Condition', f('_text', 'murmur or asthma'))).toEqual(['c2', 'c3']);
    expect(await ids('Condition', f('_text', 'heart -murmur'))).toEqual(['c1']);
    expect(await ids('Condition', f('_text', 'heart'), f('_text', 'congestive'))).toEqual(['c1']);
  });

  it('folds accents and decodes character references', async () => {
    expect(await ids('Condition', f('_text', 'leon dupre'))).toEqual(['c4']);
    expect(await ids('Condition', f('_text', 'Léon'))).toEqual(['c4']);
    expect(await ids('Condition', f('_text', 'amp'))).toEqual([]);
    expect(await ids('Patient', f('_content', 'zurich'))).toEqual(['p1']);
  });

  it('_content finds any text of the resource: narrative, coded text, notes, names', async () => {
    expect(await ids('Condition', f('_content', 'heart failure'))).toEqual(['c1', 'c2', 'c5']);
    expect(await ids('Condition', f('_content', 'fever'))).toEqual(['c1']);
    expect(await ids('Condition', f('_content', 'chf'))).toEqual(['c1']);
    expect(await ids('Patient', f('_content', 'chalmers'))).toEqual(['p1']);
    // Not ids, meta, systems or base64 data.
    expect(await ids('Patient', f('_content', 'p1'))).toEqual([]);
    expect(await ids('Binary', f('_content', 'aGVhcnQgZmFpbHVyZQ'))).toEqual([]);
  });

  it('combines with other parameters and works across types (_type and system-wide)', async () => {
    expect(await ids('Condition', f('_content', 'heart'), f('code:text', 'murmur'))).toEqual(['c2']);
    const across = await repo.search({
      resourceType: 'Patient',
      resourceTypes: ['Patient', 'Condition'],
      filters: [f('_text', 'heart failure')],
      sort: [{ code: '_id', descending: false }],
    });
    expect(across.resources.map((r) => `${r.resourceType}/${r.id}`)).toEqual([
      'Condition/c1',
      'Condition/c2',
      'Patient/p1',
    ]);
    const everything = await repo.search({
      resourceType: 'Account',
      resourceTypes: ['Account', 'Binary', 'Condition', 'Patient'],
      filters: [f('_content', 'asthma')],
      sort: [{ code: '_id', descending: false }],
    });
    expect(everything.resources.map((r) => `${r.resourceType}/${r.id}`)).toEqual([
      'Condition/c3',
      'Patient/p2',
    ]);
  });

  it('keeps the vectors of the current version only: update and delete', async () => {
    await repo.createResources([condition('u1', '<p>Appendicitis</p>', 'Appendicitis')], { ids: ['u1'] });
    expect(await ids('Condition', f('_text', 'appendicitis'))).toEqual(['u1']);
    await repo.updateResource(condition('u1', '<p>Cholecystitis</p>', 'Cholecystitis'));
    expect(await ids('Condition', f('_text', 'appendicitis'))).toEqual([]);
    expect(await ids('Condition', f('_content', 'cholecystitis'))).toEqual(['u1']);
    await repo.deleteResource('Condition', 'u1');
    expect(await ids('Condition', f('_content', 'cholecystitis'))).toEqual([]);
    const rows = await db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM idx_text t JOIN resources r ON r.rid = t.rid WHERE r.id = 'u1'",
    );
    expect(rows.rows[0]?.n).toBe(0);
  });

  it('rejects empty or wordless values and modifiers with a 400 naming the parameter', async () => {
    expect(await rejection('Condition', f('_text', ''))).toMatch(/'_text' needs at least one word/);
    expect(await rejection('Condition', f('_content', '!!!'))).toMatch(/'_content' needs at least one word/);
    expect(await rejection('Condition', f('_text:exact', 'heart'))).toMatch(
      /':exact' is not supported.*'_text'/,
    );
    expect(await rejection('Condition', f('_text', 'x'.repeat(1001)))).toMatch(/'_text' is longer than 1000/);
    expect(await rejection('Binary', f('_text', 'heart'))).toMatch(/Unknown search parameter '_text'/);
    await expect(
      repo.search({ resourceType: 'Condition', filters: [], sort: [{ code: '_text', descending: false }] }),
    ).rejects.toThrow(/Cannot sort by '_text'/);
  });
});
