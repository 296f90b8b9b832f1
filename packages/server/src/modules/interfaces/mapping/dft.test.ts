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

const pid = segmentLine('PID', { 1: '1', 3: 'P1^^^HOSP^MR', 5: 'Doe^Jane', 18: 'ACC-9^^^HOSP^AN' });
const pv1 = segmentLine('PV1', { 1: '1', 2: 'I', 19: 'V1^^^HOSP^VN' });
const ft1 = (fields: Record<number, string>) =>
  segmentLine('FT1', {
    1: '1',
    4: '20260110083000^20260110093000',
    6: 'CG',
    7: '71045^Xray exam chest 1 view^C4',
    10: '2',
    11: '100.50&USD',
    19: 'R07.9^Chest pain^I10',
    20: '0148^Smith^Alice^^^Dr',
    24: '0999^Clerk^Carl',
    ...fields,
  });

describe('DFT^P03 → ChargeItem', () => {
  it('maps one ChargeItem per charge with code, quantity, period, price, performer, visit and account', () => {
    const mapped = mapLines(
      mshLine('DFT^P03^DFT_P03'),
      'EVN|P03|20260110',
      pid,
      pv1,
      ft1({ 2: 'T-1' }),
      ft1({ 1: '2', 2: '', 4: '20260110', 7: '80053^Comprehensive metabolic panel^C4', 10: '1', 11: '' }),
    );
    const charges = resourcesOf(mapped, 'ChargeItem');
    expect(charges).toHaveLength(2);
    expect(charges[0]).toMatchObject({
      identifier: [{ system: 'urn:oid:1.2.3:charge', value: 'T-1' }],
      status: 'billable',
      code: { coding: [{ system: 'http://www.ama-assn.org/go/cpt', code: '71045' }] },
      quantity: { value: 2 },
      occurrencePeriod: { start: '2026-01-10T08:30:00+01:00', end: '2026-01-10T09:30:00+01:00' },
      priceOverride: { value: 100.5, currency: 'USD' },
      performer: [{ actor: { identifier: { value: '0148' }, display: 'Dr Alice Smith' } }],
      enterer: { identifier: { value: '0999' } },
      reason: [{ coding: [{ code: 'R07.9' }] }],
    });
    // Without FT1-2 the charge is keyed by the message and the segment, so a resend matches it.
    expect(charges[1]).toMatchObject({
      identifier: [{ system: 'urn:hospitium:hl7v2:charge', value: 'urn:oid:1.2.3|X1|2' }],
      occurrenceDateTime: '2026-01-10',
      quantity: { value: 1 },
    });
    const [account] = resourcesOf(mapped, 'Account');
    expect(account).toMatchObject({ identifier: [{ value: 'ACC-9' }], status: 'active' });
    const urls = new Map(mapped.bundle.entry?.map((e) => [e.resource, e.fullUrl]));
    const [encounter] = resourcesOf(mapped, 'Encounter');
    expect(charges[0].context).toEqual({ reference: urls.get(encounter) });
    expect(charges[0].account).toEqual([{ reference: urls.get(account) }]);
  });

  it('skips payments and adjustments with a warning, and warns about a bad quantity', () => {
    const mapped = mapLines(mshLine('DFT^P03'), pid, ft1({ 6: 'PY' }), ft1({ 1: '2', 10: 'two' }));
    const charges = resourcesOf(mapped, 'ChargeItem');
    expect(charges).toHaveLength(1);
    expect(charges[0].quantity).toBeUndefined();
    expect(mapped.issues.map((i) => i.text)).toEqual([
      "FT1-6: transaction type 'PY' is not a charge; skipped",
      "FT1[2]-10: 'two' is not a number; quantity left out",
    ]);
  });

  it('refuses a charge without a code, or a DFT without FT1, naming the segment', () => {
    expect(mappingFailure(() => mapLines(mshLine('DFT^P03'), pid, ft1({ 7: '' })))).toEqual({
      expression: 'FT1-7',
      text: 'FT1-7 (transaction code) is required',
    });
    expect(mappingFailure(() => mapLines(mshLine('DFT^P03'), pid, pv1))).toMatchObject({ expression: 'FT1' });
  });

  it.skipIf(!corpusDir)('maps the corpus DFT^P03 charges', () => {
    const text = readFileSync(corpusPath('hl7v2', 'ms-fhir-converter', 'DFT-P03-01.hl7'), 'utf8');
    const charges = resourcesOf(mapMessage(parseMessage(text), mappingSettings), 'ChargeItem');
    expect(charges.map((c) => (c.code as { coding: { code: string }[] }).coding[0].code)).toEqual([
      '71045',
      '626.2',
    ]);
  });
});
