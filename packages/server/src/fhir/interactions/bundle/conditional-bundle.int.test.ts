import { randomUUID } from 'node:crypto';
import { createRepository, type Database, testDatabases } from '@hospitium/db';
import {
  type Bundle,
  type BundleEntry,
  type OperationOutcome,
  type Resource,
  unprocessable,
} from '@hospitium/fhir';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { internalAccess } from '../../../auth/tokens/access-context.js';
import type { FhirContext } from '../../types.js';
import { type ProcessBundleOptions, processBundle } from './process-bundle.js';
import { unchangedText } from './transaction.js';

const silent = { error() {}, warn() {}, info() {} };
const system = 'urn:test:conditional-bundle';

/** A feed's transaction: the patient upserted by identifier, its ward ensured by identifier. */
function feed(mrn: string, family: string, ward: string): Bundle {
  const patientUrl = `urn:uuid:${randomUUID()}`;
  const entry: BundleEntry[] = [
    {
      fullUrl: `urn:uuid:${randomUUID()}`,
      resource: { resourceType: 'Location', identifier: [{ system, value: ward }], name: ward },
      request: { method: 'POST', url: 'Location', ifNoneExist: `identifier=${system}|${ward}` },
    },
    {
      fullUrl: patientUrl,
      resource: { resourceType: 'Patient', identifier: [{ system, value: mrn }], name: [{ family }] },
      request: { method: 'PUT', url: `Patient?identifier=${system}|${mrn}` },
    },
  ];
  return { resourceType: 'Bundle', type: 'transaction', entry };
}

describe.each(testDatabases())('conditional entries of transactions on $name', ({ open }) => {
  let db: Database;
  let ctx: FhirContext;
  beforeAll(async () => {
    db = await open();
    ctx = {
      repository: createRepository(db),
      baseUrl: 'http://test.hospitium/fhir',
      logger: silent,
      access: internalAccess,
    };
  });
  afterAll(() => db?.close());

  const run = (bundle: Bundle, options: ProcessBundleOptions = {}) => processBundle(bundle, ctx, options);
  const patients = async (mrn: string) =>
    (
      await ctx.repository.search({
        resourceType: 'Patient',
        filters: [{ code: 'identifier', values: [`${system}|${mrn}`] }],
      })
    ).resources;

  it('a conditional update that matches nothing creates (201, with its location)', async () => {
    const response = await run(feed('C-1', 'Okafor', 'W-1'));
    const [ward, patient] = response.entry ?? [];
    expect(ward.response?.status).toBe('201 Created');
    expect(patient.response?.status).toBe('201 Created');
    expect(patient.response?.location).toMatch(/^Patient\/[^/]+\/_history\/1$/);
    expect(await patients('C-1')).toHaveLength(1);
  });

  it('with skipUnchanged, the same content again writes no version and says so; a change writes one', async () => {
    await run(feed('C-2', 'Lindqvist', 'W-1'), { skipUnchanged: true });
    const again = await run(feed('C-2', 'Lindqvist', 'W-1'), { skipUnchanged: true });
    const entry = again.entry?.[1];
    expect(entry?.response?.status).toBe('200 OK');
    expect(entry?.response?.etag).toBe('W/"1"');
    const outcome = entry?.response?.outcome as OperationOutcome | undefined;
    expect(outcome?.issue[0]).toMatchObject({ severity: 'information', diagnostics: unchangedText });
    expect((await patients('C-2'))[0].meta?.versionId).toBe('1');

    const changed = await run(feed('C-2', 'Lindqvist-Berg', 'W-1'), { skipUnchanged: true });
    expect(changed.entry?.[1].response?.etag).toBe('W/"2"');
    expect(changed.entry?.[1].response?.outcome).toBeUndefined();
  });

  it('without skipUnchanged, the same content again is a new version (the API default)', async () => {
    await run(feed('C-3', 'Moreau', 'W-1'));
    await run(feed('C-3', 'Moreau', 'W-1'));
    expect((await patients('C-3'))[0].meta?.versionId).toBe('2');
  });

  it('onConditionalMatch sees what each conditional entry matched and may complete its resource', async () => {
    await run(feed('C-4', 'Tanaka', 'W-2'));
    const seen: { index: number; matched: number }[] = [];
    const carry = (index: number, matches: readonly Resource[], resource: Resource | undefined) => {
      seen.push({ index, matched: matches.length });
      if (resource?.resourceType === 'Patient') resource.gender = 'female';
    };
    await run(feed('C-4', 'Tanaka', 'W-2'), { onConditionalMatch: carry });
    await run(feed('C-5', 'Tanaka', 'W-new'), { onConditionalMatch: carry });
    expect(seen).toEqual([
      { index: 0, matched: 1 },
      { index: 1, matched: 1 },
      { index: 0, matched: 0 },
      { index: 1, matched: 0 },
    ]);
    expect((await patients('C-4'))[0].gender).toBe('female');
    expect((await patients('C-5'))[0].gender).toBe('female');
  });

  it('a hook that throws fails the whole transaction: nothing is stored', async () => {
    const refuse = () => {
      throw unprocessable('the order to cancel is not known');
    };
    await expect(run(feed('C-6', 'Novak', 'W-refused'), { onConditionalMatch: refuse })).rejects.toThrow(
      /not known/,
    );
    expect(await patients('C-6')).toHaveLength(0);
    const wards = await ctx.repository.search({
      resourceType: 'Location',
      filters: [{ code: 'identifier', values: [`${system}|W-refused`] }],
    });
    expect(wards.resources).toHaveLength(0);
  });

  it('parallel transactions naming the same new patient and ward store each exactly once', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 6 }, () => run(feed('C-7', 'Haddad', 'W-parallel'))),
    );
    expect(results.map((r) => r.status)).toEqual(Array(6).fill('fulfilled'));
    expect(await patients('C-7')).toHaveLength(1);
    const wards = await ctx.repository.search({
      resourceType: 'Location',
      filters: [{ code: 'identifier', values: [`${system}|W-parallel`] }],
    });
    expect(wards.resources).toHaveLength(1);
  });
});
