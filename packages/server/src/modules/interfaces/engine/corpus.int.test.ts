import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRepository, type Database, testDatabases } from '@hospitium/db';
import { batchItems, parseBatch, parseMessage } from '@hospitium/hl7v2';
import { corpusDir, corpusMissingReason, corpusPath } from '@hospitium/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultChannel } from '../channels/channel.js';
import { supportedMessages } from '../mapping/map-message.js';
import { InterfaceEngine } from './engine.js';

const silent = { error() {}, warn() {}, info() {} };

interface CorpusMessage {
  file: string;
  text: string;
  type: string;
}

function corpusMessages(): CorpusMessage[] {
  if (!corpusDir) return [];
  const out: CorpusMessage[] = [];
  for (const dir of ['ms-fhir-converter', 'cdc-dex']) {
    for (const file of readdirSync(corpusPath('hl7v2', dir))) {
      if (file.endsWith('.jsonl')) continue;
      const items = batchItems(parseBatch(readFileSync(join(corpusPath('hl7v2', dir), file), 'utf8')));
      for (const item of items) {
        const type = item.ok ? `${item.message.messageCode}^${item.message.triggerEvent}` : 'unreadable';
        out.push({ file, text: item.text, type });
      }
    }
  }
  return out;
}

describe.skipIf(!corpusDir)(
  `corpus messages through the engine ${corpusDir ? '' : `(${corpusMissingReason})`}`,
  () => {
    describe.each(testDatabases())('on $name', ({ open }) => {
      let db: Database;
      let engine: InterfaceEngine;
      beforeAll(async () => {
        db = await open();
        engine = new InterfaceEngine({ db, baseUrl: 'http://test.hospitium/fhir', logger: silent });
      });
      afterAll(() => db?.close());

      const messages = corpusMessages();
      it('supported well-formed messages get AA and their resources are stored; others AR naming the problem', async () => {
        const channel = defaultChannel(0);
        const failures: string[] = [];
        let applied = 0;
        for (const m of messages) {
          const { ack } = await engine.receive(m.text, channel);
          const reply = parseMessage(ack);
          const code = reply.get('MSA-1');
          // The corpus A40s merge a patient no earlier message created: AE 204 naming MRG-1.
          const expected =
            m.type === 'ADT^A40'
              ? 'AE'
              : supportedMessages.has(m.type) && !/NO_MSH12/.test(m.file)
                ? 'AA'
                : 'AR';
          if (expected === 'AE') {
            expect(reply.get('ERR-3.1')).toBe('204');
            expect(reply.get('ERR-2.1')).toBe('MRG');
          }
          if (code !== expected)
            failures.push(
              `${m.file} ${m.type}: ${code} ${reply
                .segmentsNamed('ERR')
                .map((e) => e.value(8))
                .join('; ')}`,
            );
          if (code === 'AA') applied++;
          if (code === 'AR') expect(reply.get('ERR-3.1')).toMatch(/^\d{3}$/);
        }
        expect(failures).toEqual([]);
        expect(applied).toBeGreaterThan(25);
        const repo = createRepository(db);
        const count = async (type: string) =>
          (await repo.search({ resourceType: type, filters: [], count: 0, total: 'accurate' })).total ?? 0;
        for (const type of [
          'Patient',
          'Encounter',
          'Location',
          'Observation',
          'DiagnosticReport',
          'RelatedPerson',
          'AllergyIntolerance',
          'Coverage',
          'Immunization',
          'Appointment',
          'DocumentReference',
          'ChargeItem',
          'Account',
          'ServiceRequest',
          // No MedicationRequest: the corpus RDE^O11 reuses the sender and MSH-10 of DFT-P03-01, so
          // it is (rightly) answered as a resend; mapping/order.test.ts maps it on its own.
        ]) {
          expect(await count(type), type).toBeGreaterThan(0);
        }
      });

      it('applies each corpus document, charge and order message on its own (MSH-10 made unique)', async () => {
        // Several corpus files share a sender and MSH-10, so above some are answered as resends;
        // here each is applied to the database in its own right.
        const channel = defaultChannel(0);
        const ours = messages.filter(
          (m) => /^(MDM|DFT|ORM|OML|RDE)\^/.test(m.type) && supportedMessages.has(m.type),
        );
        expect(ours.length).toBeGreaterThanOrEqual(14);
        const failures: string[] = [];
        for (const [i, m] of ours.entries()) {
          const text = m.text.replace(/^(\uFEFF?MSH(?:\|[^|\r\n]*){8}\|)[^|\r\n]*/, `$1CORPUS-${i}`);
          const { ack, resend } = await engine.receive(text, channel);
          const reply = parseMessage(ack);
          if (reply.get('MSA-1') !== 'AA' || resend)
            failures.push(`${m.file} ${m.type}: ${reply.get('MSA-1')} ${reply.get('ERR-8') ?? ''}`);
        }
        expect(failures).toEqual([]);
        const repo = createRepository(db);
        const total = async (type: string) =>
          (await repo.search({ resourceType: type, filters: [], count: 0, total: 'accurate' })).total ?? 0;
        expect(await total('MedicationRequest')).toBeGreaterThanOrEqual(2);
        expect(await total('DocumentReference')).toBeGreaterThanOrEqual(2);
      });
    });
  },
);
