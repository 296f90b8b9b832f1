import { readFileSync } from 'node:fs';
import { parseMessage } from '@hospitium/hl7v2';
import { corpusDir, corpusPath } from '@hospitium/test-support';
import { describe, expect, it } from 'vitest';
import {
  mapLines,
  mappingFailure,
  mappingSettings,
  mshLine,
  resourcesOf,
  segmentLine,
} from '../testing/mapping-fixtures.js';
import { mapMessage } from './map-message.js';

const pid = 'PID|1||P1^^^HOSP^MR||Doe^Jane||19700101|F';
const orc = (control: string, fields: Record<number, string> = {}) =>
  segmentLine('ORC', {
    1: control,
    2: 'PL-1^CPOE',
    3: 'FL-1^LIS',
    9: '20260110080000',
    12: '0148^Smith^Alice^^^Dr',
    ...fields,
  });
const obr = segmentLine('OBR', {
  1: '1',
  2: 'PL-1^CPOE',
  4: '24323-8^Comprehensive metabolic panel^LN',
  16: '0150^Jones^Bob',
  31: 'R73.9^Hyperglycaemia^I10',
});

describe('ORM/OML → ServiceRequest', () => {
  it('maps a new order with its numbers, code, priority, requester, reason and time', () => {
    const mapped = mapLines(
      mshLine('ORM^O01^ORM_O01'),
      pid,
      orc('NW', { 5: 'SC' }),
      'TQ1|1||||||20260110090000|20260110100000|S',
      obr,
      'NTE|1||Fasting',
    );
    const [request] = resourcesOf(mapped, 'ServiceRequest');
    expect(request).toMatchObject({
      identifier: [
        { type: { coding: [{ code: 'PLAC' }] }, system: 'urn:hospitium:hl7v2:authority:CPOE', value: 'PL-1' },
        { type: { coding: [{ code: 'FILL' }] }, system: 'urn:hospitium:hl7v2:authority:LIS', value: 'FL-1' },
      ],
      status: 'active',
      intent: 'order',
      code: { coding: [{ system: 'http://loinc.org', code: '24323-8' }] },
      priority: 'stat',
      occurrencePeriod: { start: '2026-01-10T09:00:00+01:00', end: '2026-01-10T10:00:00+01:00' },
      authoredOn: '2026-01-10T08:00:00+01:00',
      requester: { identifier: { value: '0148' }, display: 'Dr Alice Smith' },
      reasonCode: [{ coding: [{ code: 'R73.9' }] }],
      note: [{ text: 'Fasting' }],
    });
    const entry = mapped.bundle.entry?.find((e) => e.resource === request);
    expect(entry?.request?.url).toBe(
      'ServiceRequest?identifier=urn%3Ahospitium%3Ahl7v2%3Aauthority%3ACPOE|PL-1',
    );
    expect(mapped.mustExist.size).toBe(0);
  });

  it('takes the status from ORC-5, else ORC-1; a cancel must find the order and keeps what it omits', () => {
    const status = (control: string, orderStatus = '') =>
      resourcesOf(
        mapLines(mshLine('ORM^O01'), pid, orc(control, { 5: orderStatus }), obr),
        'ServiceRequest',
      )[0].status;
    expect(status('NW')).toBe('active');
    expect(status('CA')).toBe('revoked');
    expect(status('DC')).toBe('revoked');
    expect(status('XO')).toBe('active');
    expect(status('NW', 'CM')).toBe('completed');
    expect(status('SC', 'HD')).toBe('on-hold');
    expect(status('SC')).toBeUndefined();
    const cancel = mapLines(mshLine('ORM^O01'), pid, orc('CA'));
    const [request] = resourcesOf(cancel, 'ServiceRequest');
    expect(request.code).toBeUndefined();
    const index = cancel.bundle.entry?.findIndex((e) => e.resource === request) ?? -1;
    expect(cancel.mustExist.get(index)).toEqual({
      location: { segment: 'ORC', sequence: 1, field: 2, component: undefined },
      what: 'Order PL-1 (ORC-2)',
    });
    expect(cancel.preserve.get(index)).toEqual(expect.arrayContaining(['code', 'requester', 'status']));
  });

  it('maps an OML whose OBR comes without ORC, and refuses an order without numbers or code', () => {
    const mapped = mapLines(mshLine('OML^O21^OML_O21'), pid, obr);
    expect(resourcesOf(mapped, 'ServiceRequest')[0]).toMatchObject({
      status: 'active',
      identifier: [{ value: 'PL-1' }],
      requester: { display: 'Bob Jones' },
    });
    expect(
      mappingFailure(() =>
        mapLines(
          mshLine('ORM^O01'),
          pid,
          orc('NW', { 2: '', 3: '' }),
          segmentLine('OBR', { 1: '1', 4: 'X^Y^L' }),
        ),
      ),
    ).toEqual({ expression: 'ORC-2', text: 'ORC-2 (placer order number) is required' });
    expect(
      mappingFailure(() => mapLines(mshLine('ORM^O01'), pid, orc('NW'), segmentLine('OBR', { 1: '1' }))),
    ).toMatchObject({ expression: 'OBR-4' });
    expect(mappingFailure(() => mapLines(mshLine('ORM^O01'), pid))).toMatchObject({ expression: 'ORC' });
  });
});

const rxe = (fields: Record<number, string> = {}) =>
  segmentLine('RXE', {
    2: '313782^Acetaminophen 325 MG Oral Tablet^RXNORM',
    3: '650',
    5: 'mg^milligram^UCUM',
    7: '^Take with food',
    10: '30',
    11: 'TAB^tablet^L',
    12: '2',
    ...fields,
  });

describe('RDE^O11 → MedicationRequest', () => {
  it('maps medication, dose, route, frequency, dispense and status', () => {
    const mapped = mapLines(
      mshLine('RDE^O11^RDE_O11'),
      pid,
      orc('NW'),
      'RXO|313782^Acetaminophen^RXNORM|1',
      'RXR|IV^Infusion',
      rxe(),
      'TQ1|1||Q6H||||20260110090000|20260117090000|R',
      'RXR|PO^Oral',
    );
    const [request] = resourcesOf(mapped, 'MedicationRequest');
    expect(request).toMatchObject({
      status: 'active',
      intent: 'order',
      identifier: [{ value: 'PL-1' }, { value: 'FL-1' }],
      medicationCodeableConcept: {
        coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '313782' }],
      },
      priority: 'routine',
      requester: { identifier: { value: '0148' } },
      dispenseRequest: { quantity: { value: 30, unit: 'tablet' }, numberOfRepeatsAllowed: 2 },
    });
    // The TQ1 and RXR after the RXE are the encoded order's; the RXO's RXR is not.
    expect((request.dosageInstruction as unknown[])[0]).toEqual({
      text: 'Take with food',
      doseAndRate: [
        { doseQuantity: { value: 650, unit: 'milligram', system: 'http://unitsofmeasure.org', code: 'mg' } },
      ],
      route: {
        coding: [
          {
            system: 'http://terminology.hl7.org/CodeSystem/v3-RouteOfAdministration',
            code: 'PO',
            display: 'Swallow, oral',
          },
        ],
        text: 'Oral',
      },
      timing: {
        code: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0335', code: 'Q6H' }] },
        repeat: {
          frequency: 1,
          period: 6,
          periodUnit: 'h',
          boundsPeriod: { start: '2026-01-10T09:00:00+01:00', end: '2026-01-17T09:00:00+01:00' },
        },
      },
    });
  });

  it('cancels or stops by ORC-1, reads a dose range, and warns about a bad amount', () => {
    const status = (control: string) =>
      resourcesOf(mapLines(mshLine('RDE^O11'), pid, orc(control), rxe()), 'MedicationRequest')[0].status;
    expect(status('CA')).toBe('cancelled');
    expect(status('DC')).toBe('stopped');
    expect(status('HD')).toBe('on-hold');
    const ranged = mapLines(mshLine('RDE^O11'), pid, orc('NW'), rxe({ 4: '1000', 10: 'lots' }), 'TQ1|1||BID');
    const [request] = resourcesOf(ranged, 'MedicationRequest');
    const dosage = (request.dosageInstruction as Record<string, unknown>[])[0];
    expect(dosage.doseAndRate).toEqual([
      {
        doseRange: {
          low: { value: 650, unit: 'milligram', system: 'http://unitsofmeasure.org', code: 'mg' },
          high: { value: 1000, unit: 'milligram', system: 'http://unitsofmeasure.org', code: 'mg' },
        },
      },
    ]);
    expect((dosage.timing as { repeat: unknown }).repeat).toEqual({
      frequency: 2,
      period: 1,
      periodUnit: 'd',
    });
    expect(ranged.issues.map((i) => i.text)).toEqual([
      "RXE-10: dispense amount 'lots' is not a number; left out",
    ]);
  });

  it('refuses an order without a give code or without RXE', () => {
    expect(mappingFailure(() => mapLines(mshLine('RDE^O11'), pid, orc('NW'), rxe({ 2: '' })))).toEqual({
      expression: 'RXE-2',
      text: 'RXE-2 (give code) is required',
    });
    expect(mappingFailure(() => mapLines(mshLine('RDE^O11'), pid, orc('NW')))).toMatchObject({
      expression: 'ORC',
    });
  });

  it.skipIf(!corpusDir)('maps the corpus RDE^O11: two orders', () => {
    const text = readFileSync(corpusPath('hl7v2', 'ms-fhir-converter', 'RDE-O11-02.hl7'), 'utf8');
    const requests = resourcesOf(mapMessage(parseMessage(text), mappingSettings), 'MedicationRequest');
    expect(requests.map((r) => (r.identifier as { value: string }[])[0].value)).toEqual([
      '1163422591',
      '1422591',
    ]);
    expect(requests[1]).toMatchObject({
      dispenseRequest: { quantity: { value: 4, unit: 'Bag' }, numberOfRepeatsAllowed: 12 },
    });
  });
});
