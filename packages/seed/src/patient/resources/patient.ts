import type { Resource } from '@hospitium/fhir';
import type { Ref } from '../../bundle/transaction.js';
import { STATE } from '../../codes/places.js';
import { concept, EXTENSIONS, SYSTEMS } from '../../codes/systems.js';
import { organizationRef, payerRef, practitionerRef } from '../../shared/references.js';
import { HISPANIC, NOT_HISPANIC, type Person } from '../person.js';
import { ageAt, date, dateTime } from '../time.js';

const identifierType = (code: string, display: string) => ({
  coding: [{ system: SYSTEMS.v2IdentifierType, code, display }],
  text: display,
});

function ombExtension(url: string, category: { system: string; code: string; display: string }) {
  return {
    url,
    extension: [
      { url: 'ombCategory', valueCoding: { ...category } },
      { url: 'text', valueString: category.display },
    ],
  };
}

/** The Patient resource: US Core demographics, identifiers, contact details and care team. */
export function patientResource(person: Person, asOf: number): Resource {
  const age = ageAt(person.birth, person.death ?? asOf);
  const adult = age >= 18;
  const prefix = !adult
    ? undefined
    : person.sex === 'male'
      ? 'Mr.'
      : person.marital.code === 'S'
        ? 'Ms.'
        : 'Mrs.';
  const names: Record<string, unknown>[] = [
    {
      use: 'official',
      family: person.family,
      given: [...person.given],
      ...(prefix ? { prefix: [prefix] } : {}),
    },
  ];
  if (person.maidenName) names.push({ use: 'maiden', family: person.maidenName, given: [...person.given] });
  const identifiers: Record<string, unknown>[] = [
    {
      use: 'usual',
      type: identifierType('MR', 'Medical Record Number'),
      system: SYSTEMS.mrn,
      value: person.mrn,
    },
    { type: identifierType('SS', 'Social Security Number'), system: SYSTEMS.ssn, value: person.ssn },
  ];
  if (person.driversLicense) {
    identifiers.push({
      type: identifierType('DL', "Driver's license number"),
      system: 'urn:oid:2.16.840.1.113883.4.3.25',
      value: person.driversLicense,
    });
  }
  const telecom: Record<string, unknown>[] = [{ system: 'phone', value: person.phone, use: 'home' }];
  if (adult && !person.death) {
    telecom.push({
      system: 'email',
      value: `${person.given[0]!.toLowerCase()}.${person.family.toLowerCase().replace(/[^a-z]/g, '')}${person.index}@example.org`,
      use: 'home',
    });
  }
  return {
    resourceType: 'Patient',
    extension: [
      ombExtension(EXTENSIONS.race, person.race),
      ombExtension(EXTENSIONS.ethnicity, person.hispanic ? HISPANIC : NOT_HISPANIC),
      { url: EXTENSIONS.mothersMaidenName, valueString: person.mothersMaidenName },
      { url: EXTENSIONS.birthSex, valueCode: person.sex === 'female' ? 'F' : 'M' },
      { url: EXTENSIONS.birthPlace, valueAddress: { ...person.birthPlace } },
    ],
    identifier: identifiers,
    name: names,
    telecom,
    gender: person.sex,
    birthDate: date(person.birth),
    ...(person.death ? { deceasedDateTime: dateTime(person.death) } : { deceasedBoolean: false }),
    address: [
      {
        extension: [
          {
            url: EXTENSIONS.geolocation,
            extension: [
              { url: 'latitude', valueDecimal: person.latitude },
              { url: 'longitude', valueDecimal: person.longitude },
            ],
          },
        ],
        use: 'home',
        line: [person.line],
        city: person.city.name,
        state: STATE.code,
        postalCode: person.city.postalCode,
        country: 'US',
      },
    ],
    maritalStatus: concept(person.marital),
    multipleBirthBoolean: false,
    communication: [{ language: concept(person.language), preferred: true }],
    generalPractitioner: [practitionerRef(age < 18 ? person.pediatrician : person.pcp)],
    managingOrganization: organizationRef(person.clinic),
  };
}

/** The patient's insurance (or self-pay when uninsured): every claim names it. */
export function coverageResource(person: Person, patient: Ref, windowStart: number): Resource {
  const payer = person.payer;
  return {
    resourceType: 'Coverage',
    ...(payer
      ? { identifier: [{ system: SYSTEMS.memberId, value: `${payer.key.toUpperCase()}-${person.mrn}` }] }
      : {}),
    status: 'active',
    type: payer
      ? {
          coding: [
            {
              system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode',
              code: payer.kind === 'commercial' ? 'EHCPOL' : 'PUBLICPOL',
              display: payer.kind === 'commercial' ? 'extended healthcare' : 'public healthcare',
            },
          ],
          text: payer.name,
        }
      : {
          coding: [
            { system: 'http://terminology.hl7.org/CodeSystem/coverage-selfpay', code: 'pay', display: 'PAY' },
          ],
          text: 'Self-pay',
        },
    subscriber: patient,
    ...(payer ? { subscriberId: `${payer.key.toUpperCase()}-${person.mrn}` } : {}),
    beneficiary: patient,
    relationship: { coding: [{ system: SYSTEMS.subscriberRelationship, code: 'self', display: 'Self' }] },
    period: { start: date(windowStart) },
    payor: [payer ? payerRef(payer) : patient],
  };
}
