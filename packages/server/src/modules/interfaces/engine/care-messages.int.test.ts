import { testDatabases } from '@hospitium/db';
import type { Resource } from '@hospitium/fhir';
import { describe, expect, it } from 'vitest';
import { getMessage, searchMessages } from '../store/message-store.js';
import {
  cancelAdmit,
  charges,
  dischargeSummary,
  documentObsolete,
  labOrder,
  pharmacyOrder,
} from '../testing/care-messages.js';
import { engineHarness, mrnSystem, unique } from '../testing/engine-harness.js';
import { admit } from '../testing/messages.js';

describe.each(testDatabases())('documents, charges and orders through the engine on $name', ({ open }) => {
  const h = engineHarness(open);
  const { send, find } = h;

  /** A patient admitted by ADT^A01, with the ids its stay got. */
  const admitted = async () => {
    const stay = { mrn: unique('MRN'), visit: unique('V'), controlId: unique('C') };
    expect((await send(admit(stay))).reply.get('MSA-1')).toBe('AA');
    const [patient] = await find('Patient', 'identifier', `${mrnSystem}|${stay.mrn}`);
    const [encounter] = await find('Encounter', 'identifier', `${mrnSystem}|${stay.visit}`);
    return { stay, patient, encounter, next: () => ({ ...stay, controlId: unique('C') }) };
  };

  it('files a discharge summary on the visit ADT created, and keeps its text when only the status changes', async () => {
    const { patient, encounter, next } = await admitted();
    const doc = unique('DOC');
    const t02 = await send(dischargeSummary(next(), doc));
    expect(t02.reply.get('MSA-1')).toBe('AA');
    const [stored] = await find('DocumentReference', 'patient', `Patient/${patient.id}`);
    expect(stored).toMatchObject({
      masterIdentifier: { value: doc },
      status: 'current',
      docStatus: 'final',
      context: {
        encounter: [
          {
            reference: `Patient/${patient.id}`.replace(`Patient/${patient.id}`, `Encounter/${encounter.id}`),
          },
        ],
      },
    });
    const text = (d: Resource) =>
      Buffer.from((d.content as { attachment: { data: string } }[])[0].attachment.data, 'base64').toString();
    expect(text(stored)).toBe('Admitted with chest pain.\nDischarged home on aspirin.');
    // The visit was referenced, not rewritten: still in progress in the bed ADT put it in.
    const [visit] = await find('Encounter', '_id', encounter.id as string);
    expect(visit.status).toBe('in-progress');
    expect(visit.meta?.versionId).toBe(encounter.meta?.versionId);

    expect((await send(documentObsolete(next(), doc))).reply.get('MSA-1')).toBe('AA');
    const [obsolete] = await find('DocumentReference', 'identifier', doc);
    expect(obsolete.status).toBe('superseded');
    expect(text(obsolete)).toBe('Admitted with chest pain.\nDischarged home on aspirin.');
    // A notification about a document never seen is stored with its title as content.
    const unknown = unique('DOC');
    expect((await send(documentObsolete(next(), unknown))).reply.get('MSA-1')).toBe('AA');
    const [titled] = await find('DocumentReference', 'identifier', unknown);
    expect(titled.content).toEqual([{ attachment: { title: 'DS' } }]);
  });

  it('charges a visit once even when the peer resends the DFT', async () => {
    const { patient, encounter, next } = await admitted();
    const message = charges(next(), unique('TX'));
    const first = await send(message);
    expect(first.reply.get('MSA-1')).toBe('AA');
    const again = await send(message);
    expect(again.resend).toBe(true);
    expect(again.ack).toBe(first.ack);
    const items = await find('ChargeItem', 'patient', `Patient/${patient.id}`);
    expect(items).toHaveLength(2);
    expect(
      items.every((i) => (i.context as { reference: string }).reference === `Encounter/${encounter.id}`),
    ).toBe(true);
    const [account] = await find('Account', 'patient', `Patient/${patient.id}`);
    expect(
      items.every((i) => (i.account as { reference: string }[])[0].reference === `Account/${account.id}`),
    ).toBe(true);
    expect(await getMessage(h.db, first.messageId as string)).toMatchObject({
      status: 'processed',
      messageType: 'DFT^P03',
      resends: 1,
      attempts: 1,
    });
  });

  it('places, changes and cancels an order by its placer number; a cancel of an unknown order is AE at ORC-2', async () => {
    const { patient, next } = await admitted();
    const placer = unique('PL');
    expect((await send(labOrder(next(), placer))).reply.get('MSA-1')).toBe('AA');
    const byPlacer = () => find('ServiceRequest', 'identifier', placer);
    expect(await byPlacer()).toMatchObject([
      {
        status: 'active',
        priority: 'stat',
        code: { coding: [{ code: '2345-7' }] },
        subject: { reference: `Patient/${patient.id}` },
      },
    ]);
    // A change (XO) moves the order to a time window: the period replaces the stored time.
    const change = labOrder(next(), placer, 'XO').replace(
      'TQ1|1||||||20260111090000+0100||S',
      'TQ1|1||||||20260111100000+0100|20260111110000+0100|S',
    );
    expect((await send(change)).reply.get('MSA-1')).toBe('AA');
    const [changed] = await byPlacer();
    expect(changed.occurrencePeriod).toEqual({
      start: '2026-01-11T10:00:00+01:00',
      end: '2026-01-11T11:00:00+01:00',
    });
    expect(changed.occurrenceDateTime).toBeUndefined();
    const cancel = labOrder(next(), placer, 'CA', false);
    expect((await send(cancel)).reply.get('MSA-1')).toBe('AA');
    const [cancelled] = await byPlacer();
    expect(cancelled).toMatchObject({
      status: 'revoked',
      code: { coding: [{ code: '2345-7' }] },
      priority: 'stat',
      occurrencePeriod: { start: '2026-01-11T10:00:00+01:00' },
    });
    expect(await byPlacer()).toHaveLength(1);

    const orphan = await send(labOrder(next(), unique('PL'), 'CA', false));
    expect(orphan.reply.get('MSA-1')).toBe('AE');
    expect(orphan.reply.get('ERR-2.1')).toBe('ORC');
    expect(orphan.reply.get('ERR-2.3')).toBe('2');
    expect(orphan.reply.get('ERR-3.1')).toBe('204');
    expect(await getMessage(h.db, orphan.messageId as string)).toMatchObject({
      status: 'error',
      ackCode: 'AE',
    });
  });

  it('turns a pharmacy order into a MedicationRequest; one without a give code is AE at RXE-2 and stores nothing', async () => {
    const { patient, next } = await admitted();
    const placer = unique('RX');
    const ok = await send(pharmacyOrder(next(), placer));
    expect(ok.reply.get('MSA-1')).toBe('AA');
    const [request] = await find('MedicationRequest', 'patient', `Patient/${patient.id}`);
    expect(request).toMatchObject({
      status: 'active',
      medicationCodeableConcept: { coding: [{ code: '313782' }] },
      dosageInstruction: [
        { route: { coding: [{ code: 'PO' }] }, timing: { repeat: { period: 6, periodUnit: 'h' } } },
      ],
      dispenseRequest: { numberOfRepeatsAllowed: 2 },
    });
    const brokenControl = next();
    const broken = await send(pharmacyOrder(brokenControl, unique('RX'), ''));
    expect(broken.reply.get('MSA-1')).toBe('AE');
    expect(broken.reply.get('ERR-2.1')).toBe('RXE');
    expect(broken.reply.get('ERR-2.3')).toBe('2');
    expect(broken.reply.get('ERR-3.1')).toBe('101');
    expect(await find('MedicationRequest', 'patient', `Patient/${patient.id}`)).toHaveLength(1);
    const logged = await searchMessages(h.db, { controlId: brokenControl.controlId, count: 5, offset: 0 });
    expect(logged.messages).toMatchObject([{ status: 'error', messageType: 'RDE^O11' }]);
  });

  it('cancels an admission with A11: the visit is cancelled and its bed no longer occupied', async () => {
    const { encounter, next } = await admitted();
    expect((encounter.location as { status: string }[]).at(-1)?.status).toBe('active');
    expect((await send(cancelAdmit(next()))).reply.get('MSA-1')).toBe('AA');
    const [cancelled] = await find('Encounter', '_id', encounter.id as string);
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.location).toEqual([
      { location: (encounter.location as { location: unknown }[]).at(-1)?.location, status: 'completed' },
    ]);
  });
});
