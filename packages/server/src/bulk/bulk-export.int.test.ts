import type { Resource } from '@hospitium/fhir';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  asyncHeaders,
  download,
  downloadFile,
  exportManifest,
  idsByType,
  kickOff,
  localPath,
  poll,
} from '../testing/bulk-export-client.js';
import { testObservation, testPatient } from '../testing/fixtures.js';
import { asOutcome, outcomeText, type TestServer, testBaseUrl, testServers } from '../testing/test-server.js';

const sorted = (resources: Resource[]): string[] => resources.map((r) => String(r.id)).sort();

describe.each(testServers())('Bulk Data export on $name', ({ start }) => {
  let s: TestServer;
  let alice: Resource;
  let bob: Resource;
  let aliceObs: Resource[];
  let bobObs: Resource[];
  let condition: Resource;
  let organization: Resource;
  let group: Resource;

  beforeAll(async () => {
    s = await start();
    organization = await s.create({ resourceType: 'Organization', name: 'St Elsewhere' });
    alice = await s.create(testPatient({ name: [{ family: 'Liddell', given: ['Alice'] }] }));
    bob = await s.create(testPatient({ name: [{ family: 'Builder', given: ['Bob'] }] }));
    aliceObs = [];
    for (const status of ['final', 'final', 'preliminary'])
      aliceObs.push(await s.create(testObservation(`Patient/${alice.id}`, { status })));
    bobObs = [];
    for (const status of ['final', 'amended'])
      bobObs.push(await s.create(testObservation(`Patient/${bob.id}`, { status })));
    condition = await s.create({
      resourceType: 'Condition',
      subject: { reference: `Patient/${alice.id}` },
      code: { text: 'Curiosity' },
    });
    group = await s.create({
      resourceType: 'Group',
      type: 'person',
      actual: true,
      member: [{ entity: { reference: `Patient/${alice.id}` } }],
    });
  });
  afterAll(() => s?.close());

  it('system export: 202 + Content-Location, 202 + X-Progress while running, a manifest, files equal to what is stored', async () => {
    const res = await s.get('$export', asyncHeaders);
    expect(res.status).toBe(202);
    const statusUrl = res.headers['content-location'] ?? '';
    expect(statusUrl).toMatch(new RegExp(`^${testBaseUrl}/bulk/export/[0-9a-f-]{36}$`));
    const first = await s.get(localPath(statusUrl));
    if (first.status === 202) {
      expect(first.headers['x-progress']).toBeTruthy();
      expect(Number(first.headers['retry-after'])).toBeGreaterThan(0);
    }
    const done = await poll(s, localPath(statusUrl));
    expect(done.status).toBe(200);
    expect(done.headers['content-type']).toMatch(/^application\/json/);
    expect(done.headers.expires).toBeTruthy();
    const manifest = done.body as unknown as {
      transactionTime: string;
      request: string;
      requiresAccessToken: boolean;
      output: { type: string; url: string; count: number }[];
      error: unknown[];
    };
    expect(manifest.request).toBe(`${testBaseUrl}/$export`);
    expect(manifest.requiresAccessToken).toBe(true);
    expect(Date.parse(manifest.transactionTime)).toBeGreaterThanOrEqual(Date.parse(group.meta!.lastUpdated!));
    expect(manifest.error).toEqual([]);
    const counts = Object.fromEntries(manifest.output.map((f) => [f.type, f.count]));
    expect(counts).toEqual({ Condition: 1, Group: 1, Observation: 5, Organization: 1, Patient: 2 });

    const files = await download(s, manifest as never);
    // Each line is the stored resource, exactly.
    for (const [type, resources] of files) {
      for (const resource of resources) {
        const stored = await s.get(`${type}/${resource.id}`);
        expect(resource).toEqual(stored.body);
      }
    }
    expect(idsByType(files).Observation).toEqual(sorted([...aliceObs, ...bobObs]));
    expect(idsByType(files).Organization).toEqual([organization.id]);
  });

  it('_type limits the types; _outputFormat accepts the three NDJSON spellings', async () => {
    for (const format of ['application/fhir%2Bndjson', 'application/ndjson', 'ndjson']) {
      const manifest = await exportManifest(s, `$export?_type=Patient,Condition&_outputFormat=${format}`);
      expect(manifest.output.map((f) => f.type).sort()).toEqual(['Condition', 'Patient']);
    }
  });

  it('_typeFilter keeps only the matching resources of its type (OR within a type)', async () => {
    const filter = encodeURIComponent('Observation?status=preliminary,amended');
    const manifest = await exportManifest(s, `$export?_type=Observation,Patient&_typeFilter=${filter}`);
    const files = idsByType(await download(s, manifest));
    expect(files.Observation).toEqual(sorted([aliceObs[2], bobObs[1]]));
    expect(files.Patient).toEqual(sorted([alice, bob]));

    const two = `_typeFilter=${encodeURIComponent('Observation?status=amended')}&_typeFilter=${encodeURIComponent(`Observation?subject=Patient/${alice.id}&status=final`)}`;
    const both = idsByType(await download(s, await exportManifest(s, `$export?_type=Observation&${two}`)));
    expect(both.Observation).toEqual(sorted([aliceObs[0], aliceObs[1], bobObs[1]]));
  });

  it('Patient/$export: every patient compartment, nothing outside it', async () => {
    const files = idsByType(await download(s, await exportManifest(s, 'Patient/$export')));
    // The Group is in Alice's compartment (Group.member); the Organization is in nobody's.
    expect(files).toEqual({
      Condition: [condition.id],
      Group: [group.id],
      Observation: sorted([...aliceObs, ...bobObs]),
      Patient: sorted([alice, bob]),
    });
  });

  it('Group/[id]/$export: only the members’ data', async () => {
    const files = idsByType(await download(s, await exportManifest(s, `Group/${group.id}/$export`)));
    expect(files).toEqual({
      Condition: [condition.id],
      Group: [group.id],
      Observation: sorted(aliceObs),
      Patient: [alice.id],
    });
  });

  it('POST kick-off with a Parameters body: patient narrows the export; an unknown patient is an error file', async () => {
    const manifest = await exportManifest(s, 'Patient/$export', {
      resourceType: 'Parameters',
      parameter: [
        { name: '_type', valueString: 'Patient,Observation' },
        { name: 'patient', valueReference: { reference: `Patient/${bob.id}` } },
        { name: 'patient', valueReference: { reference: 'Patient/nobody' } },
      ],
    });
    expect(idsByType(await download(s, manifest))).toEqual({
      Observation: sorted(bobObs),
      Patient: [bob.id],
    });
    expect(manifest.error).toHaveLength(1);
    const errors = await downloadFile(s, manifest.error[0].url);
    expect(errors.text).toContain('Patient/nobody does not exist');
  });

  it('DELETE on the status URL cancels: 202, then the job and its files are gone (404)', async () => {
    const statusPath = await kickOff(s, '$export');
    const cancelled = await s.delete(statusPath);
    expect(cancelled.status).toBe(202);
    expect((await s.get(statusPath)).status).toBe(404);
    expect((await s.delete(statusPath)).status).toBe(404);

    const finished = await kickOff(s, '$export?_type=Patient');
    const manifest = (await poll(s, finished)).body as unknown as { output: { url: string }[] };
    expect((await s.delete(finished)).status).toBe(202);
    expect((await downloadFile(s, manifest.output[0].url)).status).toBe(404);
  });

  it('refuses bad kick-offs with a 400 OperationOutcome naming the problem', async () => {
    const cases: [string, Record<string, string>, RegExp][] = [
      ['$export', { accept: 'application/fhir+json' }, /Prefer: respond-async/],
      ['$export?_outputFormat=text/csv', asyncHeaders, /_outputFormat 'text\/csv'/],
      ['$export?_type=Patient,Dragon', asyncHeaders, /'Dragon' is not a FHIR R4 resource type/],
      ['$export?_since=yesterday', asyncHeaders, /_since must be an instant/],
      ['$export?_since=2024-01-01', asyncHeaders, /_since must be an instant/],
      [`$export?_typeFilter=${encodeURIComponent('Observation?colour=red')}`, asyncHeaders, /colour/],
      [`$export?_typeFilter=${encodeURIComponent('Observation?date=notadate')}`, asyncHeaders, /_typeFilter/],
      [
        `$export?_typeFilter=${encodeURIComponent('Observation?_count=5')}`,
        asyncHeaders,
        /only search parameters/,
      ],
      ['$export?_typeFilter=status%3Dfinal', asyncHeaders, /must be a search/],
      [
        `$export?_type=Patient&_typeFilter=${encodeURIComponent('Observation?status=final')}`,
        asyncHeaders,
        /_type does not include/,
      ],
      ['Patient/$export?_type=Organization', asyncHeaders, /not in the Patient compartment/],
      ['Patient/$export?patient=Patient/1', asyncHeaders, /POST Parameters body/],
      ['$export?_elements=id', asyncHeaders, /_elements is not supported/],
      ['$export?colour=red', asyncHeaders, /Unknown \$export parameter 'colour'/],
      ['Group/$export', asyncHeaders, /Group\/\[id\]\/\$export/],
    ];
    for (const [path, headers, message] of cases) {
      const res = await s.get(path, headers);
      expect(res.status, path).toBe(400);
      expect(asOutcome(res).resourceType).toBe('OperationOutcome');
      expect(outcomeText(res), path).toMatch(message);
    }
    const notParameters = await s.post('$export', { resourceType: 'Patient' }, asyncHeaders);
    expect(notParameters.status).toBe(400);
    const badPatient = await s.post(
      'Patient/$export',
      {
        resourceType: 'Parameters',
        parameter: [{ name: 'patient', valueReference: { reference: 'Group/1' } }],
      },
      asyncHeaders,
    );
    expect(outcomeText(badPatient)).toMatch(/patient must reference a Patient/);
    expect((await s.get('Group/no-such-group/$export', asyncHeaders)).status).toBe(404);
    expect((await s.get('bulk/export/no-such-job')).status).toBe(404);
    expect((await downloadFile(s, `${testBaseUrl}/bulk/export/no-such-job/files/1`)).status).toBe(404);
  });

  it('each file download writes an Export AuditEvent naming the patients in the file; a refused one too', async () => {
    interface Event {
      id: string;
      subtype: { code: string }[];
      action: string;
      outcome: string;
      entity?: {
        what?: { reference?: string; identifier?: { value: string } };
        detail?: { type: string; valueString: string }[];
      }[];
    }
    const exports = async (): Promise<Event[]> =>
      (
        await s.repository.search({
          resourceType: 'AuditEvent',
          filters: [{ code: 'type', values: ['110106'] }],
          count: 1000,
        })
      ).resources as unknown as Event[];
    const before = new Set((await exports()).map((e) => e.id));
    const manifest = await exportManifest(s, `Group/${group.id}/$export?_type=Patient,Observation`);
    await download(s, manifest);
    expect((await downloadFile(s, `${testBaseUrl}/bulk/export/no-such-job/files/1`)).status).toBe(404);
    const added = (await exports()).filter((e) => !before.has(e.id));
    expect(added).toHaveLength(manifest.output.length + 1);
    for (const file of manifest.output) {
      const [jobId, fileNo] = localPath(file.url).split('/bulk/export/')[1].split('/files/');
      const event = added.find((e) =>
        e.entity?.some((x) => x.what?.identifier?.value === `${jobId}/${fileNo}`),
      );
      expect(event, file.url).toMatchObject({
        subtype: [{ code: 'export-file' }],
        action: 'R',
        outcome: '0',
      });
      const patients = event?.entity?.flatMap((x) => (x.what?.reference ? [x.what.reference] : []));
      expect(patients).toEqual([`Patient/${alice.id}`]);
      const detail = event?.entity?.find((x) => x.detail)?.detail;
      expect(detail).toContainEqual({ type: 'resourceType', valueString: file.type });
      expect(detail).toContainEqual({ type: 'resources', valueString: String(file.count) });
    }
    expect(added.filter((e) => e.outcome === '4')).toHaveLength(1);
  });

  it('Prefer: handling=lenient ignores unsupported parameters and says so', async () => {
    const res = await s.get('$export?_type=Patient&_elements=id', {
      ...asyncHeaders,
      prefer: 'respond-async, handling=lenient',
    });
    expect(res.status).toBe(202);
    expect(outcomeText(res)).toContain('_elements is not supported');
    expect((await poll(s, localPath(res.headers['content-location'] ?? ''))).status).toBe(200);
  });

  it('the CapabilityStatement instantiates the Bulk Data server and declares the three operations', async () => {
    const statement = (await s.get('metadata')).body as unknown as {
      instantiates: string[];
      rest: {
        operation?: { name: string; definition: string }[];
        resource: { type: string; operation?: { name: string; definition: string }[] }[];
      }[];
    };
    expect(statement.instantiates).toContain('http://hl7.org/fhir/uv/bulkdata/CapabilityStatement/bulk-data');
    const rest = statement.rest[0];
    expect(rest.operation).toContainEqual({
      name: 'export',
      definition: 'http://hl7.org/fhir/uv/bulkdata/OperationDefinition/export',
    });
    const ops = (type: string) => rest.resource.find((r) => r.type === type)?.operation ?? [];
    expect(ops('Patient')).toContainEqual({
      name: 'export',
      definition: 'http://hl7.org/fhir/uv/bulkdata/OperationDefinition/patient-export',
    });
    expect(ops('Group')).toContainEqual({
      name: 'export',
      definition: 'http://hl7.org/fhir/uv/bulkdata/OperationDefinition/group-export',
    });
  });

  it('answers the kick-off shapes Bulk Data conformance suites send (Prefer + Accept: application/fhir+json)', async () => {
    const patient = await s.get('Patient/$export?_outputFormat=application/fhir%2Bndjson', asyncHeaders);
    expect(patient.status).toBe(202);
    expect(patient.headers['content-location']).toBeTruthy();
    expect((await s.get('$export', asyncHeaders)).status).toBe(202);
    // Group export needs an id: a 400 that says so, not a 404 "no such route".
    expect((await s.get('Group/$export', asyncHeaders)).status).toBe(400);
    expect((await s.get('metadata')).text).toMatch(
      /hl7\.org\/fhir\/uv\/bulkdata\/OperationDefinition|"name"\s*:\s*"(patient-export|group-export|export)"/,
    );
    await poll(s, localPath(patient.headers['content-location'] ?? ''));
  });

  it('_since exports only what changed after the instant (runs last: it adds data)', async () => {
    const since = new Date(Date.now() + 5).toISOString();
    await new Promise((r) => setTimeout(r, 20));
    const later = await s.create(testObservation(`Patient/${bob.id}`));
    const renamed = await s.put(`Patient/${alice.id}`, { ...alice, active: false });
    expect(renamed.status).toBe(200);
    const files = idsByType(await download(s, await exportManifest(s, `$export?_since=${since}`)));
    expect(files).toEqual({ Observation: [later.id], Patient: [alice.id] });
  });
});
