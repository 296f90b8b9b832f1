import { testDatabases } from '@hospitium/db';
import { describe, expect, it } from 'vitest';
import { getMessage, searchMessages } from '../store/message-store.js';
import { engineHarness, mrnSystem, testChannel, unique } from '../testing/engine-harness.js';
import { admit, discharge, merge, results, transfer } from '../testing/messages.js';

describe.each(testDatabases())('interface engine on $name', ({ open }) => {
  const h = engineHarness(open);
  const { send, find } = h;

  it('follows a stay: admit, transfer, results, discharge', async () => {
    const stay = { mrn: unique('MRN'), visit: unique('V'), controlId: unique('C') };
    const a01 = await send(admit(stay));
    expect(a01.reply.get('MSA-1')).toBe('AA');
    expect(a01.reply.get('MSA-2')).toBe(stay.controlId);
    const [patient] = await find('Patient', 'identifier', `${mrnSystem}|${stay.mrn}`);
    expect(patient).toMatchObject({
      gender: 'male',
      birthDate: '1980-01-15',
      name: [{ family: 'Everyman', given: ['Adam', 'A'], prefix: ['Mr.'] }],
      maritalStatus: { coding: [{ code: 'M' }] },
    });
    const [encounter] = await find('Encounter', 'identifier', `${mrnSystem}|${stay.visit}`);
    expect(encounter).toMatchObject({
      status: 'in-progress',
      class: { code: 'IMP' },
      subject: { reference: `Patient/${patient.id}` },
      period: { start: '2026-01-10T08:00:00+01:00' },
    });
    const bed = await h.repo.readResource(
      'Location',
      (encounter.location as { location: { reference: string } }[])[0].location.reference.split('/')[1],
    );
    expect(bed).toMatchObject({ name: '4E 136 B', physicalType: { coding: [{ code: 'bd' }] } });
    const [allergy] = await find('AllergyIntolerance', 'patient', `Patient/${patient.id}`);
    expect(allergy).toMatchObject({
      category: ['medication'],
      criticality: 'high',
      code: { coding: [{ code: '70618' }] },
    });
    expect((allergy.reaction as { manifestation: unknown[] }[])[0].manifestation).toHaveLength(2);
    const [spouse] = await find('RelatedPerson', 'patient', `Patient/${patient.id}`);
    expect(spouse).toMatchObject({
      relationship: [{ coding: [{ code: 'SPS' }] }],
      name: [{ family: 'Everywoman' }],
    });
    const [coverage] = await find('Coverage', 'beneficiary', `Patient/${patient.id}`);
    expect(coverage).toMatchObject({
      subscriberId: 'POL-777',
      payor: [{ display: 'Blue Cross' }],
      period: { start: '2026-01-01' },
    });

    expect((await send(transfer({ ...stay, controlId: unique('C') }))).reply.get('MSA-1')).toBe('AA');
    const [moved] = await find('Encounter', 'identifier', `${mrnSystem}|${stay.visit}`);
    const locations = moved.location as { status: string; location: { reference: string } }[];
    expect(locations.map((l) => l.status)).toEqual(['completed', 'active']);
    expect(moved.id).toBe(encounter.id);

    const oru = await send(results({ ...stay, controlId: unique('C') }));
    expect(oru.reply.get('MSA-1')).toBe('AA');
    const [report] = await find('DiagnosticReport', 'subject', `Patient/${patient.id}`);
    expect(report).toMatchObject({
      status: 'final',
      code: { coding: [{ system: 'http://loinc.org', code: '24323-8' }] },
      conclusion: 'Fasting specimen',
    });
    const observations = await find('Observation', 'subject', `Patient/${patient.id}`);
    const glucose = observations.find(
      (o) => (o.code as { coding: { code: string }[] }).coding[0].code === '2345-7',
    );
    expect(glucose).toMatchObject({
      status: 'final',
      valueQuantity: { value: 182, unit: 'mg/dL', system: 'http://unitsofmeasure.org', code: 'mg/dL' },
      referenceRange: [{ low: { value: 70 }, high: { value: 99 } }],
      interpretation: [{ coding: [{ code: 'H' }] }],
      note: [{ text: 'Repeat tomorrow & review insulin' }],
      effectiveDateTime: '2026-01-11T07:00:00+01:00',
      encounter: { reference: `Encounter/${encounter.id}` },
    });
    expect(observations.find((o) => o.valueString === 'Specimen slightly haemolysed')).toBeDefined();
    expect(report.result).toHaveLength(2);

    // A corrected result updates the same report and observation.
    expect((await send(results({ ...stay, controlId: unique('C') }, 'C', '150'))).reply.get('MSA-1')).toBe(
      'AA',
    );
    const after = await find('Observation', 'subject', `Patient/${patient.id}`);
    expect(after).toHaveLength(2);
    const corrected = after.find((o) => o.id === glucose?.id);
    expect(corrected).toMatchObject({ status: 'corrected', valueQuantity: { value: 150 } });

    expect((await send(discharge({ ...stay, controlId: unique('C') }))).reply.get('MSA-1')).toBe('AA');
    const [done] = await find('Encounter', 'identifier', `${mrnSystem}|${stay.visit}`);
    expect(done).toMatchObject({
      status: 'finished',
      period: { end: '2026-01-12T10:00:00+01:00' },
      hospitalization: { dischargeDisposition: { coding: [{ code: '01' }] } },
    });
    expect(await find('Patient', 'identifier', `${mrnSystem}|${stay.mrn}`)).toHaveLength(1);

    const logged = await searchMessages(h.db, { patient: `${mrnSystem}|${stay.mrn}`, count: 20, offset: 0 });
    expect(logged.messages.map((m) => m.messageType)).toEqual([
      'ADT^A03',
      'ORU^R01',
      'ORU^R01',
      'ADT^A02',
      'ADT^A01',
    ]);
    expect(logged.messages.every((m) => m.status === 'processed' && m.remoteAddress === '10.0.0.9')).toBe(
      true,
    );
    expect(logged.messages[4].result.some((r) => r.startsWith(`Patient/${patient.id}/`))).toBe(true);
  });

  it('applies a resent message once and answers the same ACK', async () => {
    const stay = { mrn: unique('MRN'), visit: unique('V'), controlId: unique('C') };
    const first = await send(admit(stay));
    const again = await send(admit(stay));
    const concurrent = await Promise.all([send(admit(stay)), send(admit(stay))]);
    expect(again.ack).toBe(first.ack);
    expect(again.resend).toBe(true);
    expect(concurrent.map((c) => c.ack)).toEqual([first.ack, first.ack]);
    const [patient] = await find('Patient', 'identifier', `${mrnSystem}|${stay.mrn}`);
    expect(patient.meta?.versionId).toBe('1');
    const stored = await getMessage(h.db, first.messageId as string);
    expect(stored).toMatchObject({ status: 'processed', resends: 3, attempts: 1 });
  });

  it('a repeat of the same admit under a new control id is stored and acknowledged, but writes no new version', async () => {
    const stay = { mrn: unique('MRN'), visit: unique('V'), controlId: unique('C') };
    await send(admit(stay));
    const repeat = await send(admit({ ...stay, controlId: unique('C') }));
    expect(repeat.reply.get('MSA-1')).toBe('AA');
    expect(repeat.resend).toBe(false);
    const [patient] = await find('Patient', 'identifier', `${mrnSystem}|${stay.mrn}`);
    const [encounter] = await find('Encounter', 'identifier', `${mrnSystem}|${stay.visit}`);
    expect([patient.meta?.versionId, encounter.meta?.versionId]).toEqual(['1', '1']);
    const stored = await getMessage(h.db, repeat.messageId as string);
    expect(stored?.status).toBe('processed');
    expect(stored?.result).toContain(`Encounter/${encounter.id}/_history/1`);
    expect(stored?.result).toContain(`Patient/${patient.id}/_history/1`);
  });

  it('rejects broken messages with AR naming the problem and keeps them', async () => {
    const noType = await send('MSH|^~\\&|LAB|LABFAC|HIS|HOSP|20260101||||P|2.5.1\rPID|1||X');
    expect(noType.reply.get('MSA-1')).toBe('AR');
    expect(noType.reply.get('ERR-2')).toBe('MSH');
    expect(noType.reply.get('ERR-2.3')).toBe('9');
    expect(noType.reply.get('ERR-3.1')).toBe('101');
    const badDelims = await send('MSH|&&&&|LAB|LABFAC|HIS|HOSP|20260101||ADT^A01|BD1|P|2.5.1\rPID|1');
    expect(badDelims.reply.get('MSA-1')).toBe('AR');
    expect(badDelims.reply.get('MSA-2')).toBe('BD1');
    expect(badDelims.reply.get('ERR-8')).toMatch(/distinct/);
    const unsupported = await send('MSH|^~\\&|LAB|LABFAC|HIS|HOSP|20260101||ADT^A99|U1|P|2.5.1\rPID|1||X');
    expect(unsupported.reply.get('ERR-3.1')).toBe('201');
    const unknownType = await send('MSH|^~\\&|LAB|LABFAC|HIS|HOSP|20260101||ZZZ^Z01|U2|P|2.5.1');
    expect(unknownType.reply.get('ERR-3.1')).toBe('200');
    const stored = await getMessage(h.db, badDelims.messageId as string);
    expect(stored).toMatchObject({ status: 'rejected', ackCode: 'AR', controlId: 'BD1' });
    expect(stored?.raw).toContain('MSH|&&&&|');
  });

  it('answers AE naming the segment when a required value is missing, then makes a poison message a dead letter', async () => {
    const controlId = unique('C');
    const text = [
      `MSH|^~\\&|REGADT|GHH|HIS|HOSP|20260110||ADT^A01|${controlId}|P|2.5.1`,
      'EVN|A01|20260110',
      'PID|1||',
      'PV1|1|I|4E^1^1',
    ].join('\r');
    const attempts = [];
    for (let i = 0; i < 4; i++) attempts.push(await send(text));
    expect(attempts[0].reply.get('MSA-1')).toBe('AE');
    expect(attempts[0].reply.get('ERR-2')).toBe('PID');
    expect(attempts[0].reply.get('ERR-2.3')).toBe('3');
    expect(attempts[0].reply.get('ERR-3.1')).toBe('101');
    const stored = await getMessage(h.db, attempts[0].messageId as string);
    expect(stored).toMatchObject({ status: 'dead', attempts: 3 });
    expect(attempts.map((a) => a.resend)).toEqual([false, false, false, true]);
  });

  it('merges patients on A40 keeping both records linked', async () => {
    const prior = { mrn: unique('OLD'), visit: unique('V'), controlId: unique('C') };
    await send(admit(prior));
    const survivor = { mrn: unique('NEW'), visit: unique('V'), controlId: unique('C'), family: 'Newman' };
    const a40 = await send(merge(survivor, prior.mrn));
    expect(a40.reply.get('MSA-1')).toBe('AA');
    const [old] = await find('Patient', 'identifier', `${mrnSystem}|${prior.mrn}`);
    const [kept] = await find('Patient', 'identifier', `${mrnSystem}|${survivor.mrn}`);
    expect(old).toMatchObject({
      active: false,
      link: [{ type: 'replaced-by', other: { reference: `Patient/${kept.id}` } }],
    });
    expect(kept).toMatchObject({ link: [{ type: 'replaces', other: { reference: `Patient/${old.id}` } }] });
    expect(old.meta?.versionId).toBe('2');
    // A later update of the survivor keeps the merge link.
    await send(admit({ ...survivor, controlId: unique('C') }));
    const [updated] = await find('Patient', 'identifier', `${mrnSystem}|${survivor.mrn}`);
    expect(updated.link).toEqual(kept.link);
  });

  it('replays a stored message', async () => {
    const stay = { mrn: unique('MRN'), visit: unique('V'), controlId: unique('C') };
    const first = await send(admit(stay));
    const replayed = await h.engine.replay(first.messageId as string, testChannel);
    expect(replayed).toMatchObject({ status: 'processed', attempts: 2, ackCode: 'AA' });
  });

  it('answers a batch in one frame with a batch of ACKs, each message applied on its own', async () => {
    const a = { mrn: unique('MRN'), visit: unique('V'), controlId: unique('C') };
    const b2 = { mrn: unique('MRN'), visit: unique('V'), controlId: unique('C') };
    const text = [
      'BHS|^~\\&|REGADT|GHH|HIS|HOSP|20260110||||BATCH-1',
      admit(a),
      'MSH|^~\\&|X|Y|Z|W|2026||||P|2.5.1',
      admit(b2),
      'BTS|3',
    ].join('\r');
    const receipt = await h.engine.receive(text, testChannel);
    const lines = receipt.ack.split('\r').filter(Boolean);
    expect(lines[0]).toMatch(/^BHS\|\^~\\&\|HIS\|HOSP\|REGADT\|GHH\|\d+\+0000\|{5}BATCH-1$/);
    expect(lines.filter((l) => l.startsWith('MSA')).map((l) => l.split('|')[1])).toEqual(['AA', 'AR', 'AA']);
    expect(lines.at(-1)).toBe('BTS|3');
    expect(await find('Patient', 'identifier', `${mrnSystem}|${b2.mrn}`)).toHaveLength(1);
  });
});
