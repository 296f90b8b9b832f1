import type { Resource } from '@hospitium/fhir';
import { isOperationOutcomeError } from '@hospitium/fhir';
import { parseMessage } from '@hospitium/hl7v2';
import { describe, expect, it } from 'vitest';
import { authoritySystem, composite, contactPoint, humanName, identifier } from './datatypes.js';
import { mapMessage } from './map-message.js';

const settings = { timezoneOffset: '+01:00' };
const msh = (type: string) => `MSH|^~\\&|LAB|LABFAC^1.2.3^ISO|HIS|HOSP|20260110||${type}|X1|P|2.5.1`;
const resources = (text: string): Resource[] =>
  (mapMessage(parseMessage(text), settings).bundle.entry ?? []).map((e) => e.resource as Resource);
const oru = (...obx: string[]) =>
  [msh('ORU^R01'), 'PID|1||P1^^^HOSP^MR', 'OBR|1||F1^LIS|1234-5^Panel^LN|||20260110083000', ...obx].join(
    '\r',
  );
/** A segment with the given fields placed by number. */
const segment = (name: string, fields: Record<number, string>) =>
  [
    name,
    ...Array.from({ length: Math.max(...Object.keys(fields).map(Number)) }, (_, i) => fields[i + 1] ?? ''),
  ].join('|');
const observation = (obx: string) => resources(oru(obx)).find((r) => r.resourceType === 'Observation');

describe('v2 data types', () => {
  const seg = parseMessage(
    [
      msh('ADT^A01'),
      segment('PID', {
        1: '1',
        3: '123^^^MRN&1.2.840.1&ISO^MR~456^^^LOCAL^PI',
        5: 'Doe^John^Q^Jr^Dr^^L',
        13: '^PRN^PH^^1^555^1234567~^NET^Internet^jd@example.org',
        14: '555-7654^WPN^PH',
      }),
    ].join('\r'),
  ).segment('PID');
  if (!seg) throw new Error('no PID');

  it('names identifier systems from the assigning authority', () => {
    expect(identifier(composite(seg, 3, 1)!, 'urn:x')).toEqual({
      type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'MR' }] },
      system: 'urn:oid:1.2.840.1',
      value: '123',
    });
    expect(identifier(composite(seg, 3, 2)!, 'urn:x')?.system).toBe('urn:hospitium:hl7v2:authority:LOCAL');
    expect(authoritySystem(undefined, 'a1b2c3d4-0000-4000-8000-000000000000', 'GUID')).toBe(
      'urn:uuid:a1b2c3d4-0000-4000-8000-000000000000',
    );
    expect(authoritySystem(undefined, 'http://hospital.example/mrn', 'URI')).toBe(
      'http://hospital.example/mrn',
    );
  });

  it('reads names and phones in their v2.5 parts', () => {
    expect(humanName(composite(seg, 5)!)).toEqual({
      use: 'official',
      family: 'Doe',
      given: ['John', 'Q'],
      prefix: ['Dr'],
      suffix: ['Jr'],
    });
    expect(contactPoint(composite(seg, 13, 1)!)).toEqual({
      system: 'phone',
      value: '+1 (555) 1234567',
      use: 'home',
    });
    expect(contactPoint(composite(seg, 13, 2)!)).toEqual({ system: 'email', value: 'jd@example.org' });
    expect(contactPoint(composite(seg, 14)!)).toEqual({ system: 'phone', value: '555-7654', use: 'work' });
  });
});

describe('OBX values', () => {
  it.each([
    [
      'OBX|1|NM|2345-7^Glucose^LN||5.4|mmol/L^^UCUM|3.9-5.5|N|||F',
      { valueQuantity: { value: 5.4, unit: 'mmol/L', system: 'http://unitsofmeasure.org', code: 'mmol/L' } },
    ],
    [
      'OBX|1|NM|8867-4^Heart rate^LN||72|beats/min|60-100||||F',
      {
        valueQuantity: { value: 72, code: '/min' },
        referenceRange: [{ low: { value: 60 }, high: { value: 100 } }],
      },
    ],
    [
      'OBX|1|SN|1-1^X^LN||<^0.05|mg/L|<0.5|||F',
      { valueQuantity: { value: 0.05, comparator: '<' }, referenceRange: [{ high: { value: 0.5 } }] },
    ],
    [
      'OBX|1|SN|1-1^X^LN||^1^:^128||||||F',
      { valueRatio: { numerator: { value: 1 }, denominator: { value: 128 } } },
    ],
    ['OBX|1|SN|1-1^X^LN||^2^-^4||||||F', { valueRange: { low: { value: 2 }, high: { value: 4 } } }],
    [
      'OBX|1|CWE|1-1^X^LN||260385009^Negative^SCT||||||F',
      {
        valueCodeableConcept: {
          coding: [{ system: 'http://snomed.info/sct', code: '260385009', display: 'Negative' }],
        },
      },
    ],
    [
      'OBX|1|TX|1-1^X^LN||line one~line two||||||P',
      { valueString: 'line one\nline two', status: 'preliminary' },
    ],
    ['OBX|1|DT|1-1^X^LN||20260102||||||C', { valueDateTime: '2026-01-02', status: 'corrected' }],
    ['OBX|1|TS|1-1^X^LN||202601021330||||||F', { valueDateTime: '2026-01-02T13:30:00+01:00' }],
    ['OBX|1|NM|1-1^X^LN||pending||||||F', { valueString: 'pending' }],
    [
      'OBX|1|ST|1-1^X^LN||done|||HH~A|||D',
      {
        interpretation: [{ coding: [{ code: 'HH' }] }, { coding: [{ code: 'A' }] }],
        status: 'entered-in-error',
      },
    ],
  ])('%s', (obx, expected) => {
    expect(observation(obx)).toMatchObject(expected);
  });

  it('warns, in the ACK, about a non-numeric NM value', () => {
    const mapped = mapMessage(parseMessage(oru('OBX|1|NM|1-1^X^LN||pending||||||F')), settings);
    expect(mapped.issues).toMatchObject([{ severity: 'W', location: { segment: 'OBX', field: 5 } }]);
  });

  it('puts an ED value on the report as presentedForm', () => {
    const report = resources(oru('OBX|1|ED|PDF^Report^L||^application^pdf^Base64^SGVsbG8=||||||F')).find(
      (r) => r.resourceType === 'DiagnosticReport',
    );
    expect(report?.presentedForm).toEqual([{ contentType: 'application/pdf', data: 'SGVsbG8=' }]);
  });
});

describe('mapMessage', () => {
  it('reports a missing required element as an OperationOutcomeError naming the v2 location', () => {
    try {
      mapMessage(parseMessage([msh('ORU^R01'), 'PID|1||P1', 'OBR|1||F1|'].join('\r')), settings);
      expect.unreachable();
    } catch (err) {
      expect(isOperationOutcomeError(err)).toBe(true);
      if (isOperationOutcomeError(err)) {
        expect(err.outcome.issue[0]).toMatchObject({ code: 'required', expression: ['OBR-4'] });
      }
    }
  });

  it('maps A17 as two patients swapping beds and A28 without a visit', () => {
    const a17 = resources(
      [
        msh('ADT^A17'),
        'EVN|A17',
        'PID|1||P1^^^H',
        segment('PV1', { 1: '1', 2: 'I', 3: 'W^1^A', 19: 'V1^^^H' }),
        'PID|1||P2^^^H',
        segment('PV1', { 1: '1', 2: 'I', 3: 'W^1^B', 19: 'V2^^^H' }),
      ].join('\r'),
    );
    expect(a17.filter((r) => r.resourceType === 'Patient')).toHaveLength(2);
    expect(a17.filter((r) => r.resourceType === 'Encounter')).toHaveLength(2);
    expect(a17.filter((r) => r.resourceType === 'Location').map((r) => r.name)).toEqual([
      'W',
      'W 1',
      'W 1 A',
      'W 1 B',
    ]);
    const a28 = resources([msh('ADT^A28'), 'EVN|A28', 'PID|1||P3^^^H', 'PV1|1|N'].join('\r'));
    expect(a28.map((r) => r.resourceType)).toEqual(['Patient']);
  });

  it('cancels the visit on A11 and reopens it on A13', () => {
    const pv1 = segment('PV1', { 1: '1', 2: 'I', 3: 'W^1^A', 19: 'V9^^^H', 44: '20260101', 45: '20260102' });
    const a11 = resources([msh('ADT^A11'), 'EVN|A11', 'PID|1||P9^^^H', pv1].join('\r'));
    expect(a11.find((r) => r.resourceType === 'Encounter')).toMatchObject({ status: 'cancelled' });
    const a13 = resources([msh('ADT^A13'), 'EVN|A13', 'PID|1||P9^^^H', pv1].join('\r'));
    const enc = a13.find((r) => r.resourceType === 'Encounter');
    expect(enc).toMatchObject({ status: 'in-progress', period: { start: '2026-01-01' } });
    expect((enc?.period as { end?: string } | undefined)?.end).toBeUndefined();
  });

  it('maps VXU^V04 to Immunizations with route, site, lot and refusal', () => {
    const vxu = resources(
      [
        msh('VXU^V04'),
        'PID|1||P5^^^H',
        'ORC|RE||IZ-1^EHR',
        'RXA|0|1|20210818||08^Hep B, adolescent or pediatric^CVX|0.5|mL^mL^UCUM||00^New Record^NIP001||||||LOT42|20221216|MSD^Merck^MVX|||CP|A',
        'RXR|C28161^Intramuscular^NCIT|LD^Left Deltoid^HL70163',
        'ORC|RE||IZ-2^EHR',
        'RXA|0|1|20210818||03^MMR^CVX|999||||||||||||00^Parental decision^NIP002||RE',
      ].join('\r'),
    ).filter((r) => r.resourceType === 'Immunization');
    expect(vxu).toHaveLength(2);
    expect(vxu[0]).toMatchObject({
      status: 'completed',
      vaccineCode: { coding: [{ system: 'http://hl7.org/fhir/sid/cvx', code: '08' }] },
      occurrenceDateTime: '2021-08-18',
      primarySource: true,
      doseQuantity: { value: 0.5, system: 'http://unitsofmeasure.org', code: 'mL' },
      lotNumber: 'LOT42',
      expirationDate: '2022-12-16',
      manufacturer: { display: 'Merck' },
      route: { coding: [{ code: 'C28161' }] },
      site: { coding: [{ code: 'LD' }] },
      identifier: [{ value: 'IZ-1' }],
    });
    expect(vxu[1]).toMatchObject({ status: 'not-done', statusReason: { coding: [{ code: '00' }] } });
    expect(vxu[1].doseQuantity).toBeUndefined();
  });

  it('maps SIU to an Appointment with its room, clinician and times', () => {
    const siu = (event: string, status = 'Booked') =>
      resources(
        [
          msh(`SIU^${event}`),
          segment('SCH', {
            1: '12345',
            2: '36996^SCHED',
            7: 'FU^Follow-up^L',
            8: 'ROUTINE^Routine^HL70276',
            25: status,
          }),
          'PID|1||P7^^^H',
          'RGS|1',
          'AIS|1|A|76164006^Biopsy of colon^SCT|20210924093000+0200|||50|min',
          'AIL|1||055^Room01^^GH Clinic',
          'AIP|1||1210^GE^Robert|010^Gastroenterologist^L',
          'NTE|1||Bring previous reports',
        ].join('\r'),
      ).find((r) => r.resourceType === 'Appointment');
    expect(siu('S12')).toMatchObject({
      status: 'booked',
      identifier: [{ value: '36996' }],
      start: '2021-09-24T09:30:00+02:00',
      end: '2021-09-24T08:20:00.000Z',
      minutesDuration: 50,
      serviceType: [{ coding: [{ code: '76164006' }] }],
      reasonCode: [{ coding: [{ code: 'FU' }] }],
      comment: 'Bring previous reports',
    });
    expect(siu('S12')?.participant).toHaveLength(3);
    expect(siu('S15', 'Cancelled')?.status).toBe('cancelled');
    expect(siu('S26', '')?.status).toBe('noshow');
  });
});
