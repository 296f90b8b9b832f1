import type { Bundle, Resource } from '@hospitium/fhir';
import { conditionalReference, type Ref, TransactionBuilder } from '../bundle/transaction.js';
import { FAMILY_NAMES, FEMALE_GIVEN_NAMES, MALE_GIVEN_NAMES } from '../codes/names.js';
import type { SpecialtyKey } from '../codes/organizations.js';
import { SYSTEMS } from '../codes/systems.js';
import { DEFAULT_SEED, populationDirectory } from '../population.js';
import { Random, WeightedTable } from '../random/random.js';
import type { Directory, StaffMember } from '../shared/directory.js';
import { locationIdentifier, organizationRef } from '../shared/references.js';
import {
  BED_STATUS,
  BED_STATUS_SYSTEM,
  SUPPORT_STAFF,
  type SupportJob,
  UNITS,
  type UnitLayout,
} from './layout.js';

/** One bed of the demo hospital, as data. */
export interface Bed {
  /** Location identifier value, e.g. `hospital-icu-04-A`. */
  identifier: string;
  /** What a board shows: `ICU 04-A`. */
  name: string;
  unit: UnitLayout;
  room: string;
}

/** A person on the demo hospital's staff (a physician from the directory or added support staff). */
export interface DemoStaff {
  npi: string;
  display: string;
  job: 'physician' | 'nurse' | SupportJob;
  unit?: string;
}

/** A demo user: sign-in name, roles, and the Practitioner (by NPI) the account stands for. */
export interface DemoUser {
  username: string;
  displayName: string;
  roles: string[];
  npi: string;
}

export interface DemoHospital {
  /** Transaction Bundle: the new units, every room and bed, the added staff with their roles. */
  bundle: Bundle;
  beds: readonly Bed[];
  staff: readonly DemoStaff[];
  users: readonly DemoUser[];
}

const roomNumber = (n: number) => String(n).padStart(2, '0');
const BED_LETTERS = 'ABCD';

function hospitalLocationRef(directory: Directory, key: string, display: string): Ref {
  return conditionalReference(
    'Location',
    SYSTEMS.locationId,
    locationIdentifier(directory.hospital, key),
    display,
  );
}

function physicalType(code: 'wa' | 'ro' | 'bd', display: string) {
  return { coding: [{ system: SYSTEMS.locationPhysicalType, code, display }] };
}

/** The beds of every unit, in board order (unit, room, bed). */
export function demoBeds(): Bed[] {
  const beds: Bed[] = [];
  for (const unit of UNITS) {
    let n = 0;
    for (const group of unit.rooms) {
      for (let r = 0; r < group.count; r++) {
        n++;
        const room = `${unit.code} ${roomNumber(n)}`;
        for (let b = 0; b < group.beds; b++) {
          const letter = BED_LETTERS[b]!;
          beds.push({
            identifier: `hospital-${unit.key}-${roomNumber(n)}-${letter}`,
            name: `${room}-${letter}`,
            unit,
            room,
          });
        }
      }
    }
  }
  return beds;
}

/** Support staff and nurses, drawn like the directory's staff (NPIs unique across both). */
function drawSupportStaff(random: Random, directory: Directory): DemoStaff[] {
  const used = new Set([directory.hospital, ...directory.clinics].flatMap((f) => f.staff.map((s) => s.npi)));
  const family = new WeightedTable(FAMILY_NAMES);
  const male = new WeightedTable(MALE_GIVEN_NAMES);
  const female = new WeightedTable(FEMALE_GIVEN_NAMES);
  const person = (
    job: DemoStaff['job'],
    title: string,
    unit?: string,
  ): DemoStaff & { family: string; given: string; gender: 'female' | 'male'; title: string } => {
    let npi: string;
    do npi = `999${random.digits(7)}`;
    while (used.has(npi));
    used.add(npi);
    const gender = random.chance(job === 'nurse' ? 0.85 : 0.55) ? 'female' : 'male';
    const given = (gender === 'female' ? female : male).draw(random);
    const surname = family.draw(random);
    const suffix = job === 'nurse' || job === 'bed-manager' ? ', RN' : '';
    return { npi, display: `${given} ${surname}${suffix}`, job, unit, family: surname, given, gender, title };
  };
  const staff = [];
  for (const unit of UNITS) {
    for (let i = 0; i < unit.nurses; i++) staff.push(person('nurse', 'Registered nurse', unit.key));
  }
  for (const s of SUPPORT_STAFF) {
    for (let i = 0; i < s.count; i++) staff.push(person(s.job, s.display, s.unit));
  }
  return staff;
}

/** Where the directory's physicians work in the demo hospital (PractitionerRole.location). */
const PHYSICIAN_UNIT: Partial<Record<SpecialtyKey, string>> = {
  emergencyMedicine: 'emergency',
  hospitalist: 'medSurg',
  cardiology: 'telemetry',
  pulmonology: 'icu',
  obstetrics: 'maternity',
  generalSurgery: 'surgery',
  orthopedics: 'surgery',
  endocrinology: 'medSurgWest',
};

/** The units a physician of this specialty attends (the census picks attendings from these). */
export function physicianUnit(member: StaffMember): string | undefined {
  return PHYSICIAN_UNIT[member.specialty];
}

/** Day shifts (Mon/Wed/Fri or Tue/Thu/Sat, 07:00–19:00) or night shifts (19:00–07:00 the next day). */
function shifts(random: Random) {
  const days = random.chance(0.5) ? ['mon', 'wed', 'fri'] : ['tue', 'thu', 'sat'];
  return random.chance(0.6)
    ? [{ daysOfWeek: days, availableStartTime: '07:00:00', availableEndTime: '19:00:00' }]
    : [{ daysOfWeek: days, availableStartTime: '19:00:00', availableEndTime: '23:59:59' }];
}

/**
 * The demo hospital on top of the shared directory of the same seed: four more units
 * (PACU, 3 West, telemetry, maternity), rooms and beds under all nine (Location hierarchy
 * unit → room → bed with `physicalType` and `operationalStatus`), nurses for every unit and the
 * support staff (pharmacy, lab, radiology, registration, bed management, billing, IT) with
 * PractitionerRoles and shifts, and one demo user per role. Deterministic: the same seed gives
 * the same hospital. `bedStatus` gives each bed's status (the census decides it; clean by default).
 */
export function demoHospital(
  seed: string | number = DEFAULT_SEED,
  bedStatus: (bed: Bed) => { code: string; display: string } = () => BED_STATUS.clean,
): DemoHospital {
  const directory = populationDirectory(seed);
  const random = new Random(`${String(seed)}/demo-hospital`);
  const builder = new TransactionBuilder(random);
  const org = organizationRef(directory.hospital);
  const site = conditionalReference(
    'Location',
    SYSTEMS.locationId,
    locationIdentifier(directory.hospital),
    directory.hospital.name,
  );

  // Units new in this bundle are referred to by their entry (a conditional reference would look
  // in the database, where they are not yet); the directory's units by identifier.
  const unitRefs = new Map<string, Ref>();
  for (const unit of UNITS.filter((u) => u.existing)) {
    unitRefs.set(unit.key, hospitalLocationRef(directory, unit.key, unit.name));
  }
  for (const unit of UNITS.filter((u) => !u.existing)) {
    const ref = builder.putByIdentifier(
      {
        resourceType: 'Location',
        identifier: [{ system: SYSTEMS.locationId, value: locationIdentifier(directory.hospital, unit.key) }],
        status: 'active',
        name: unit.name,
        alias: [unit.code],
        description: `${unit.name}, ${unit.floor}`,
        mode: 'instance',
        type: [{ coding: [{ system: SYSTEMS.locationType, code: unit.type, display: unit.typeDisplay }] }],
        telecom: [{ system: 'phone', value: directory.hospital.phone, use: 'work' }],
        physicalType: physicalType('wa', 'Ward'),
        managingOrganization: org,
        partOf: site,
      },
      SYSTEMS.locationId,
      locationIdentifier(directory.hospital, unit.key),
      unit.name,
    );
    unitRefs.set(unit.key, ref);
  }

  const beds = demoBeds();
  const rooms = new Map<string, Ref>();
  for (const bed of beds) {
    const unitRef = unitRefs.get(bed.unit.key)!;
    const roomKey = bed.identifier.slice(0, -2);
    if (!rooms.has(roomKey)) rooms.set(roomKey, room(builder, roomKey, bed.room, unitRef, org));
    bedLocation(builder, bed, rooms.get(roomKey)!, org, bedStatus(bed));
  }
  // Operating rooms have no beds: rooms only.
  for (const unit of UNITS.filter((u) => u.rooms.every((g) => g.beds === 0))) {
    const unitRef = unitRefs.get(unit.key)!;
    let n = 0;
    for (const group of unit.rooms) {
      for (let r = 0; r < group.count; r++) {
        n++;
        room(builder, `hospital-${unit.key}-${roomNumber(n)}`, `${unit.code} ${roomNumber(n)}`, unitRef, org);
      }
    }
  }

  const support = drawSupportStaff(random, directory);
  for (const member of support) {
    const full = member as DemoStaff & { family: string; given: string; gender: string; title: string };
    const ref = builder.putByIdentifier(
      {
        resourceType: 'Practitioner',
        identifier: [{ system: SYSTEMS.npi, value: member.npi }],
        active: true,
        name: [
          {
            use: 'official',
            family: full.family,
            given: [full.given],
            ...(member.job === 'nurse' || member.job === 'bed-manager' ? { suffix: ['RN'] } : {}),
          },
        ],
        telecom: [{ system: 'phone', value: directory.hospital.phone, use: 'work' }],
        gender: full.gender,
      },
      SYSTEMS.npi,
      member.npi,
    );
    const code =
      SUPPORT_STAFF.find((s) => s.job === member.job)?.code ?? (member.job === 'nurse' ? 'nurse' : undefined);
    builder.putByIdentifier(
      {
        resourceType: 'PractitionerRole',
        identifier: [{ system: SYSTEMS.practitionerRoleId, value: `${member.npi}-hospital` }],
        active: true,
        practitioner: { ...ref, display: member.display },
        organization: org,
        code: [
          code
            ? { coding: [{ system: SYSTEMS.practitionerRole, code, display: full.title }], text: full.title }
            : { text: full.title },
        ],
        location: [member.unit ? unitRefs.get(member.unit)! : site],
        availableTime:
          member.job === 'nurse'
            ? shifts(random)
            : [
                {
                  daysOfWeek: ['mon', 'tue', 'wed', 'thu', 'fri'],
                  availableStartTime: '08:00:00',
                  availableEndTime: '16:30:00',
                },
              ],
        telecom: [{ system: 'phone', value: directory.hospital.phone, use: 'work' }],
      },
      SYSTEMS.practitionerRoleId,
      `${member.npi}-hospital`,
    );
  }

  const physicians: DemoStaff[] = directory.hospital.staff.map((m) => ({
    npi: m.npi,
    display: m.display,
    job: 'physician',
    unit: physicianUnit(m),
  }));
  const staff = [...physicians, ...support];
  return { bundle: builder.build(), beds, staff, users: demoUsers(staff) };
}

function room(builder: TransactionBuilder, identifier: string, name: string, unitRef: Ref, org: Ref): Ref {
  return builder.putByIdentifier(
    {
      resourceType: 'Location',
      identifier: [{ system: SYSTEMS.locationId, value: identifier }],
      status: 'active',
      name,
      mode: 'instance',
      physicalType: physicalType('ro', 'Room'),
      managingOrganization: org,
      partOf: unitRef,
    },
    SYSTEMS.locationId,
    identifier,
    name,
  );
}

/** A bed Location with its status (v2 0116) as operationalStatus. */
export function bedResource(
  bed: Bed,
  roomRef: Ref,
  org: Ref,
  status: { code: string; display: string },
): Resource {
  return {
    resourceType: 'Location',
    identifier: [{ system: SYSTEMS.locationId, value: bed.identifier }],
    status: status.code === BED_STATUS.closed.code ? 'suspended' : 'active',
    operationalStatus: { system: BED_STATUS_SYSTEM, code: status.code, display: status.display },
    name: bed.name,
    mode: 'instance',
    physicalType: physicalType('bd', 'Bed'),
    managingOrganization: org,
    partOf: roomRef,
  };
}

function bedLocation(
  builder: TransactionBuilder,
  bed: Bed,
  roomRef: Ref,
  org: Ref,
  status: { code: string; display: string },
): Ref {
  return builder.putByIdentifier(
    bedResource(bed, roomRef, org, status),
    SYSTEMS.locationId,
    bed.identifier,
    bed.name,
  );
}

/** Sign-in names of the demo users and the job each stands for (issue: one per role, password `demo`). */
const DEMO_USERS: readonly { username: string; job: DemoStaff['job']; roles: string[]; unit?: string }[] = [
  { username: 'registrar', job: 'registrar', roles: ['registrar'] },
  { username: 'bedmanager', job: 'bed-manager', roles: ['registrar', 'nurse'] },
  { username: 'nurse', job: 'nurse', roles: ['nurse'], unit: 'medSurg' },
  { username: 'physician', job: 'physician', roles: ['physician'], unit: 'medSurg' },
  { username: 'pharmacist', job: 'pharmacist', roles: ['pharmacist'] },
  { username: 'labtech', job: 'lab-tech', roles: ['lab-tech'] },
  { username: 'biller', job: 'biller', roles: ['biller'] },
  { username: 'admin', job: 'it-admin', roles: ['it-admin'] },
];

function demoUsers(staff: readonly DemoStaff[]): DemoUser[] {
  return DEMO_USERS.map((u) => {
    const who = staff.find((s) => s.job === u.job && (u.unit === undefined || s.unit === u.unit));
    if (!who) throw new Error(`The demo hospital has no ${u.job} for user ${u.username}`);
    return { username: u.username, displayName: who.display, roles: u.roles, npi: who.npi };
  });
}
