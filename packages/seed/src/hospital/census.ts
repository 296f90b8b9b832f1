import type { Bundle, Resource } from '@hospitium/fhir';
import { conditionalReference, type Ref, TransactionBuilder } from '../bundle/transaction.js';
import { SYSTEMS } from '../codes/systems.js';
import { DEFAULT_SEED, populationDirectory } from '../population.js';
import { Random } from '../random/random.js';
import { locationIdentifier, organizationRef } from '../shared/references.js';
import { type Bed, bedResource, type DemoHospital } from './demo-hospital.js';
import { BED_STATUS, UNITS, type UnitLayout } from './layout.js';

/** What the census needs to know of a patient of the population. */
export interface CensusPatient {
  mrn: string;
  display: string;
  gender: string;
  birthDate: string;
  deceased: boolean;
}

/** The facts of a patient the census needs, read from the Patient resource of a patient bundle. */
export function censusPatient(patient: Resource): CensusPatient | undefined {
  const p = patient as {
    identifier?: { system?: string; value?: string }[];
    name?: { given?: string[]; family?: string }[];
    gender?: string;
    birthDate?: string;
    deceasedDateTime?: string;
    deceasedBoolean?: boolean;
  };
  const mrn = p.identifier?.find((i) => i.system === SYSTEMS.mrn)?.value;
  if (!mrn || !p.birthDate || !p.gender) return undefined;
  const name = p.name?.[0];
  return {
    mrn,
    display: [...(name?.given ?? []), name?.family ?? ''].join(' ').trim(),
    gender: p.gender,
    birthDate: p.birthDate,
    deceased: p.deceasedDateTime !== undefined || p.deceasedBoolean === true,
  };
}

export interface CensusSummary {
  admitted: number;
  inEmergency: number;
  dirtyBeds: number;
  closedBeds: number;
  appointments: number;
}

const HOUR = 3_600_000;

function age(birthDate: string, now: Date): number {
  const born = new Date(`${birthDate}T00:00:00Z`);
  let years = now.getUTCFullYear() - born.getUTCFullYear();
  const m = now.getUTCMonth() - born.getUTCMonth();
  if (m < 0 || (m === 0 && now.getUTCDate() < born.getUTCDate())) years--;
  return years;
}

/** Who may lie in a bed of this unit. */
function fits(unit: UnitLayout, patient: CensusPatient, now: Date): boolean {
  const years = age(patient.birthDate, now);
  switch (unit.kind) {
    case 'pediatric':
      return years < 18;
    case 'maternity':
      return patient.gender === 'female' && years >= 18 && years <= 44;
    default:
      return years >= 18;
  }
}

const iso = (ms: number) => new Date(Math.floor(ms / 60_000) * 60_000).toISOString();

/** Why people are in each kind of unit (SNOMED reason, for the chart and the board). */
const REASONS: Record<UnitLayout['kind'], [string, string][]> = {
  inpatient: [
    ['233604007', 'Pneumonia'],
    ['195967001', 'Asthma'],
    ['84114007', 'Heart failure'],
    ['128053003', 'Deep venous thrombosis'],
    ['68566005', 'Urinary tract infectious disease'],
    ['22298006', 'Myocardial infarction'],
    ['49436004', 'Atrial fibrillation'],
    ['91302008', 'Sepsis'],
    ['13645005', 'Chronic obstructive lung disease'],
    ['125605004', 'Fracture of bone'],
  ],
  maternity: [['289908002', 'Pregnancy']],
  pediatric: [
    ['4740000', 'Herpes zoster'],
    ['195967001', 'Asthma'],
    ['233604007', 'Pneumonia'],
    ['25374005', 'Gastroenteritis'],
  ],
  emergency: [
    ['29857009', 'Chest pain'],
    ['21522001', 'Abdominal pain'],
    ['267036007', 'Dyspnea'],
    ['125605004', 'Fracture of bone'],
    ['25064002', 'Headache'],
    ['271807003', 'Eruption of skin'],
  ],
  recovery: [['387713003', 'Surgical procedure']],
  surgery: [['387713003', 'Surgical procedure']],
};

/** Elective visits booked for the coming week. */
const ELECTIVE = [
  ['609588000', 'Total knee replacement', 'surgery'],
  ['52734007', 'Total hip replacement', 'surgery'],
  ['80146002', 'Appendectomy', 'surgery'],
  ['38102005', 'Cholecystectomy', 'surgery'],
  ['11466000', 'Cesarean section', 'maternity'],
  ['40701008', 'Echocardiography', 'telemetry'],
] as const;

/**
 * The demo hospital's day: about the configured share of each unit's beds occupied by patients of
 * the population (children on pediatrics, women 18–44 on maternity, adults elsewhere; never the
 * deceased; one patient per bed and one bed per patient), each with an in-progress Encounter on
 * its bed, an attending physician of the unit and a care team (attending and a nurse of the
 * unit); some free beds dirty or closed; elective admissions booked for the coming week. A
 * transaction Bundle of POSTed Encounters, CareTeams and Appointments and PUT beds, referring to
 * patients by MRN and to places and staff by identifier. Deterministic for a seed and `now`.
 */
export function demoCensus(options: {
  hospital: DemoHospital;
  patients: readonly CensusPatient[];
  now: Date;
  seed?: string | number;
}): { bundle: Bundle; summary: CensusSummary } {
  const { hospital, now } = options;
  const seed = String(options.seed ?? DEFAULT_SEED);
  const random = new Random(`${seed}/demo-census`);
  const directory = populationDirectory(seed);
  const builder = new TransactionBuilder(random);
  const org = organizationRef(directory.hospital);
  const available = options.patients.filter((p) => !p.deceased);
  const taken = new Set<string>();
  const summary: CensusSummary = {
    admitted: 0,
    inEmergency: 0,
    dirtyBeds: 0,
    closedBeds: 0,
    appointments: 0,
  };
  const staffOf = (unit: string, job: string) =>
    hospital.staff.filter((s) => s.unit === unit && s.job === job);
  const hospitalists = hospital.staff.filter((s) => s.job === 'physician' && s.unit === 'medSurg');

  for (const bed of hospital.beds) {
    const unit = bed.unit;
    const roomRef = locationRef(bed.identifier.slice(0, -2), bed.room);
    let status: { code: string; display: string } = BED_STATUS.clean;
    const candidates = available.filter((p) => !taken.has(p.mrn) && fits(unit, p, now));
    if (random.chance(unit.occupancy) && candidates.length > 0) {
      const patient = random.pick(candidates);
      taken.add(patient.mrn);
      status = BED_STATUS.occupied;
      admit(bed, patient);
      if (unit.kind === 'emergency') summary.inEmergency++;
      else summary.admitted++;
    } else if (random.chance(0.12)) {
      status = BED_STATUS.dirty;
      summary.dirtyBeds++;
    } else if (random.chance(0.02)) {
      status = BED_STATUS.closed;
      summary.closedBeds++;
    }
    if (status !== BED_STATUS.clean) {
      builder.putByIdentifier(
        bedResource(bed, roomRef, org, status),
        SYSTEMS.locationId,
        bed.identifier,
        bed.name,
      );
    }
  }

  function admit(bed: Bed, patient: CensusPatient): void {
    const unit = bed.unit;
    const emergency = unit.kind === 'emergency';
    const start =
      now.getTime() - (emergency ? random.between(0.3, 8) * HOUR : random.between(6, 6 * 24) * HOUR);
    const patientRef = conditionalReference('Patient', SYSTEMS.mrn, patient.mrn, patient.display);
    const attendings = staffOf(unit.key, 'physician');
    const attending = random.pick(attendings.length > 0 ? attendings : hospitalists);
    const nurses = staffOf(unit.key, 'nurse');
    const nurse = nurses.length > 0 ? random.pick(nurses) : undefined;
    const [code, display] = random.pick(REASONS[unit.kind]);
    const attendingRef = conditionalReference('Practitioner', SYSTEMS.npi, attending.npi, attending.display);
    const encounter = builder.post(
      {
        resourceType: 'Encounter',
        status: 'in-progress',
        class: emergency
          ? { system: SYSTEMS.actCode, code: 'EMER', display: 'emergency' }
          : { system: SYSTEMS.actCode, code: 'IMP', display: 'inpatient encounter' },
        type: [
          {
            coding: [
              {
                system: SYSTEMS.snomed,
                code: emergency ? '50849002' : '32485007',
                display: emergency ? 'Emergency room admission' : 'Hospital admission',
              },
            ],
          },
        ],
        subject: patientRef,
        participant: [
          {
            type: [
              { coding: [{ system: SYSTEMS.encounterParticipantType, code: 'ATND', display: 'attender' }] },
            ],
            individual: attendingRef,
            period: { start: iso(start) },
          },
        ],
        period: { start: iso(start) },
        reasonCode: [{ coding: [{ system: SYSTEMS.snomed, code, display }], text: display }],
        hospitalization: {
          admitSource: {
            coding: [
              emergency || random.chance(0.6)
                ? { system: SYSTEMS.admitSource, code: 'emd', display: 'From accident/emergency department' }
                : { system: SYSTEMS.admitSource, code: 'gp', display: 'General Practitioner referral' },
            ],
          },
        },
        location: [
          {
            location: locationRef(bed.identifier, bed.name),
            status: 'active',
            physicalType: { coding: [{ system: SYSTEMS.locationPhysicalType, code: 'bd', display: 'Bed' }] },
            period: { start: iso(start) },
          },
          {
            location: locationRef(locationIdentifier(directory.hospital, unit.key), unit.name),
            status: 'active',
            physicalType: { coding: [{ system: SYSTEMS.locationPhysicalType, code: 'wa', display: 'Ward' }] },
            period: { start: iso(start) },
          },
        ],
        serviceProvider: org,
      },
      `${display} (${bed.name})`,
    );
    builder.post({
      resourceType: 'CareTeam',
      status: 'active',
      name: `${unit.name} care team`,
      subject: patientRef,
      encounter,
      period: { start: iso(start) },
      participant: [
        {
          role: [{ coding: [{ system: SYSTEMS.snomed, code: '405279007', display: 'Attending physician' }] }],
          member: attendingRef,
        },
        ...(nurse
          ? [
              {
                role: [
                  { coding: [{ system: SYSTEMS.snomed, code: '224535009', display: 'Registered nurse' }] },
                ],
                member: conditionalReference('Practitioner', SYSTEMS.npi, nurse.npi, nurse.display),
              },
            ]
          : []),
      ],
      managingOrganization: [org],
    });
  }

  // Elective visits in the coming week, for patients not in the house.
  const outpatients = available.filter((p) => !taken.has(p.mrn) && age(p.birthDate, now) >= 18);
  for (let i = 0; i < 12 && outpatients.length > 0; i++) {
    const [code, display, unitKey] = random.pick(ELECTIVE);
    const candidates =
      unitKey === 'maternity'
        ? outpatients.filter((p) => p.gender === 'female' && age(p.birthDate, now) <= 44)
        : outpatients;
    if (candidates.length === 0) continue;
    const patient = random.pick(candidates);
    outpatients.splice(outpatients.indexOf(patient), 1);
    const day = new Date(now.getTime() + random.int(1, 7) * 24 * HOUR);
    day.setUTCHours(random.int(7, 14), random.pick([0, 30]), 0, 0);
    const surgeons = hospital.staff.filter((s) => s.job === 'physician' && s.unit === unitKey);
    const doctor = random.pick(
      surgeons.length > 0 ? surgeons : hospital.staff.filter((s) => s.job === 'physician'),
    );
    const unit = UNITS.find((u) => u.key === unitKey);
    builder.post({
      resourceType: 'Appointment',
      status: 'booked',
      serviceType: [{ coding: [{ system: SYSTEMS.snomed, code, display }], text: display }],
      description: `Elective admission: ${display}`,
      start: day.toISOString(),
      end: new Date(day.getTime() + 2 * HOUR).toISOString(),
      minutesDuration: 120,
      created: iso(now.getTime() - random.int(3, 30) * 24 * HOUR),
      participant: [
        {
          actor: conditionalReference('Patient', SYSTEMS.mrn, patient.mrn, patient.display),
          status: 'accepted',
          required: 'required',
        },
        {
          actor: conditionalReference('Practitioner', SYSTEMS.npi, doctor.npi, doctor.display),
          status: 'accepted',
          required: 'required',
        },
        {
          actor: locationRef(locationIdentifier(directory.hospital, unitKey), unit?.name ?? unitKey),
          status: 'accepted',
          required: 'required',
        },
      ],
    });
    summary.appointments++;
  }
  return { bundle: builder.build(), summary };
}

function locationRef(identifier: string, display: string): Ref {
  return conditionalReference('Location', SYSTEMS.locationId, identifier, display);
}
