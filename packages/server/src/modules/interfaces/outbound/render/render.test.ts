import type { Bundle, Resource } from '@hospitium/fhir';
import { parseMessage } from '@hospitium/hl7v2';
import { describe, expect, it } from 'vitest';
import { parseOutboundChannels } from '../../channels/outbound-channel.js';
import { mapMessage } from '../../mapping/map-message.js';
import { renderMessage } from './messages.js';
import type { RenderInput } from './segments.js';

const [channel] = parseOutboundChannels([
  {
    name: 'lis',
    host: 'localhost',
    port: 2600,
    events: ['*'],
    sendingApplication: 'HOSPITIUM',
    sendingFacility: 'GENERAL',
    receivingApplication: 'LIS',
    receivingFacility: 'LAB',
  },
]);

const patient: Resource = {
  resourceType: 'Patient',
  id: 'p1',
  identifier: [
    { system: 'urn:oid:2.16.840.1.113883.19.5', value: 'MRN-1', type: { coding: [{ code: 'MR' }] } },
    { system: 'urn:hospitium:hl7v2:authority:NHS', value: '999' },
  ],
  name: [{ use: 'official', family: "O'Brien|Smith", given: ['Mary', 'Ann'], prefix: ['Mrs.'] }],
  birthDate: '1970-03-04',
  gender: 'female',
  address: [{ use: 'home', line: ['1 Main St'], city: 'Springfield', state: 'IL', postalCode: '62701' }],
  telecom: [
    { system: 'phone', value: '555-0100', use: 'home' },
    { system: 'phone', value: '555-0199', use: 'work' },
  ],
  maritalStatus: { coding: [{ code: 'M' }] },
};

const loc = (id: string, code: string, value: string, parent?: string): Resource => ({
  resourceType: 'Location',
  id,
  identifier: [{ system: 'urn:hospitium:hl7v2:location', value }],
  name: value.split('/').slice(1).join(' '),
  physicalType: { coding: [{ code }] },
  ...(parent ? { partOf: { reference: parent } } : {}),
});
const related = new Map<string, Resource>([
  ['Location/w', loc('w', 'wa', '/4E')],
  ['Location/r', loc('r', 'ro', '/4E/136', 'Location/w')],
  ['Location/b', loc('b', 'bd', '/4E/136/B', 'Location/r')],
  ['Location/b2', loc('b2', 'bd', '/4E/140/A', 'Location/r2')],
  ['Location/r2', loc('r2', 'ro', '/4E/140', 'Location/w')],
  [
    'Practitioner/d',
    {
      resourceType: 'Practitioner',
      id: 'd',
      identifier: [{ value: 'D77' }],
      name: [{ family: 'House', given: ['Greg'] }],
    },
  ],
]);

const encounter: Resource = {
  resourceType: 'Encounter',
  id: 'e1',
  status: 'in-progress',
  class: { code: 'IMP' },
  identifier: [{ system: 'urn:oid:2.16.840.1.113883.19.5', value: 'V-1' }],
  subject: { reference: 'Patient/p1' },
  period: { start: '2026-01-10T08:00:00+01:00' },
  location: [{ location: { reference: 'Location/b' }, status: 'active' }],
  participant: [{ type: [{ coding: [{ code: 'ATND' }] }], individual: { reference: 'Practitioner/d' } }],
};

const input = (event: string, extra: Partial<RenderInput> = {}): RenderInput => ({
  event,
  channel,
  controlId: 'CTL1',
  now: new Date('2026-01-10T07:00:00Z'),
  patient,
  encounter,
  related,
  ...extra,
});

/** What the inbound engine makes of a message Hospitium sent. */
function readBack(text: string): Resource[] {
  const mapped = mapMessage(parseMessage(text), { timezoneOffset: 'Z' });
  return ((mapped.bundle as Bundle).entry ?? []).map((e) => e.resource as Resource);
}
const ofType = (resources: Resource[], type: string) => resources.filter((r) => r.resourceType === type);

describe('outbound rendering', () => {
  it('writes an A01 with MSH, EVN, PID and PV1 from the record', () => {
    const msg = parseMessage(renderMessage(input('ADT^A01')).toString());
    expect(msg.get('MSH-3')).toBe('HOSPITIUM');
    expect(msg.get('MSH-5')).toBe('LIS');
    expect(msg.get('MSH-6')).toBe('LAB');
    expect(msg.header.component(9)).toBe('ADT');
    expect(msg.get('MSH-9.2')).toBe('A01');
    expect(msg.get('MSH-10')).toBe('CTL1');
    expect(msg.get('MSH-12')).toBe('2.5.1');
    expect(msg.get('EVN-6')).toBe('20260110080000+0100');
    expect(msg.get('PID-3[1].1')).toBe('MRN-1');
    expect(msg.get('PID-3[1].4.2')).toBe('2.16.840.1.113883.19.5');
    expect(msg.get('PID-3[2].4')).toBe('NHS');
    expect(msg.get('PID-5.1')).toBe("O'Brien|Smith");
    expect(msg.get('PID-7')).toBe('19700304');
    expect(msg.get('PID-8')).toBe('F');
    expect(msg.get('PV1-2')).toBe('I');
    expect(msg.get('PV1-3.1')).toBe('4E');
    expect(msg.get('PV1-3.2')).toBe('136');
    expect(msg.get('PV1-3.3')).toBe('B');
    expect(msg.get('PV1-7.2')).toBe('House');
    expect(msg.get('PV1-19')).toBe('V-1');
    expect(msg.get('PV1-44')).toBe('20260110080000+0100');
  });

  it('round-trips an admission through the inbound mapping to the same facts', () => {
    const back = readBack(renderMessage(input('ADT^A01')).toString());
    const [p] = ofType(back, 'Patient');
    expect(p).toMatchObject({
      identifier: [
        { system: 'urn:oid:2.16.840.1.113883.19.5', value: 'MRN-1' },
        { system: 'urn:hospitium:hl7v2:authority:NHS', value: '999' },
      ],
      name: [{ use: 'official', family: "O'Brien|Smith", given: ['Mary', 'Ann'], prefix: ['Mrs.'] }],
      birthDate: '1970-03-04',
      gender: 'female',
      address: [{ use: 'home', line: ['1 Main St'], city: 'Springfield', state: 'IL', postalCode: '62701' }],
      maritalStatus: { coding: [{ code: 'M' }] },
    });
    expect(p.telecom).toEqual([
      { system: 'phone', value: '555-0100', use: 'home' },
      { system: 'phone', value: '555-0199', use: 'work' },
    ]);
    const [e] = ofType(back, 'Encounter');
    expect(e).toMatchObject({
      status: 'in-progress',
      class: { code: 'IMP' },
      identifier: [{ system: 'urn:oid:2.16.840.1.113883.19.5', value: 'V-1' }],
      period: { start: '2026-01-10T08:00:00+01:00' },
    });
    expect(ofType(back, 'Location').map((l) => l.name)).toEqual(['4E', '4E 136', '4E 136 B']);
  });

  it('writes the prior bed on a transfer and the discharge time on A03', () => {
    const moved: Resource = {
      ...encounter,
      location: [
        { location: { reference: 'Location/b' }, status: 'completed' },
        {
          location: { reference: 'Location/b2' },
          status: 'active',
          period: { start: '2026-01-11T09:30:00Z' },
        },
      ],
    };
    const a02 = parseMessage(renderMessage(input('ADT^A02', { encounter: moved })).toString());
    expect([a02.get('PV1-3.1'), a02.get('PV1-3.2'), a02.get('PV1-3.3')]).toEqual(['4E', '140', 'A']);
    expect([a02.get('PV1-6.2'), a02.get('PV1-6.3')]).toEqual(['136', 'B']);
    expect(a02.get('EVN-6')).toBe('20260111093000+0000');
    const done: Resource = {
      ...encounter,
      status: 'finished',
      period: { start: '2026-01-10T08:00:00Z', end: '2026-01-12T10:00:00Z' },
    };
    const a03 = readBack(renderMessage(input('ADT^A03', { encounter: done })).toString());
    expect(ofType(a03, 'Encounter')[0]).toMatchObject({
      status: 'finished',
      period: { end: '2026-01-12T10:00:00Z' },
    });
  });

  it('writes an order as ORM^O01 (or OML^O21) with ORC and OBR', () => {
    const order: Resource = {
      resourceType: 'ServiceRequest',
      id: 's1',
      status: 'active',
      intent: 'order',
      identifier: [{ system: 'urn:hospitium:hl7v2:authority:CPOE', value: 'ORD-9' }],
      code: { coding: [{ system: 'http://loinc.org', code: '2345-7', display: 'Glucose' }] },
      subject: { reference: 'Patient/p1' },
      authoredOn: '2026-01-10T09:00:00Z',
      requester: { reference: 'Practitioner/d' },
      priority: 'stat',
    };
    for (const event of ['ORM^O01', 'OML^O21']) {
      const msg = parseMessage(renderMessage(input(event, { order })).toString());
      expect(msg.get('MSH-9.2')).toBe(event.split('^')[1]);
      expect(msg.get('ORC-1')).toBe('NW');
      expect(msg.get('ORC-2.1')).toBe('ORD-9');
      expect(msg.get('ORC-2.2')).toBe('CPOE');
      expect(msg.get('OBR-4.1')).toBe('2345-7');
      expect(msg.get('OBR-4.3')).toBe('LN');
      expect(msg.get('OBR-16.2')).toBe('House');
      expect(msg.get('PID-3[1].1')).toBe('MRN-1');
    }
  });

  it('round-trips a final report: OBX values, UCUM units, ranges and flags', () => {
    const report: Resource = {
      resourceType: 'DiagnosticReport',
      id: 'r1',
      status: 'final',
      identifier: [{ system: 'urn:hospitium:hl7v2:authority:LAB', value: 'F-100' }],
      code: { coding: [{ system: 'http://loinc.org', code: '24323-8', display: 'Metabolic panel' }] },
      subject: { reference: 'Patient/p1' },
      effectiveDateTime: '2026-01-10T10:00:00Z',
      conclusion: 'High glucose',
    };
    const observations: Resource[] = [
      {
        resourceType: 'Observation',
        status: 'final',
        code: { coding: [{ system: 'http://loinc.org', code: '2345-7', display: 'Glucose' }] },
        valueQuantity: { value: 182, unit: 'mg/dL', system: 'http://unitsofmeasure.org', code: 'mg/dL' },
        referenceRange: [{ low: { value: 70 }, high: { value: 99 } }],
        interpretation: [{ coding: [{ code: 'H' }] }],
      },
      {
        resourceType: 'Observation',
        status: 'final',
        code: { coding: [{ system: 'http://loinc.org', code: '2160-0', display: 'Creatinine' }] },
        valueQuantity: {
          value: 0.5,
          comparator: '<',
          unit: 'mg/dL',
          system: 'http://unitsofmeasure.org',
          code: 'mg/dL',
        },
      },
      {
        resourceType: 'Observation',
        status: 'final',
        code: { coding: [{ system: 'http://loinc.org', code: '5778-6', display: 'Color' }] },
        valueCodeableConcept: {
          coding: [{ system: 'http://snomed.info/sct', code: '371244009', display: 'Yellow' }],
        },
      },
    ];
    const text = renderMessage(input('ORU^R01', { report, observations, encounter: undefined })).toString();
    const msg = parseMessage(text);
    expect(msg.get('OBR-3.1')).toBe('F-100');
    expect(msg.get('OBR-25')).toBe('F');
    expect(msg.get('OBX[1]-2')).toBe('NM');
    expect(msg.get('OBX[1]-6.3')).toBe('UCUM');
    expect(msg.get('OBX[1]-7')).toBe('70-99');
    expect(msg.get('OBX[1]-8')).toBe('H');
    const back = readBack(text);
    expect(ofType(back, 'DiagnosticReport')[0]).toMatchObject({
      status: 'final',
      identifier: [{ system: 'urn:hospitium:hl7v2:authority:LAB', value: 'F-100' }],
      code: { coding: [{ system: 'http://loinc.org', code: '24323-8' }] },
      conclusion: 'High glucose',
    });
    const [glucose, creatinine, color] = ofType(back, 'Observation');
    expect(glucose).toMatchObject({
      status: 'final',
      code: { coding: [{ system: 'http://loinc.org', code: '2345-7' }] },
      valueQuantity: { value: 182, system: 'http://unitsofmeasure.org', code: 'mg/dL' },
      referenceRange: [{ low: { value: 70 }, high: { value: 99 } }],
      interpretation: [{ coding: [{ code: 'H' }] }],
      effectiveDateTime: '2026-01-10T10:00:00Z',
    });
    expect(creatinine).toMatchObject({ valueQuantity: { value: 0.5, comparator: '<', code: 'mg/dL' } });
    expect(color).toMatchObject({
      valueCodeableConcept: { coding: [{ system: 'http://snomed.info/sct', code: '371244009' }] },
    });
  });
});
