import type { Bundle } from '@hospitium/fhir';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asBundle, outcomeText, type TestServer, testServers } from '../../../testing/test-server.js';
import { matchGradeUrl } from '../operations/match.js';
import type { Patient } from './patient-fields.js';

const mrnSystem = 'http://hospitium.org/fhir/sid/mrn';

const person = (
  family: string,
  given: string,
  birthDate: string,
  gender: string,
  mrn: string,
  extra: Partial<Patient> = {},
): Patient => ({
  resourceType: 'Patient',
  identifier: [{ system: mrnSystem, value: mrn }],
  name: [{ use: 'official', family, given: [given] }],
  birthDate,
  gender,
  ...extra,
});

const parameters = (patient: Partial<Patient>, more: object[] = []) => ({
  resourceType: 'Parameters',
  parameter: [{ name: 'resource', resource: { resourceType: 'Patient', ...patient } }, ...more],
});

const grades = (b: Bundle) =>
  (b.entry ?? []).map((e) => ({
    family: (e.resource as Patient).name?.[0]?.family,
    given: (e.resource as Patient).name?.[0]?.given?.[0],
    grade: e.search?.extension?.find((x) => x.url === matchGradeUrl)?.valueCode,
    score: e.search?.score,
  }));

describe.each(testServers())('Patient/$match on $name', ({ start }) => {
  let s: TestServer;

  beforeAll(async () => {
    s = await start();
    for (const p of [
      person('Smith', 'John', '1980-03-04', 'male', '47000001', {
        telecom: [{ system: 'phone', value: '555-123-4567' }],
        address: [{ line: ['12 Oak Street'], city: 'Springfield', postalCode: '62701' }],
      }),
      person('Smith', 'Joan', '1992-11-20', 'female', '47000002'),
      person('Smyth', 'Jonathan', '1980-03-04', 'male', '47000003'),
      person('Jones', 'Mary', '1975-06-15', 'female', '47000004'),
      person('García', 'José', '1964-01-30', 'male', '47000005'),
      person('Nguyen', 'Anh', '2001-09-09', 'female', '47000006'),
      person('Okafor', 'Chidi', '1990-04-07', 'male', '47000007'),
    ]) {
      await s.create(p);
    }
  });
  afterAll(async () => s?.close());

  it('finds the same person despite a typo in the family name, graded certain', async () => {
    const res = await s.post(
      'Patient/$match',
      parameters({ name: [{ family: 'Smtih', given: ['John'] }], birthDate: '1980-03-04', gender: 'male' }),
    );
    expect(res.status).toBe(200);
    const bundle = asBundle(res);
    expect(bundle.type).toBe('searchset');
    const [first] = grades(bundle);
    expect(first).toMatchObject({ family: 'Smith', given: 'John', grade: 'certain' });
    expect(bundle.entry?.[0]?.search?.mode).toBe('match');
    expect(bundle.entry?.[0]?.fullUrl).toMatch(/\/Patient\/[^/]+$/);
  });

  it('finds transposed given and family names typed as one string', async () => {
    const res = await s.post('Patient/$match', parameters({ name: [{ text: 'Smtih John' }] }));
    const found = grades(asBundle(res));
    expect(found[0]).toMatchObject({ family: 'Smith', given: 'John' });
    expect(found[0]?.grade).not.toBe('certain');
  });

  it('ranks by score, best first, and leaves out people who are certainly not the one', async () => {
    const res = await s.post(
      'Patient/$match',
      parameters({ name: [{ family: 'Smith', given: ['John'] }], birthDate: '1980-03-04' }),
    );
    const found = grades(asBundle(res));
    const scores = found.map((f) => f.score ?? 0);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(found.map((f) => f.family)).not.toContain('Jones');
    expect(found.map((f) => f.family)).not.toContain('Nguyen');
  });

  it('matches accents and a partial MRN', async () => {
    const accents = grades(
      asBundle(await s.post('Patient/$match', parameters({ name: [{ text: 'jose garcia' }] }))),
    );
    expect(accents[0]).toMatchObject({ family: 'García' });
    const partial = grades(
      asBundle(await s.post('Patient/$match', parameters({ identifier: [{ value: '4700000' }] }))),
    );
    expect(partial.length).toBe(7);
    const exact = grades(
      asBundle(await s.post('Patient/$match', parameters({ identifier: [{ value: '47000004' }] }))),
    );
    expect(exact[0]).toMatchObject({ family: 'Jones', score: 1 });
  });

  it('finds a birth date typed with day and month swapped', async () => {
    const res = await s.post(
      'Patient/$match',
      parameters({ name: [{ family: 'Nguyen', given: ['Anh'] }], birthDate: '2001-09-09' }),
    );
    expect(grades(asBundle(res))[0]).toMatchObject({ family: 'Nguyen', grade: 'certain' });
    // Only the birth date, with day and month swapped: found through the swapped-date key.
    const swapped = await s.post('Patient/$match', parameters({ birthDate: '1990-07-04' }));
    expect(grades(asBundle(swapped))).toEqual([
      expect.objectContaining({ family: 'Okafor', grade: 'probable', score: 0.8 }),
    ]);
  });

  it('onlyCertainMatches returns at most the one certain match, count caps the list', async () => {
    const certain = await s.post(
      'Patient/$match',
      parameters({ name: [{ family: 'Smith', given: ['John'] }], birthDate: '1980-03-04', gender: 'male' }, [
        { name: 'onlyCertainMatches', valueBoolean: true },
      ]),
    );
    expect(grades(asBundle(certain)).map((g) => g.grade)).toEqual(['certain']);
    const capped = await s.post(
      'Patient/$match',
      parameters({ name: [{ family: 'Smith' }] }, [{ name: 'count', valueInteger: 1 }]),
    );
    expect(asBundle(capped).entry).toHaveLength(1);
  });

  it('answers an empty searchset when nobody is alike', async () => {
    const res = await s.post(
      'Patient/$match',
      parameters({ name: [{ family: 'Zzyzx', given: ['Qwerty'] }] }),
    );
    expect(res.status).toBe(200);
    expect(asBundle(res)).toMatchObject({ type: 'searchset', total: 0 });
  });

  it('refuses malformed input with an OperationOutcome naming the problem', async () => {
    const notParameters = await s.post('Patient/$match', { resourceType: 'Patient' });
    expect(notParameters.status).toBe(400);
    expect(outcomeText(notParameters)).toContain('Parameters');
    const noResource = await s.post('Patient/$match', { resourceType: 'Parameters', parameter: [] });
    expect(noResource.status).toBe(400);
    expect(outcomeText(noResource)).toContain('resource');
    const wrongType = await s.post('Patient/$match', {
      resourceType: 'Parameters',
      parameter: [{ name: 'resource', resource: { resourceType: 'Observation' } }],
    });
    expect(wrongType.status).toBe(400);
    expect(outcomeText(wrongType)).toContain('must be a Patient');
    const badDate = await s.post('Patient/$match', parameters({ birthDate: '31/12/1980' }));
    expect(badDate.status).toBe(400);
    const badCount = await s.post(
      'Patient/$match',
      parameters({ name: [{ family: 'Smith' }] }, [{ name: 'count', valueInteger: 0 }]),
    );
    expect(badCount.status).toBe(400);
    expect(outcomeText(badCount)).toContain('count');
    const unknown = await s.post(
      'Patient/$match',
      parameters({ name: [{ family: 'Smith' }] }, [{ name: 'fuzzy', valueBoolean: true }]),
    );
    expect(unknown.status).toBe(400);
    expect(outcomeText(unknown)).toContain("Unknown parameter 'fuzzy'");
    const get = await s.get('Patient/$match');
    expect(get.status).toBe(405);
  });

  it('is a search of Patient for the role policy: the registrar may, a role without Patient search may not', async () => {
    const registrar = await s.authority.token('user/*.cruds', {
      sub: 'u-reg',
      client_id: 'web',
      roles: ['registrar'],
    });
    const supply = await s.authority.token('user/*.cruds', {
      sub: 'u-sup',
      client_id: 'web',
      roles: ['supply'],
    });
    const body = parameters({ name: [{ family: 'Smith', given: ['John'] }] });
    const allowed = await s.request('POST', 'Patient/$match', { json: body, token: registrar });
    expect(allowed.status).toBe(200);
    const refused = await s.request('POST', 'Patient/$match', { json: body, token: supply });
    expect(refused.status).toBe(403);
    const readOnlyScope = await s.authority.token('user/Patient.r', {
      sub: 'u-reg',
      client_id: 'web',
      roles: ['registrar'],
    });
    const noSearch = await s.request('POST', 'Patient/$match', { json: body, token: readOnlyScope });
    expect(noSearch.status).toBe(403);
  });
});
