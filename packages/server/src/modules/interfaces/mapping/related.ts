import type { Resource } from '@hospitium/fhir';
import { type Hl7Segment, parseDate, parseDateTime } from '@hospitium/hl7v2';
import type { BundleBuilder } from './bundle-builder.js';
import { allergenCategory, allergyCriticality, reactionSeverity, relationship } from './codes/v2-tables.js';
import { address, codeableConcept, composite, composites, contactPoint, humanName } from './datatypes.js';
import type { MappedPatient } from './patient.js';

const keyOf = (p: MappedPatient, ...parts: (string | undefined)[]) =>
  [p.key.system, p.key.value, ...parts.map((x) => x ?? '')].join('|');

/** NK1 → RelatedPerson (name, relationship from table 0063, address, phones), matched per patient by name and relationship. */
export function mapRelatedPerson(b: BundleBuilder, nk1: Hl7Segment, patient: MappedPatient): void {
  const name = composite(nk1, 2);
  const mappedName = name && humanName(name);
  const rel = composite(nk1, 3);
  if (!mappedName && !rel) return;
  const relCode = rel?.c(1);
  const coding = relationship[relCode ?? ''];
  const system = 'urn:hospitium:hl7v2:related-person';
  const value = keyOf(patient, name?.s(1, 1), name?.c(2), relCode);
  const person: Resource = {
    resourceType: 'RelatedPerson',
    identifier: [{ system, value }],
    active: true,
    patient: { reference: patient.fullUrl },
  };
  if (rel)
    person.relationship = [
      coding
        ? { coding: [coding], text: rel.c(2) ?? coding.display }
        : (codeableConcept(rel) ?? { text: relCode }),
    ];
  if (mappedName) person.name = [mappedName];
  const telecom = [...composites(nk1, 5), ...composites(nk1, 6)]
    .map(contactPoint)
    .filter((t) => t !== undefined);
  if (telecom.length) person.telecom = telecom;
  const addresses = composites(nk1, 4)
    .map(address)
    .filter((a) => a !== undefined);
  if (addresses.length) person.address = addresses;
  const start = parseDate(nk1.value(8));
  const end = parseDate(nk1.value(9));
  if (start || end) person.period = { ...(start ? { start } : {}), ...(end ? { end } : {}) };
  b.upsert(person, { system, value }, b.at(nk1));
}

/** AL1 → AllergyIntolerance (allergen, category from 0127, criticality and reaction severity from 0128, reaction, onset). */
export function mapAllergy(b: BundleBuilder, al1: Hl7Segment, patient: MappedPatient): void {
  const allergen = composite(al1, 3);
  const code = allergen && codeableConcept(allergen);
  if (!allergen || !code) {
    b.warn(b.at(al1, 3), 'allergen code/mnemonic/description is empty; allergy skipped');
    return;
  }
  const system = 'urn:hospitium:hl7v2:allergy';
  const value = keyOf(patient, allergen.c(3), allergen.c(1) ?? allergen.c(2));
  const type = al1.value(2);
  const severity = al1.value(4);
  const allergy: Resource = {
    resourceType: 'AllergyIntolerance',
    identifier: [{ system, value }],
    clinicalStatus: {
      coding: [
        { system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical', code: 'active' },
      ],
    },
    verificationStatus: {
      coding: [
        {
          system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-verification',
          code: 'confirmed',
        },
      ],
    },
    code,
    patient: { reference: patient.fullUrl },
  };
  const category = allergenCategory[type ?? ''];
  if (category) allergy.category = [category];
  const criticality = allergyCriticality[severity ?? ''];
  if (criticality) allergy.criticality = criticality;
  const manifestations = al1
    .rawField(5)
    ?.map((_, r) => al1.component(5, r + 1, 1))
    .filter((t): t is string => !!t);
  if (manifestations?.length) {
    allergy.reaction = [
      {
        manifestation: manifestations.map((text) => ({ text })),
        ...(reactionSeverity[severity ?? ''] ? { severity: reactionSeverity[severity ?? ''] } : {}),
      },
    ];
  }
  const onset = parseDateTime(al1.value(6), b.settings.timezoneOffset);
  if (onset) allergy.onsetDateTime = onset;
  b.upsert(allergy, { system, value }, b.at(al1));
}

/** IN1 → Coverage (payor, plan, policy/subscriber id, period, type, relationship), matched per patient and plan. */
export function mapCoverage(b: BundleBuilder, in1: Hl7Segment, patient: MappedPatient): void {
  const plan = composite(in1, 2);
  const company = composite(in1, 3);
  const companyName = in1.component(4, 1, 1);
  const policy = in1.value(36);
  if (!plan && !company && !companyName && !policy) {
    b.warn(b.at(in1), 'no plan, company or policy number; coverage skipped');
    return;
  }
  const system = 'urn:hospitium:hl7v2:coverage';
  const value = keyOf(patient, company?.c(1) ?? companyName, plan?.c(1), policy);
  const start = parseDate(in1.value(12));
  const end = parseDate(in1.value(13));
  const rel = in1.value(17);
  const subscriberRelationship: Record<string, string> = {
    SEL: 'self',
    SPO: 'spouse',
    CHD: 'child',
    EME: 'other',
  };
  const coverage: Resource = {
    resourceType: 'Coverage',
    identifier: [{ system, value }, ...(policy ? [{ value: policy }] : [])],
    status: 'active',
    beneficiary: { reference: patient.fullUrl },
    payor: [
      {
        ...(company?.c(1) ? { identifier: { value: company.c(1) } } : {}),
        display: companyName ?? company?.c(1) ?? plan?.c(2) ?? plan?.c(1) ?? 'Unknown payer',
      },
    ],
  };
  if (policy) coverage.subscriberId = policy;
  if (plan)
    coverage.class = [
      {
        type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/coverage-class', code: 'plan' }] },
        value: plan.c(1) ?? plan.c(2),
        ...(plan.c(2) ? { name: plan.c(2) } : {}),
      },
    ];
  const planType = composite(in1, 15);
  const planConcept = planType && codeableConcept(planType);
  if (planConcept) coverage.type = planConcept;
  if (rel) {
    coverage.relationship = {
      coding: [
        {
          system: 'http://terminology.hl7.org/CodeSystem/subscriber-relationship',
          code: subscriberRelationship[rel] ?? 'other',
        },
      ],
    };
  }
  if (start || end) coverage.period = { ...(start ? { start } : {}), ...(end ? { end } : {}) };
  const order = Number(in1.value(1));
  if (Number.isInteger(order) && order > 0) coverage.order = order;
  b.upsert(coverage, { system, value }, b.at(in1));
}
