import type { Ref } from '../../bundle/transaction.js';
import type { Medication } from '../../codes/medications.js';
import { PLACE_OF_SERVICE } from '../../codes/procedures.js';
import { concept, SYSTEMS } from '../../codes/systems.js';
import { organizationRef, payerRef, practitionerRef } from '../../shared/references.js';
import { dateTime } from '../time.js';
import type { EncounterContext, PatientContext } from './context.js';

const money = (value: number) => ({ value: Math.round(value * 100) / 100, currency: 'USD' });

function claimType(code: 'professional' | 'institutional' | 'pharmacy') {
  return { coding: [{ system: SYSTEMS.claimType, code }] };
}

const PRIORITY = { coding: [{ system: SYSTEMS.processPriority, code: 'normal' }] };

/** Share of the charge the payer covers. */
function coveredShare(ctx: PatientContext): number {
  const payer = ctx.person.payer;
  if (!payer) return 0;
  return payer.kind === 'commercial' ? 0.8 : payer.kind === 'elderly' ? 0.8 : 1;
}

/**
 * The Claim for an encounter (professional for office visits, institutional for the emergency
 * department and admissions) and its ExplanationOfBenefit: one line per charge, diagnoses
 * pointing at the encounter's conditions, and what the payer paid and the patient owes.
 */
export function writeEncounterClaim(ctx: PatientContext, enc: EncounterContext): void {
  const type = claimType(enc.setting === 'ambulatory' ? 'professional' : 'institutional');
  const billablePeriod = { start: dateTime(enc.start), end: dateTime(enc.end) };
  const provider = organizationRef(enc.facility);
  const insurance = [{ sequence: 1, focal: true, coverage: ctx.coverage }];
  const diagnosis = enc.diagnoses.map((condition, i) => ({ sequence: i + 1, diagnosisReference: condition }));
  const total = enc.charges.reduce((sum, c) => sum + c.cost, 0);
  const items = enc.charges.map((charge, i) => ({
    sequence: i + 1,
    ...(diagnosis.length > 0 ? { diagnosisSequence: [1] } : {}),
    productOrService: concept(charge.code),
    servicedPeriod: billablePeriod,
    locationCodeableConcept: { coding: [{ ...PLACE_OF_SERVICE[enc.setting] }] },
    encounter: [enc.ref],
    net: money(charge.cost),
  }));
  const claim = ctx.builder.post({
    resourceType: 'Claim',
    status: 'active',
    type,
    use: 'claim',
    patient: ctx.patient,
    billablePeriod,
    created: dateTime(enc.end),
    provider,
    priority: PRIORITY,
    ...(diagnosis.length > 0 ? { diagnosis } : {}),
    insurance,
    item: items,
    total: money(total),
  });

  const share = coveredShare(ctx);
  const adjudication = (cost: number) => [
    { category: { coding: [{ system: SYSTEMS.adjudication, code: 'submitted' }] }, amount: money(cost) },
    { category: { coding: [{ system: SYSTEMS.adjudication, code: 'eligible' }] }, amount: money(cost) },
    {
      category: { coding: [{ system: SYSTEMS.adjudication, code: 'benefit' }] },
      amount: money(cost * share),
    },
    {
      category: { coding: [{ system: SYSTEMS.adjudication, code: 'copay' }] },
      amount: money(cost * (1 - share)),
    },
  ];
  ctx.builder.post({
    resourceType: 'ExplanationOfBenefit',
    status: 'active',
    type,
    use: 'claim',
    patient: ctx.patient,
    billablePeriod,
    created: dateTime(enc.end),
    insurer: ctx.person.payer ? payerRef(ctx.person.payer) : { display: 'Self-pay' },
    provider: practitionerRef(enc.practitioner),
    claim,
    outcome: 'complete',
    careTeam: [
      {
        sequence: 1,
        provider: practitionerRef(enc.practitioner),
        role: {
          coding: [
            {
              system: 'http://terminology.hl7.org/CodeSystem/claimcareteamrole',
              code: 'primary',
              display: 'Primary provider',
            },
          ],
        },
      },
    ],
    ...(diagnosis.length > 0 ? { diagnosis } : {}),
    insurance: [{ focal: true, coverage: ctx.coverage }],
    item: items.map(({ net, ...item }) => ({ ...item, net, adjudication: adjudication(net.value) })),
    total: [
      { category: { coding: [{ system: SYSTEMS.adjudication, code: 'submitted' }] }, amount: money(total) },
      {
        category: { coding: [{ system: SYSTEMS.adjudication, code: 'benefit' }] },
        amount: money(total * share),
      },
    ],
    payment: { amount: money(total * share) },
  });
}

/** The pharmacy Claim for a prescription's first fill (no EOB: pharmacy benefits settle at the counter). */
export function writePharmacyClaim(
  ctx: PatientContext,
  enc: EncounterContext,
  medication: Medication,
  prescription: Ref,
  at: number,
): void {
  ctx.builder.post({
    resourceType: 'Claim',
    status: 'active',
    type: claimType('pharmacy'),
    use: 'claim',
    patient: ctx.patient,
    billablePeriod: { start: dateTime(at), end: dateTime(at) },
    created: dateTime(at),
    provider: organizationRef(enc.facility),
    priority: PRIORITY,
    prescription,
    insurance: [{ sequence: 1, focal: true, coverage: ctx.coverage }],
    item: [
      {
        sequence: 1,
        productOrService: concept(medication.code),
        encounter: [enc.ref],
        net: money(medication.cost),
      },
    ],
    total: money(medication.cost),
  });
}
