import { countQueries, createRepository, testDatabases } from '@hospitium/db';
import type { Bundle, Resource } from '@hospitium/fhir';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testObservation, testPatient } from '../../testing/fixtures.js';
import {
  asBundle,
  outcomeText,
  startTestApp,
  type TestServer,
  testBaseUrl,
} from '../../testing/test-server.js';

/**
 * A test server whose database counts statements (N+1 guards). Read auditing is off: these
 * tests count the statements of the search itself; the AuditEvent insert of a read is one fixed
 * group-commit write per request whatever the page (audit/README.md), tested in audit/.
 */
async function countingServer(open: () => Promise<import('@hospitium/db').Database>) {
  const db = await open();
  const counter = countQueries(db);
  const repository = createRepository(counter.db);
  const server = await startTestApp(
    { repository, config: { baseUrl: testBaseUrl }, audit: { reads: false } },
    () => db.close(),
  );
  return { server, counter };
}

const key = (r: Resource | undefined) => `${r?.resourceType}/${r?.id}`;
const entries = (b: Bundle, mode: string) =>
  (b.entry ?? []).filter((e) => e.search?.mode === mode).map((e) => key(e.resource));
const sorted = (list: string[]) => [...list].sort();
const linkOf = (b: Bundle, relation: string) => b.link?.find((l) => l.relation === relation)?.url;

describe.each(testDatabases())('search results on $name', ({ open }) => {
  let s: TestServer;
  let counter: ReturnType<typeof countQueries>;
  let org: Resource;
  let parent: Resource;
  let practitioner: Resource;
  const patients: Resource[] = [];
  const observations: Resource[] = [];

  beforeAll(async () => {
    ({ server: s, counter } = await countingServer(open));
    parent = await s.create({ resourceType: 'Organization', name: 'Trust' });
    org = await s.create({ resourceType: 'Organization', name: 'Ward', partOf: { reference: key(parent) } });
    practitioner = await s.create({ resourceType: 'Practitioner', name: [{ family: 'Osler' }] });
    for (let i = 0; i < 4; i++) {
      patients.push(
        await s.create(
          testPatient({ managingOrganization: { reference: key(org) }, name: [{ family: `Inc${i}` }] }),
        ),
      );
    }
    for (let i = 0; i < 8; i++) {
      const obs = testObservation(key(patients[i % 4]), {
        valueQuantity: { value: 60 + i, unit: '/min', system: 'http://unitsofmeasure.org', code: '/min' },
        performer: [{ reference: key(practitioner) }],
        note: [{ text: `note ${i}` }],
        text: { status: 'generated', div: '<div xmlns="http://www.w3.org/1999/xhtml">obs</div>' },
      });
      observations.push(await s.create(obs));
    }
  });
  afterAll(() => s?.close());

  async function search(path: string): Promise<Bundle> {
    counter.reset();
    const res = await s.get(path);
    expect(res.status, res.text.slice(0, 300)).toBe(200);
    return asBundle(res);
  }

  it('_include adds each referenced patient once, as include entries not counted in total', async () => {
    const b = await search('Observation?_include=Observation:patient&_total=accurate&_count=100');
    expect(b.total).toBe(8);
    expect(sorted(entries(b, 'match'))).toEqual(sorted(observations.map(key)));
    expect(sorted(entries(b, 'include'))).toEqual(sorted(patients.map(key)));
    // the count (_total=accurate), the page, one statement for the include level — whatever the page size.
    expect(counter.statements).toHaveLength(3);
  });

  it('_include with a target type, and _include=*', async () => {
    const typed = await search('Observation?_include=Observation:subject:Patient&_count=2');
    const subjects = (typed.entry ?? [])
      .filter((e) => e.search?.mode === 'match')
      .map((e) => (e.resource?.subject as { reference?: string } | undefined)?.reference ?? '');
    expect(subjects).toHaveLength(2);
    expect(sorted(entries(typed, 'include'))).toEqual(sorted([...new Set(subjects)]));
    const none = await search('Observation?_include=Observation:subject:Group');
    expect(entries(none, 'include')).toEqual([]);
    const all = await search('Observation?_include=*&_count=100');
    expect(sorted(entries(all, 'include'))).toEqual(sorted([...patients, practitioner].map(key)));
  });

  it('_revinclude and _revinclude=* add the referencing resources', async () => {
    const b = await search(`Patient?_id=${patients[0].id}&_revinclude=Observation:subject`);
    expect(entries(b, 'match')).toEqual([key(patients[0])]);
    expect(sorted(entries(b, 'include'))).toEqual(sorted([observations[0], observations[4]].map(key)));
    const star = await search(`Organization?_id=${org.id}&_revinclude=*`);
    // `*` also brings the AuditEvent that recorded the Organization's creation (it names it)
    const audited = entries(star, 'include').filter((k) => k.startsWith('AuditEvent/'));
    expect(audited).toHaveLength(1);
    expect(sorted(entries(star, 'include').filter((k) => !audited.includes(k)))).toEqual(
      sorted(patients.map(key)),
    );
    expect(counter.statements).toHaveLength(2);
  });

  it(':iterate follows references of included resources, one statement per level', async () => {
    const b = await search(
      `Observation?_id=${observations[0].id}&_include=Observation:patient` +
        '&_include:iterate=Patient:organization&_include:iterate=Organization:partof',
    );
    expect(sorted(entries(b, 'include'))).toEqual(sorted([patients[0], org, parent].map(key)));
    // page + levels: patient, organization, its parent, then nothing new.
    expect(counter.statements).toHaveLength(5);
    const plain = await search(
      `Observation?_id=${observations[0].id}&_include=Observation:patient&_include=Patient:organization`,
    );
    expect(sorted(entries(plain, 'include'))).toEqual([key(patients[0])]);
  });

  it('rejects unknown and malformed include parameters with 400 naming them', async () => {
    const cases: [string, string][] = [
      ['Observation?_include=Observation:colour', "'colour'"],
      ['Observation?_include=Observation:status', 'not a reference'],
      ['Observation?_include=Nope:subject', "'Nope'"],
      ['Observation?_include=Observation', 'Type:parameter'],
      ['Observation?_include=Observation:subject:Nope', "'Nope'"],
      ['Observation?_include=Observation:performer:Medication', 'cannot refer to Medication'],
      ['Patient?_revinclude=Observation:colour', "'colour'"],
      ['Observation?_include:deep=Observation:patient', '_include:deep'],
    ];
    for (const [path, text] of cases) {
      const res = await s.get(path);
      expect(res.status, path).toBe(400);
      expect(outcomeText(res), path).toContain(text);
    }
  });

  it('_summary=true keeps the isSummary elements and tags SUBSETTED', async () => {
    const b = await search(`Observation?_id=${observations[0].id}&_summary=true`);
    const obs = b.entry?.[0].resource as Resource;
    expect(Object.keys(obs).sort()).toEqual(
      [
        'code',
        'effectiveDateTime',
        'id',
        'meta',
        'performer',
        'resourceType',
        'status',
        'subject',
        'valueQuantity',
      ].sort(),
    );
    expect((obs.meta as { tag?: unknown[] }).tag).toEqual([
      {
        system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationValue',
        code: 'SUBSETTED',
        display: 'subsetted',
      },
    ]);
    expect(linkOf(b, 'self')).toContain('_summary=true');
  });

  it('_summary=text, data, count and false', async () => {
    const text = (await search(`Observation?_id=${observations[0].id}&_summary=text`)).entry?.[0].resource;
    expect(Object.keys(text ?? {}).sort()).toEqual(['code', 'id', 'meta', 'resourceType', 'status', 'text']);
    const data = (await search(`Observation?_id=${observations[0].id}&_summary=data`)).entry?.[0].resource;
    expect(data?.text).toBeUndefined();
    expect(data?.note).toEqual([{ text: 'note 0' }]);
    expect((data?.meta as { tag?: { code: string }[] } | undefined)?.tag?.[0].code).toBe('SUBSETTED');
    const count = await search('Observation?_summary=count');
    expect(count.total).toBe(8);
    expect(count.entry).toEqual([]);
    const full = (await search(`Observation?_id=${observations[0].id}&_summary=false`)).entry?.[0].resource;
    expect(full).toEqual(observations[0]);
    const bad = await s.get('Observation?_summary=maybe');
    expect(bad.status).toBe(400);
    expect(outcomeText(bad)).toContain('maybe');
  });

  it('_elements keeps the listed top-level elements plus id and meta, matches only', async () => {
    const b = await search(
      `Observation?_id=${observations[0].id}&_elements=status,valueQuantity&_include=Observation:patient`,
    );
    const [match, included] = b.entry ?? [];
    expect(Object.keys(match.resource ?? {}).sort()).toEqual([
      'id',
      'meta',
      'resourceType',
      'status',
      'valueQuantity',
    ]);
    expect(
      (match.resource?.meta as { tag?: { code: string }[] } | undefined)?.tag?.map((t) => t.code),
    ).toEqual(['SUBSETTED']);
    expect(included.resource).toEqual(patients[0]);
    const self = new URL(linkOf(b, 'self') ?? '');
    expect(self.searchParams.get('_elements')).toBe('status,valueQuantity');
    expect(self.searchParams.get('_include')).toBe('Observation:patient');
    const bad = await s.get('Observation?_elements=status,colour');
    expect(bad.status).toBe(400);
    expect(outcomeText(bad)).toContain("'colour'");
  });

  it('pages with absolute links carrying every parameter, stable while rows are added', async () => {
    const query = 'Observation?_include=Observation:patient&_sort=-value-quantity&_count=3&_total=accurate';
    const first = await search(query);
    expect(first.total).toBe(8);
    const next = linkOf(first, 'next');
    expect(next).toMatch(new RegExp(`^${testBaseUrl}/Observation\\?`));
    const nextParams = new URL(next ?? '').searchParams;
    expect(nextParams.get('_include')).toBe('Observation:patient');
    expect(nextParams.get('_sort')).toBe('-value-quantity');
    expect(nextParams.get('_count')).toBe('3');
    expect(nextParams.get('_offset')).toBe('3');
    // A new observation sorting after everything seen does not shift later pages.
    const late = testObservation(key(patients[0]), {
      valueQuantity: { value: 1, unit: '/min', system: 'http://unitsofmeasure.org', code: '/min' },
    });
    const added = await s.create(late);
    const seen: string[] = entries(first, 'match');
    let url: string | undefined = next;
    while (url) {
      const page = await search(url.slice(testBaseUrl.length + 1));
      expect(linkOf(page, 'previous')).toBeDefined();
      expect(linkOf(page, 'first')).toContain('_count=3');
      seen.push(...entries(page, 'match'));
      url = linkOf(page, 'next');
    }
    expect(seen).toEqual([...observations].reverse().map(key).concat(key(added)));
    await s.delete(key(added));
  });

  it('POST _search with a form body answers exactly what GET answers', async () => {
    const query = `patient=${patients[1].id}&_include=Observation:patient&_summary=true`;
    const get = await search(`Observation?${query}`);
    const post = await s.request('POST', 'Observation/_search', {
      raw: query,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(post.status).toBe(200);
    const body = asBundle(post);
    expect(body.entry).toEqual(get.entry);
    expect(linkOf(body, 'self')).toBe(linkOf(get, 'self'));
  });

  it('the CapabilityStatement declares the includes', async () => {
    const statement = (await s.get('metadata')).body as unknown as {
      rest: { resource: { type: string; searchInclude?: string[]; searchRevInclude?: string[] }[] }[];
    };
    const observation = statement.rest[0].resource.find((r) => r.type === 'Observation');
    expect(observation?.searchInclude).toContain('Observation:patient');
    expect(observation?.searchInclude?.[0]).toBe('*');
    expect(observation?.searchRevInclude).toEqual(['*']);
  });

  it('_total=none leaves the total out when more pages follow; _count=1 limits the page', async () => {
    const b = await search('Observation?_total=none&_count=1');
    expect(b.total).toBeUndefined();
    expect(entries(b, 'match')).toHaveLength(1);
  });
});
