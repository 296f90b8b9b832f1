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
const pv1 = segmentLine('PV1', { 1: '1', 2: 'I', 3: 'W^1^A', 19: 'V1^^^HOSP^VN' });
const txa = (fields: Record<number, string> = {}) =>
  segmentLine('TXA', {
    1: '1',
    2: 'DS^Discharge summary',
    3: 'TX',
    4: '20260110090000',
    6: '20260110083000',
    9: '0148^Smith^Alice^^^Dr',
    12: 'DOC-42^HIS',
    17: 'AU',
    18: 'R',
    19: 'AV',
    22: '0150^Jones^Bob',
    ...fields,
  });
const base64 = (text: string) => Buffer.from(text).toString('base64');

describe('MDM → DocumentReference', () => {
  it('maps TXA and the text OBX lines of a T02 into one document of the visit', () => {
    const mapped = mapLines(
      mshLine('MDM^T02^MDM_T02'),
      'EVN|T02|20260110090000',
      pid,
      pv1,
      txa(),
      'OBX|1|TX|DS^Discharge summary^L||Admitted with chest pain.~Discharged home.||||||F',
      'OBX|2|FT|DS^Discharge summary^L||Follow up in 2 weeks \\T\\ review bloods.||||||F',
    );
    const [doc] = resourcesOf(mapped, 'DocumentReference');
    const [encounter] = resourcesOf(mapped, 'Encounter');
    expect(doc).toMatchObject({
      masterIdentifier: { value: 'DOC-42' },
      identifier: [{ system: 'urn:hospitium:hl7v2:authority:HIS', value: 'DOC-42' }],
      status: 'current',
      docStatus: 'final',
      type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0270', code: 'DS' }] },
      date: '2026-01-10T08:30:00+01:00',
      author: [{ identifier: { value: '0148' }, display: 'Dr Alice Smith' }],
      authenticator: { identifier: { value: '0150' }, display: 'Bob Jones' },
      securityLabel: [{ coding: [{ code: 'R' }] }],
      context: { period: { start: '2026-01-10T09:00:00+01:00' } },
    });
    const content = doc.content as { attachment: { contentType: string; data: string } }[];
    expect(content).toHaveLength(1);
    expect(content[0].attachment.contentType).toBe('text/plain; charset=utf-8');
    expect(Buffer.from(content[0].attachment.data, 'base64').toString()).toBe(
      'Admitted with chest pain.\nDischarged home.\nFollow up in 2 weeks & review bloods.',
    );
    // The visit is referenced as stored (created only when unknown), not rewritten.
    const entry = mapped.bundle.entry?.find((e) => e.resource === encounter);
    expect(entry?.request).toMatchObject({ method: 'POST', ifNoneExist: expect.stringContaining('V1') });
    expect((doc.context as { encounter: { reference: string }[] }).encounter[0].reference).toBe(
      entry?.fullUrl,
    );
  });

  it('keeps ED content with its type and decodes nothing twice', () => {
    const pdf = base64('%PDF-1.4 fake');
    const mapped = mapLines(
      mshLine('MDM^T02'),
      pid,
      txa({ 17: 'IP' }),
      `OBX|1|ED|PDF^Report^L||^application^pdf^Base64^${pdf}||||||F`,
      'OBX|2|ED|TXT^Note^L||^text^plain^A^plain words||||||F',
    );
    const [doc] = resourcesOf(mapped, 'DocumentReference');
    expect(doc.docStatus).toBe('preliminary');
    expect(doc.content).toEqual([
      { attachment: { contentType: 'application/pdf', data: pdf } },
      { attachment: { contentType: 'text/plain', data: base64('plain words') } },
    ]);
  });

  it('maps a notification without content: the stored content is kept, else the title stands in', () => {
    const mapped = mapLines(mshLine('MDM^T01'), pid, txa({ 16: 'summary.txt', 19: 'OB' }));
    const [doc] = resourcesOf(mapped, 'DocumentReference');
    expect(doc.content).toBeUndefined();
    expect(doc.status).toBe('superseded');
    const index = mapped.bundle.entry?.findIndex((e) => e.resource === doc) ?? -1;
    expect(mapped.preserve.get(index)).toContain('content');
    expect(mapped.fallbacks.get(index)).toEqual({ content: [{ attachment: { title: 'summary.txt' } }] });
  });

  it('warns about empty or mislabelled ED data instead of storing it', () => {
    const mapped = mapLines(
      mshLine('MDM^T02'),
      pid,
      txa(),
      'OBX|1|ED|PDF^Report^L||^application^pdf^Base64^||||||F',
      'OBX|2|ED|PDF^Report^L||^application^pdf^Base64^not base64!||||||F',
    );
    expect(resourcesOf(mapped, 'DocumentReference')[0].content).toBeUndefined();
    expect(mapped.issues.map((i) => i.text)).toEqual([
      'OBX-5: encapsulated data is empty; not attached',
      'OBX[2]-5: encapsulated data is not Base64 as ED-4 says; not attached',
    ]);
  });

  it('refuses a document without TXA or without its unique number, naming the field', () => {
    expect(mappingFailure(() => mapLines(mshLine('MDM^T02'), pid))).toMatchObject({
      expression: 'TXA',
      text: expect.stringContaining('is required'),
    });
    expect(mappingFailure(() => mapLines(mshLine('MDM^T02'), pid, txa({ 12: '' })))).toMatchObject({
      expression: 'TXA-12',
      text: 'TXA-12 (unique document number) is required',
    });
    expect(mappingFailure(() => mapLines(mshLine('MDM^T02'), txa()))).toMatchObject({ expression: 'PID' });
  });

  it.skipIf(!corpusDir)('maps the corpus MDM^T02 with 29 lines of text', () => {
    const text = readFileSync(corpusPath('hl7v2', 'ms-fhir-converter', 'MDM-T02-03.hl7'), 'utf8');
    const mapped = mapMessage(parseMessage(text), mappingSettings);
    const [doc] = resourcesOf(mapped, 'DocumentReference');
    expect(doc).toMatchObject({ masterIdentifier: { value: '2RWRVAJ627408' }, docStatus: 'preliminary' });
    const data = (doc.content as { attachment: { data: string } }[])[0].attachment.data;
    expect(Buffer.from(data, 'base64').toString().split('\n')).toHaveLength(29);
  });
});
