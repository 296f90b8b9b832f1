import { countQueries, createRepository, type Database, testDatabases } from '@hospitium/db';
import { type Bundle, patientCompartmentParams, type Resource } from '@hospitium/fhir';
import { corpusDir, corpusMissingReason, listCorpus, readCorpusJson } from '@hospitium/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { internalAccess } from '../../auth/tokens/access-context.js';
import { createTestAuthority } from '../../auth/tokens/test-authority.js';
import { createApp } from '../../http/app.js';
import { asBundle, outcomeText, TestServer, testBaseUrl } from '../../testing/test-server.js';
import { processBundle } from '../interactions/bundle/process-bundle.js';

const key = (r: Resource | undefined) => `${r?.resourceType}/${r?.id}`;
const quiet = { error() {}, warn() {}, info() {} };
const referenced = new Set(['Practitioner', 'Organization', 'Location', 'Medication']);

/** Every `reference` string in a resource. */
function references(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) for (const item of node) references(item, out);
  else if (typeof node === 'object' && node !== null) {
    for (const [k, value] of Object.entries(node)) {
      if (k === 'reference' && typeof value === 'string') out.push(value);
      else references(value, out);
    }
  }
  return out;
}

const files = corpusDir ? listCorpus('synthea', 'fhir-r4').filter((f) => f.endsWith('.json.gz')) : [];

describe.skipIf(!corpusDir).each(testDatabases())(
  `Patient/$everything on a Synthea patient on $name${corpusDir ? '' : ` (${corpusMissingReason})`}`,
  ({ open }) => {
    let db: Database;
    let s: TestServer;
    let counter: ReturnType<typeof countQueries>;
    let patientId: string;
    let stored: Resource[];
    let otherStored: Resource[];

    beforeAll(async () => {
      db = await open();
      counter = countQueries(db);
      const repository = createRepository(counter.db);
      const authority = await createTestAuthority(testBaseUrl);
      // Read auditing off: the test counts the statements of each page; the AuditEvent of a
      // read is one fixed write per request (tested in audit/).
      const app = createApp({
        repository,
        config: { baseUrl: testBaseUrl },
        auth: authority,
        ready: async () => true,
        audit: { reads: false },
      });
      await app.ready();
      s = new TestServer(app, repository, () => db.close(), authority, await authority.token('system/*.*'));
      const ctx = { repository, baseUrl: testBaseUrl, logger: quiet, access: internalAccess };
      for (const file of files.filter((f) => f.startsWith('_'))) {
        await processBundle(readCorpusJson<Bundle>('synthea', 'fhir-r4', file), ctx);
      }
      const patientFiles = files.filter((f) => !f.startsWith('_'));
      // Two patients, so the test proves the other patient's data stays out.
      const other = await processBundle(readCorpusJson<Bundle>('synthea', 'fhir-r4', patientFiles[1]), ctx);
      otherStored = (other.entry ?? []).map((e) => e.resource as Resource);
      const response = await processBundle(
        readCorpusJson<Bundle>('synthea', 'fhir-r4', patientFiles[0]),
        ctx,
      );
      stored = (response.entry ?? []).map((e) => e.resource as Resource);
      patientId = stored.find((r) => r.resourceType === 'Patient')?.id ?? '';
    });
    afterAll(() => s?.close());

    /** Independent expectation: stored resources of a compartment type that reference the patient. */
    function expectedCompartment(): string[] {
      return stored
        .filter(
          (r) =>
            r.resourceType === 'Patient' ||
            (patientCompartmentParams(r.resourceType).length > 0 &&
              references(r).includes(`Patient/${patientId}`)),
        )
        .map(key)
        .sort();
    }

    async function everything(query: string): Promise<Bundle> {
      counter.reset();
      const res = await s.get(`Patient/${patientId}/$everything${query}`);
      expect(res.status, res.text.slice(0, 300)).toBe(200);
      return asBundle(res);
    }

    it('pages through the whole record: the patient first, each resource once, two queries a page', async () => {
      const matches: string[] = [];
      const included = new Set<string>();
      let bundle = await everything('?_count=50');
      expect(key(bundle.entry?.[0].resource)).toBe(`Patient/${patientId}`);
      const total = bundle.total;
      let pages = 0;
      for (;;) {
        pages++;
        // existence check + one page query + one include query, whatever the page size
        expect(counter.statements).toHaveLength(3);
        for (const e of bundle.entry ?? []) {
          if (e.search?.mode === 'match') matches.push(key(e.resource));
          else included.add(key(e.resource));
        }
        const next = bundle.link?.find((l) => l.relation === 'next')?.url;
        if (!next) break;
        expect(new URL(next).searchParams.get('_count')).toBe('50');
        bundle = await everything(next.slice(`${testBaseUrl}/Patient/${patientId}/$everything`.length));
      }
      expect(matches).toHaveLength(new Set(matches).size);
      expect([...matches].sort()).toEqual(expectedCompartment());
      expect(total).toBe(matches.length);
      expect(pages).toBe(Math.ceil(matches.length / 50));
      // Included: the Practitioner/Organization/Location/Medication resources the record refers to.
      expect(included.size).toBeGreaterThan(0);
      for (const k of included) expect(referenced.has(k.split('/')[0]), k).toBe(true);
      const referencedByRecord = new Set(stored.flatMap((r) => references(r)));
      for (const k of included) expect(referencedByRecord.has(k), k).toBe(true);
    });

    it('_type restricts the types, _since the changes', async () => {
      const conditions = await everything('?_type=Condition&_count=1000');
      const expected = stored
        .filter((r) => r.resourceType === 'Condition')
        .map(key)
        .sort();
      expect((conditions.entry ?? []).map((e) => key(e.resource)).sort()).toEqual(expected);
      const self = conditions.link?.find((l) => l.relation === 'self')?.url ?? '';
      expect(new URL(self).searchParams.get('_type')).toBe('Condition');

      const withPractitioners = await everything('?_type=Encounter,Practitioner&_count=1000');
      const modes = new Set(
        (withPractitioners.entry ?? []).map((e) => `${e.search?.mode}:${e.resource?.resourceType}`),
      );
      expect([...modes].sort()).toEqual(['include:Practitioner', 'match:Encounter']);

      const future = await everything('?_since=2999-01-01T00:00:00Z');
      expect(future.entry).toEqual([]);
      expect(future.total).toBe(0);
    });

    it('_include and _revinclude on the record match an independent walk of the stored resources', async () => {
      counter.reset();
      const res = await s.get(
        `Encounter?patient=${patientId}&_count=10&_sort=_id&_include=Encounter:service-provider` +
          '&_revinclude=Observation:encounter&_revinclude=Condition:encounter',
      );
      expect(res.status).toBe(200);
      // probe of the patient filter + page + one include level, for ten encounters and their
      // hundreds of observations
      expect(counter.statements).toHaveLength(3);
      const bundle = asBundle(res);
      const matches = (bundle.entry ?? [])
        .filter((e) => e.search?.mode === 'match')
        .map((e) => key(e.resource));
      const expectedMatches = stored
        .filter((r) => r.resourceType === 'Encounter')
        .map(key)
        .sort()
        .slice(0, 10);
      expect(matches).toEqual(expectedMatches);
      const page = new Set(matches);
      const expectedIncluded = new Set<string>();
      for (const r of stored) {
        const encounter = (r.encounter as { reference?: string } | undefined)?.reference;
        if (
          (r.resourceType === 'Observation' || r.resourceType === 'Condition') &&
          encounter &&
          page.has(encounter)
        )
          expectedIncluded.add(key(r));
        if (r.resourceType === 'Encounter' && page.has(key(r))) {
          const provider = (r.serviceProvider as { reference?: string } | undefined)?.reference;
          if (provider) expectedIncluded.add(provider);
        }
      }
      const included = (bundle.entry ?? [])
        .filter((e) => e.search?.mode === 'include')
        .map((e) => key(e.resource));
      expect(included).toHaveLength(new Set(included).size);
      expect(included.sort()).toEqual([...expectedIncluded].sort());
      expect(included.length).toBeGreaterThan(10);
    });

    it('Patient/$everything (type level) pages through every patient record, patients first', async () => {
      const patients = [...stored, ...otherStored].filter((r) => r.resourceType === 'Patient').map(key);
      const expected = [...stored, ...otherStored]
        .filter(
          (r) =>
            r.resourceType === 'Patient' ||
            (patientCompartmentParams(r.resourceType).length > 0 &&
              references(r).some((ref) => patients.includes(ref))),
        )
        .map(key)
        .sort();
      const matches: string[] = [];
      let res = await s.get('Patient/$everything?_count=400');
      for (;;) {
        expect(res.status, res.text.slice(0, 300)).toBe(200);
        const bundle = asBundle(res);
        if (matches.length === 0) {
          expect(bundle.total).toBe(expected.length);
          expect((bundle.entry ?? []).slice(0, 2).map((e) => key(e.resource))).toEqual([...patients].sort());
        }
        for (const e of bundle.entry ?? []) if (e.search?.mode === 'match') matches.push(key(e.resource));
        const next = bundle.link?.find((l) => l.relation === 'next')?.url;
        if (!next) break;
        expect(next.startsWith(`${testBaseUrl}/Patient/$everything?`)).toBe(true);
        res = await s.get(next.slice(testBaseUrl.length + 1));
      }
      expect(matches).toHaveLength(new Set(matches).size);
      expect([...matches].sort()).toEqual(expected);

      const onlyPatients = asBundle(await s.get('Patient/$everything?_type=Patient'));
      expect((onlyPatients.entry ?? []).map((e) => key(e.resource)).sort()).toEqual([...patients].sort());
      const bad = await s.get('Patient/$everything?_since=soon');
      expect(bad.status).toBe(400);
      expect(outcomeText(bad)).toContain('_since');
    });

    it('answers 404 for an unknown patient and 400 naming bad parameters', async () => {
      const missing = await s.get('Patient/nobody/$everything');
      expect(missing.status).toBe(404);
      const cases: [string, string][] = [
        ['_since=yesterday', '_since'],
        ['_type=Nope', "'Nope'"],
        ['_count=-1', '_count'],
        ['colour=red', "'colour'"],
      ];
      for (const [query, text] of cases) {
        const res = await s.get(`Patient/${patientId}/$everything?${query}`);
        expect(res.status, query).toBe(400);
        expect(outcomeText(res), query).toContain(text);
      }
    });
  },
);
