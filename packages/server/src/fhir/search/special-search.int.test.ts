import type { Resource } from '@hospitium/fhir';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testPatient } from '../../testing/fixtures.js';
import { asBundle, outcomeText, type TestServer, testServers } from '../../testing/test-server.js';

const div = (html: string) => ({
  status: 'generated',
  div: `<div xmlns="http://www.w3.org/1999/xhtml">${html}</div>`,
});

describe.each(testServers())('_text, _content, _list and near over HTTP on $name', ({ start }) => {
  let s: TestServer;
  let ada: Resource;
  let bo: Resource;
  let cy: Resource;
  let ward: Resource;
  let clinic: Resource;
  let census: Resource;

  const keys = (r: Awaited<ReturnType<TestServer['get']>>) =>
    (asBundle(r).entry ?? []).map((e) => `${e.resource?.resourceType}/${e.resource?.id}`).sort();

  async function found(path: string): Promise<string[]> {
    const res = await s.get(path);
    expect(res.status, res.text.slice(0, 300)).toBe(200);
    return keys(res);
  }

  async function rejected(path: string): Promise<string> {
    const res = await s.get(path);
    expect(res.status, res.text.slice(0, 300)).toBe(400);
    expect(res.body?.resourceType).toBe('OperationOutcome');
    return outcomeText(res);
  }

  beforeAll(async () => {
    s = await start();
    ada = await s.create(
      testPatient({
        text: div('<p>Ada Quokkafield, <b>penicillin</b> allergy</p>'),
        name: [{ family: 'Quokkafield' }],
      }),
    );
    bo = await s.create(
      testPatient({ text: div('<p>Bo Wombatson, latex allergy</p>'), name: [{ family: 'Wombatson' }] }),
    );
    cy = await s.create(testPatient({ name: [{ family: 'Quokkafield', given: ['Cy'] }] }));
    ward = await s.create({
      resourceType: 'Location',
      status: 'active',
      name: 'Ward 7 Quokka wing',
      position: { latitude: -31.9505, longitude: 115.8605 },
    });
    clinic = await s.create({
      resourceType: 'Location',
      status: 'active',
      name: 'Rottnest clinic',
      position: { latitude: -31.9968, longitude: 115.5403 },
    });
    census = await s.create({
      resourceType: 'List',
      status: 'current',
      mode: 'working',
      title: 'Quokka census',
      entry: [{ item: { reference: `Patient/${ada.id}` } }, { item: { reference: `Location/${ward.id}` } }],
    });
  });
  afterAll(() => s?.close());

  it('_text searches the narrative, _content everything', async () => {
    expect(await found('Patient?_text=quokkafield')).toEqual([`Patient/${ada.id}`]);
    expect(await found('Patient?_content=quokkafield')).toEqual(
      [`Patient/${ada.id}`, `Patient/${cy.id}`].sort(),
    );
    expect(await found('Patient?_text=allergy&_text=latex')).toEqual([`Patient/${bo.id}`]);
    expect(await found('Patient?_text=penicillin,latex')).toEqual(
      [`Patient/${ada.id}`, `Patient/${bo.id}`].sort(),
    );
    expect(await found(`Patient?_text=${encodeURIComponent('"penicillin allergy"')}`)).toEqual([
      `Patient/${ada.id}`,
    ]);
    expect(await found('Patient?_content=quokkafield&given=cy')).toEqual([`Patient/${cy.id}`]);
  });

  it('system-wide: GET [base]?_content=… over every type, and with _type', async () => {
    // The ward's name and the census List's title; "Quokkafield" is another word.
    expect(await found('?_content=quokka')).toEqual([`List/${census.id}`, `Location/${ward.id}`].sort());
    expect(await found('?_type=Patient,Location&_content=quokkafield,rottnest')).toEqual(
      [`Patient/${ada.id}`, `Patient/${cy.id}`, `Location/${clinic.id}`].sort(),
    );
  });

  it('_list finds the items of a List, alone, with other parameters and with _type', async () => {
    const list = census;
    expect(await found(`Patient?_list=${list?.id}`)).toEqual([`Patient/${ada.id}`]);
    expect(await found(`Patient?_list=${list?.id}&family=wombatson`)).toEqual([]);
    expect(await found(`?_type=Patient,Location&_list=${list?.id}`)).toEqual(
      [`Patient/${ada.id}`, `Location/${ward.id}`].sort(),
    );
    expect(await found('Patient?_list=no-such-list')).toEqual([]);
  });

  it('functional list $current-allergies with patient=', async () => {
    const allergy = (code: string, text: string): Resource => ({
      resourceType: 'AllergyIntolerance',
      clinicalStatus: {
        coding: [{ system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical', code }],
      },
      code: { text },
      patient: { reference: `Patient/${ada.id}` },
    });
    const current = await s.create(allergy('active', 'Penicillin'));
    await s.create(allergy('resolved', 'Egg'));
    expect(await found(`AllergyIntolerance?patient=${ada.id}&_list=$current-allergies`)).toEqual([
      `AllergyIntolerance/${current.id}`,
    ]);
  });

  it('near finds Locations by distance, in km or miles', async () => {
    // Perth to Rottnest clinic: 30.64 km, 19.04 mi.
    expect(await found('Location?near=-31.9505|115.8605|10|km')).toEqual([`Location/${ward.id}`]);
    expect(await found('Location?near=-31.9505|115.8605|31|km')).toEqual(
      [`Location/${ward.id}`, `Location/${clinic.id}`].sort(),
    );
    expect(await found('Location?near=-31.9505|115.8605|19.1|mi')).toEqual(
      [`Location/${ward.id}`, `Location/${clinic.id}`].sort(),
    );
    expect(await found(`Location?near=${encodeURIComponent('-31.9505|115.8605|19|[mi_i]')}`)).toEqual([
      `Location/${ward.id}`,
    ]);
  });

  it('answers malformed values with a 400 OperationOutcome naming the parameter, never a 500', async () => {
    expect(await rejected('Patient?_text=')).toMatch(/'_text' needs at least one word/);
    expect(await rejected('Patient?_content=%20%21%3F')).toMatch(/'_content' needs at least one word/);
    expect(await rejected('Patient?_list:missing=true')).toMatch(/'_list' takes no modifier/);
    expect(await rejected('Patient?_list=$current-allergies')).toMatch(
      /Functional list '\$current-allergies' holds AllergyIntolerance, not Patient/,
    );
    expect(await rejected('Location?near=95|10')).toMatch(/'near'.*latitude/);
    expect(await rejected('Location?near=10|10|5|parsecs')).toMatch(/'near'.*unknown units 'parsecs'/);
    expect(await rejected('Location?near=abc')).toMatch(/'near'/);
    expect(await rejected('Patient?near=10|10')).toMatch(/Unknown search parameter 'near'/);
    expect(await rejected('Patient?_query=everything')).toMatch(/'_query'/);
  });

  it('Prefer: handling=lenient ignores a bad full-text value as it does other parameters', async () => {
    const res = await s.get('Patient?_text=&family=wombatson', { prefer: 'handling=lenient' });
    expect(res.status).toBe(200);
    const bundle = asBundle(res);
    expect(bundle.entry?.filter((e) => e.search?.mode === 'match').map((e) => e.resource?.id)).toEqual([
      bo.id,
    ]);
    const reported = bundle.entry?.find((e) => e.search?.mode === 'outcome')?.resource;
    expect(JSON.stringify(reported)).toMatch(/'_text' needs at least one word/);
  });
});
