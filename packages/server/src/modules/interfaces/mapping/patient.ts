import type { Resource } from '@hospitium/fhir';
import { type Hl7Segment, parseDate, parseDateTime } from '@hospitium/hl7v2';
import type { BundleBuilder, IdentifierKey } from './bundle-builder.js';
import { administrativeSex, maritalStatus } from './codes/v2-tables.js';
import {
  address,
  authoritySystem,
  codeableConcept,
  composite,
  composites,
  contactPoint,
  humanName,
  identifier,
} from './datatypes.js';

/** A patient as the rest of the message refers to it. */
export interface MappedPatient {
  fullUrl: string;
  key: IdentifierKey;
  segment: Hl7Segment;
}

/** The system used for identifiers whose CX-4 names no authority: the sending facility (MSH-4). */
export function defaultSystem(b: BundleBuilder): string {
  const msh = b.message.header;
  return (
    authoritySystem(msh.value(4, 1, 1), msh.value(4, 1, 2), msh.value(4, 1, 3)) ??
    authoritySystem(msh.value(3, 1, 1), msh.value(3, 1, 2), msh.value(3, 1, 3)) ??
    'urn:hospitium:hl7v2:authority:unknown'
  );
}

/**
 * PID → Patient, matched by its first PID-3 identifier with an assigning authority (CX-4; the
 * sending facility when absent) through a conditional update, so a known patient is updated and
 * a new one created. Every PID-3 repetition, PID-2/PID-4 (older versions) and PID-19 (SSN) become
 * identifiers; names, birth date, sex, addresses, phones, marital status, language, death.
 */
export function mapPatient(b: BundleBuilder, pid: Hl7Segment): MappedPatient {
  const fallback = defaultSystem(b);
  const ids = [...composites(pid, 3), ...composites(pid, 2), ...composites(pid, 4)]
    .map((cx) => identifier(cx, fallback))
    .filter((i): i is Record<string, unknown> => i !== undefined);
  if (ids.length === 0) b.required(b.at(pid, 3), 'patient identifier list');
  const ssn = pid.value(19);
  if (ssn) ids.push({ system: 'http://hl7.org/fhir/sid/us-ssn', value: ssn });
  const key = { system: ids[0].system as string, value: ids[0].value as string };
  for (const id of ids) b.patientIds.add(`${id.system}|${id.value}`);

  const names = composites(pid, 5)
    .map(humanName)
    .filter((n) => n !== undefined);
  const patient: Resource = { resourceType: 'Patient', identifier: ids, active: true };
  if (names.length) patient.name = names;
  const telecom = [
    ...composites(pid, 13).map(contactPoint),
    ...composites(pid, 14).map((x) => {
      const c = contactPoint(x);
      return c && !c.use ? { ...c, use: 'work' } : c;
    }),
  ].filter((t) => t !== undefined);
  if (telecom.length) patient.telecom = telecom;
  const sex = pid.value(8);
  if (sex) {
    const gender = administrativeSex[sex];
    if (gender) patient.gender = gender;
    else b.warn(b.at(pid, 8), `administrative sex '${sex}' is not in table 0001`);
  }
  const birth = pid.value(7);
  if (birth) {
    const date = parseDate(birth);
    if (date) patient.birthDate = date;
    else b.warn(b.at(pid, 7), `'${birth}' is not a date`);
  }
  const addresses = composites(pid, 11)
    .map(address)
    .filter((a) => a !== undefined);
  if (addresses.length) patient.address = addresses;
  const marital = maritalStatus[pid.value(16) ?? ''];
  if (marital)
    patient.maritalStatus = { coding: [marital], text: pid.component(16, 1, 2) ?? marital.display };
  const language = composite(pid, 15);
  const languageConcept = language && codeableConcept(language);
  if (languageConcept) patient.communication = [{ language: languageConcept }];
  const deathIndicator = pid.value(30);
  const deathTime = parseDateTime(pid.value(29), b.settings.timezoneOffset);
  if (deathTime) patient.deceasedDateTime = deathTime;
  else if (deathIndicator === 'Y' || deathIndicator === 'N') patient.deceasedBoolean = deathIndicator === 'Y';
  const multiple = pid.value(24);
  const order = Number(pid.value(25));
  if (Number.isInteger(order) && order > 0) patient.multipleBirthInteger = order;
  else if (multiple === 'Y' || multiple === 'N') patient.multipleBirthBoolean = multiple === 'Y';

  const fullUrl = b.upsert(patient, key, b.at(pid), ['link']);
  return { fullUrl, key, segment: pid };
}
