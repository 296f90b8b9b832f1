/** Outbound HL7 v2, what is sent: a stay's ADT events, orders and results, what an inbound message changed. */
import { type Database, type Repository, testDatabases } from '@hospitium/db';
import type { Resource } from '@hospitium/fhir';
import { parseMessage } from '@hospitium/hl7v2';
import { describe, expect, it } from 'vitest';
import {
  encounterOf,
  channelCount as n,
  outboundHarness,
  Peer,
  patientIn,
  waitFor,
} from '../../../testing/outbound-harness.js';
import { defaultChannel } from '../channels/channel.js';
import { getMessage, searchMessages } from '../store/message-store.js';
import { admit } from '../testing/messages.js';

describe.each(testDatabases())('outbound HL7 v2 (stay, orders, inbound → outbound) on $name', ({ open }) => {
  let db: Database;
  const { deliverTo } = outboundHarness(open, (opened) => ({ db } = opened));

  async function ward(repo: Repository) {
    const type = (code: string) => ({ coding: [{ code }] });
    const w = await repo.createResource<Resource>({
      resourceType: 'Location',
      name: '4E',
      physicalType: type('wa'),
    });
    const r = await repo.createResource<Resource>({
      resourceType: 'Location',
      name: '136',
      physicalType: type('ro'),
      partOf: { reference: `Location/${w.id}` },
    });
    const bed = (name: string) =>
      repo.createResource<Resource>({
        resourceType: 'Location',
        name,
        physicalType: type('bd'),
        partOf: { reference: `Location/${r.id}` },
      });
    return { b1: await bed('A'), b2: await bed('B') };
  }

  it('follows a stay: admit → A01, transfer → A02, discharge → A03, update → A08; all acknowledged in the store', async () => {
    const peer = await new Peer().start();
    const { repo, channel } = deliverTo(peer.port, {}, peer);
    const { b1, b2 } = await ward(repo);
    const patient = await patientIn(repo);
    const mrn = (patient.identifier as { value: string }[])[0].value;
    const admitted = await repo.createResource(
      encounterOf(patient, {
        status: 'in-progress',
        period: { start: '2026-01-10T08:00:00Z' },
        location: [{ location: { reference: `Location/${b1.id}` }, status: 'active' }],
      }),
    );
    const a01 = await waitFor('A01', () => peer.received[0]);
    expect(a01.get('MSH-9.2')).toBe('A01');
    expect(a01.get('MSH-5')).toBe('PEER');
    expect(a01.get('MSH-6')).toBe('WARD');
    expect(a01.get('PID-3.1')).toBe(mrn);
    expect(a01.get('PID-3.4.2')).toBe('http://hospitium.test/mrn');
    expect(a01.get('PID-5.1')).toBe('Nightingale');
    expect(a01.get('PID-7')).toBe('18200512');
    expect(a01.get('PID-8')).toBe('F');
    expect(a01.get('PV1-2')).toBe('I');
    expect([a01.get('PV1-3.1'), a01.get('PV1-3.2'), a01.get('PV1-3.3')]).toEqual(['4E', '136', 'A']);
    expect(a01.get('PV1-19')).toBe(admitted.id);
    expect(a01.get('PV1-44')).toBe('20260110080000+0000');

    const { resource: moved } = await repo.updateResource({
      ...admitted,
      location: [
        { location: { reference: `Location/${b1.id}` }, status: 'completed' },
        { location: { reference: `Location/${b2.id}` }, status: 'active' },
      ],
    });
    const a02 = await waitFor('A02', () => peer.received[1]);
    expect(a02.get('MSH-9.2')).toBe('A02');
    expect([a02.get('PV1-3.3'), a02.get('PV1-6.3')]).toEqual(['B', 'A']);

    await repo.updateResource({
      ...moved,
      status: 'finished',
      period: { start: '2026-01-10T08:00:00Z', end: '2026-01-12T10:00:00Z' },
    });
    const a03 = await waitFor('A03', () => peer.received[2]);
    expect(a03.get('MSH-9.2')).toBe('A03');
    expect(a03.get('PV1-45')).toBe('20260112100000+0000');

    await repo.updateResource({ ...patient, name: [{ family: 'Seacole', given: ['Mary'] }] });
    const a08 = await waitFor('A08', () => peer.received[3]);
    expect(a08.get('MSH-9.2')).toBe('A08');
    expect(a08.get('PID-5.1')).toBe('Seacole');
    expect(peer.types()).toEqual(['ADT^A01', 'ADT^A02', 'ADT^A03', 'ADT^A08']);

    const stored = await waitFor('all acknowledged', async () => {
      const { messages } = await searchMessages(db, { channel: channel.name, count: 10, offset: 0 });
      return messages.length === 4 && messages.every((m) => m.status === 'acknowledged')
        ? messages
        : undefined;
    });
    expect(stored.every((m) => m.direction === 'outbound' && m.ackCode === 'AA' && m.attempts === 1)).toBe(
      true,
    );
    const byControlId = await searchMessages(db, {
      controlId: a02.controlId,
      patient: mrn,
      type: 'ADT^A02',
      direction: 'outbound',
      since: '2026-01-01',
      count: 5,
      offset: 0,
    });
    expect(byControlId.messages).toHaveLength(1);
    const full = await getMessage(db, byControlId.messages[0].id);
    expect(full?.raw).toContain('ADT^A02');
    expect(full?.ack).toContain(`MSA|AA|${a02.controlId}`);
  });

  it('sends an order as ORM^O01 and a final report with its observations as ORU^R01', async () => {
    const peer = await new Peer().start();
    const { repo } = deliverTo(peer.port, { events: ['ORM^O01', 'ORU^R01'] }, peer);
    const patient = await patientIn(repo);
    const order = await repo.createResource<Resource>({
      resourceType: 'ServiceRequest',
      status: 'active',
      intent: 'order',
      identifier: [{ system: 'urn:hospitium:hl7v2:authority:CPOE', value: `ORD${n}` }],
      code: { coding: [{ system: 'http://loinc.org', code: '2345-7', display: 'Glucose' }] },
      subject: { reference: `Patient/${patient.id}` },
    });
    const orm = await waitFor('ORM', () => peer.received[0]);
    expect(orm.get('MSH-9')).toBe('ORM');
    expect([orm.get('ORC-1'), orm.get('ORC-2'), orm.get('OBR-4.1')]).toEqual(['NW', `ORD${n}`, '2345-7']);

    // One transaction: the report (final) before its observation, as a bundle may order them.
    await repo.withTransaction(async (tx) => {
      const obsId = crypto.randomUUID();
      await tx.createResource({
        resourceType: 'DiagnosticReport',
        status: 'final',
        code: { coding: [{ system: 'http://loinc.org', code: '24323-8' }] },
        subject: { reference: `Patient/${patient.id}` },
        basedOn: [{ reference: `ServiceRequest/${order.id}` }],
        result: [{ reference: `Observation/${obsId}` }],
      });
      await tx.createResource(
        {
          resourceType: 'Observation',
          status: 'final',
          code: { coding: [{ system: 'http://loinc.org', code: '2345-7' }] },
          subject: { reference: `Patient/${patient.id}` },
          valueQuantity: { value: 182, unit: 'mg/dL', system: 'http://unitsofmeasure.org', code: 'mg/dL' },
          referenceRange: [{ low: { value: 70 }, high: { value: 99 } }],
          interpretation: [{ coding: [{ code: 'H' }] }],
        },
        { id: obsId },
      );
    });
    const oru = await waitFor('ORU', () => peer.received[1]);
    expect(oru.get('MSH-9')).toBe('ORU');
    expect(oru.get('OBR-2')).toBe(`ORD${n}`);
    expect(oru.get('OBR-25')).toBe('F');
    expect([
      oru.get('OBX-2'),
      oru.get('OBX-5'),
      oru.get('OBX-6'),
      oru.get('OBX-7'),
      oru.get('OBX-8'),
    ]).toEqual(['NM', '182', 'mg/dL', '70-99', 'H']);
  });

  it('sends what an inbound HL7 message changed: an A01 received becomes an A01 sent', async () => {
    const peer = await new Peer().start();
    const { interfaces } = deliverTo(peer.port, { events: ['ADT^A01'] }, peer);
    const receipt = await interfaces.engine.receive(
      admit({ mrn: `IN${n}`, visit: `VIN${n}`, controlId: `CIN${n}` }),
      defaultChannel(0),
    );
    expect(parseMessage(receipt.ack).get('MSA-1')).toBe('AA');
    const sent = await waitFor('the forwarded A01', () => peer.received[0]);
    expect(sent.get('PID-3.1')).toBe(`IN${n}`);
    expect(sent.get('PID-3.4.2')).toBe('2.16.840.1.113883.19.5');
    expect(sent.get('PV1-19')).toBe(`VIN${n}`);
    expect([sent.get('PV1-3.1'), sent.get('PV1-3.2'), sent.get('PV1-3.3')]).toEqual(['4E', '136', 'B']);
    expect(sent.get('PV1-7.2')).toBe('Attending');
  });
});
