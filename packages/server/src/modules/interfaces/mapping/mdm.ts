import type { Resource } from '@hospitium/fhir';
import { type Hl7Segment, parseDateTime } from '@hospitium/hl7v2';
import type { BundleBuilder } from './bundle-builder.js';
import { documentAvailability, documentCompletion, documentConfidentiality } from './codes/documents.js';
import { authoritySystem, composite, composites } from './datatypes.js';
import { patientGroups } from './groups.js';
import { defaultSystem } from './patient.js';
import { practitionerReference } from './practitioner.js';
import { patientAndVisit } from './visit.js';

/** MDM events applied: notifications (T01 T03 T05 T07) and the same with content (T02 T04 T06 T08). */
export const mdmEvents = ['T01', 'T02', 'T03', 'T04', 'T05', 'T06', 'T07', 'T08'] as const;

const textTypes = new Set(['TX', 'FT', 'ST']);

/**
 * MDM → DocumentReference, matched by the unique document number (TXA-12, also its
 * masterIdentifier), so a status change or an edit updates the document an earlier message
 * created. Type TXA-2 (table 0270), docStatus TXA-17 (table 0271), status TXA-19 (table 0273),
 * security label TXA-18, date TXA-6 (else TXA-4), authors TXA-9 (else TXA-5), authenticator
 * TXA-10/TXA-22, subject the patient and context the visit (PV1-19, found or created). Content:
 * the text OBX lines (TX/FT/ST) as one text/plain attachment, each ED value as an attachment of
 * its own type. A notification without content keeps the stored content.
 */
export function mapMdm(b: BundleBuilder, event: string): void {
  const [group] = patientGroups(b.message);
  if (!group) b.required({ segment: 'PID', sequence: 1 }, 'patient identification segment');
  const txa = b.message.segment('TXA');
  if (!txa) b.required({ segment: 'TXA', sequence: 1 }, 'transcription document header');
  const { patient, encounter } = patientAndVisit(b, group, event);
  const number = composite(txa, 12);
  if (!number?.c(1)) b.required(b.at(txa, 12), 'unique document number');
  const key = {
    system: authoritySystem(number.c(2), number.c(3), number.c(4)) ?? `${defaultSystem(b)}:document`,
    value: number.c(1) as string,
  };
  const tz = b.settings.timezoneOffset;
  const typeCode = txa.value(2);
  const document: Resource = {
    resourceType: 'DocumentReference',
    masterIdentifier: { system: key.system, value: key.value },
    identifier: [{ system: key.system, value: key.value }],
    status: documentAvailability[txa.value(19) ?? ''] ?? 'current',
    subject: { reference: patient.fullUrl },
  };
  const docStatus = documentCompletion[txa.value(17) ?? ''];
  if (docStatus) document.docStatus = docStatus;
  else if (txa.value(17)) b.warn(b.at(txa, 17), `completion status '${txa.value(17)}' is not in table 0271`);
  if (typeCode)
    document.type = {
      coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0270', code: typeCode }],
      ...(txa.component(2, 1, 2) ? { text: txa.component(2, 1, 2) } : {}),
    };
  const date = parseDateTime(txa.value(6), tz) ?? parseDateTime(txa.value(4), tz);
  if (date?.includes('T')) document.date = date;
  const authors = [...composites(txa, 9), ...(composites(txa, 9).length ? [] : composites(txa, 5))]
    .map(practitionerReference)
    .filter((r) => r !== undefined);
  if (authors.length) document.author = authors;
  const authenticator = practitionerReference(composite(txa, 22) ?? composite(txa, 10));
  if (authenticator) document.authenticator = authenticator;
  const confidentiality = documentConfidentiality[txa.value(18) ?? ''];
  if (confidentiality)
    document.securityLabel = [
      {
        coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality', ...confidentiality }],
      },
    ];
  const activity = parseDateTime(txa.value(4), tz);
  if (encounter || activity)
    document.context = {
      ...(encounter ? { encounter: [{ reference: encounter }] } : {}),
      ...(activity ? { period: { start: activity } } : {}),
    };
  const content = documentContent(b, b.message.segmentsNamed('OBX'), txa.value(16));
  if (content.length) document.content = content;
  const url = b.upsert(document, key, b.at(txa), ['content']);
  // A notification (no OBX content) of a document not seen before still needs content: its title.
  b.fallbacks.set(b.indexOf(url), {
    content: [{ attachment: { title: txa.value(16) ?? typeCode ?? `Document ${key.value}` } }],
  });
}

/** The text OBX lines as one text/plain attachment, then each ED value as its own attachment. */
function documentContent(b: BundleBuilder, obxs: Hl7Segment[], title?: string): Record<string, unknown>[] {
  const lines: string[] = [];
  const attachments: Record<string, unknown>[] = [];
  for (const obx of obxs) {
    const type = obx.value(2) ?? 'TX';
    if (textTypes.has(type)) {
      for (let r = 1; r <= obx.repetitions(5); r++) lines.push(obx.component(5, r, 1) ?? '');
    } else if (type === 'ED') {
      const data = obx.value(5, 1, 5);
      if (!data) {
        b.warn(b.at(obx, 5), 'encapsulated data is empty; not attached');
        continue;
      }
      const base64 = obx.value(5, 1, 4)?.toLowerCase() === 'base64';
      if (base64 && !/^[A-Za-z0-9+/=\s]+$/.test(data)) {
        b.warn(b.at(obx, 5), 'encapsulated data is not Base64 as ED-4 says; not attached');
        continue;
      }
      attachments.push({
        attachment: {
          contentType: `${(obx.value(5, 1, 2) ?? 'application').toLowerCase()}/${(obx.value(5, 1, 3) ?? 'octet-stream').toLowerCase()}`,
          data: base64 ? data.replace(/\s/g, '') : Buffer.from(data).toString('base64'),
          ...(title ? { title } : {}),
        },
      });
    }
  }
  const text = lines.join('\n');
  return [
    ...(text
      ? [
          {
            attachment: {
              contentType: 'text/plain; charset=utf-8',
              data: Buffer.from(text).toString('base64'),
              ...(title ? { title } : {}),
            },
          },
        ]
      : []),
    ...attachments,
  ];
}
