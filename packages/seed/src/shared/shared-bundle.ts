import type { Bundle, Resource } from '@hospitium/fhir';
import { type Ref, TransactionBuilder } from '../bundle/transaction.js';
import { HOSPITAL, SPECIALTIES } from '../codes/organizations.js';
import { STATE } from '../codes/places.js';
import { concept, SYSTEMS } from '../codes/systems.js';
import type { Random } from '../random/random.js';
import type { Directory, Facility, StaffMember } from './directory.js';
import { locationIdentifier, organizationIdentifier, payerIdentifier } from './references.js';

function address(facility: Facility) {
  return [
    {
      use: 'work',
      line: [facility.line],
      city: facility.city.name,
      state: STATE.code,
      postalCode: facility.city.postalCode,
      country: 'US',
    },
  ];
}

function organization(facility: Facility, typeCode: 'prov', partOf?: Ref): Resource {
  return {
    resourceType: 'Organization',
    identifier: [{ system: SYSTEMS.organizationId, value: organizationIdentifier(facility) }],
    active: true,
    type: [
      { coding: [{ system: SYSTEMS.organizationType, code: typeCode, display: 'Healthcare Provider' }] },
    ],
    name: facility.name,
    telecom: [{ system: 'phone', value: facility.phone, use: 'work' }],
    address: address(facility),
    ...(partOf ? { partOf } : {}),
  };
}

function location(
  facility: Facility,
  organizationRef: Ref,
  unit?: { key: string; name: string; type: string; typeDisplay: string },
  partOf?: Ref,
): Resource {
  return {
    resourceType: 'Location',
    identifier: [{ system: SYSTEMS.locationId, value: locationIdentifier(facility, unit?.key) }],
    status: 'active',
    name: unit ? unit.name : facility.name,
    mode: 'instance',
    ...(unit
      ? { type: [{ coding: [{ system: SYSTEMS.locationType, code: unit.type, display: unit.typeDisplay }] }] }
      : {}),
    telecom: [{ system: 'phone', value: facility.phone, use: 'work' }],
    address: address(facility)[0],
    physicalType: {
      coding: [
        unit
          ? { system: SYSTEMS.locationPhysicalType, code: 'wa', display: 'Ward' }
          : { system: SYSTEMS.locationPhysicalType, code: 'bu', display: 'Building' },
      ],
    },
    managingOrganization: organizationRef,
    ...(partOf ? { partOf } : {}),
  };
}

function practitioner(member: StaffMember, facility: Facility): Resource {
  return {
    resourceType: 'Practitioner',
    identifier: [{ system: SYSTEMS.npi, value: member.npi }],
    active: true,
    name: [
      {
        use: 'official',
        family: member.family,
        given: [member.given],
        ...(member.doctor ? { prefix: ['Dr.'] } : { suffix: ['NP'] }),
      },
    ],
    telecom: [{ system: 'phone', value: facility.phone, use: 'work' }],
    address: address(facility),
    gender: member.gender,
  };
}

function practitionerRole(
  member: StaffMember,
  practitionerRef: Ref,
  organizationRef: Ref,
  locationRef: Ref,
  facility: Facility,
): Resource {
  return {
    resourceType: 'PractitionerRole',
    identifier: [{ system: SYSTEMS.practitionerRoleId, value: `${member.npi}-${facility.key}` }],
    active: true,
    practitioner: practitionerRef,
    organization: organizationRef,
    code: [
      {
        coding: [
          member.doctor
            ? { system: SYSTEMS.practitionerRole, code: 'doctor', display: 'Doctor' }
            : { system: SYSTEMS.practitionerRole, code: 'nurse', display: 'Nurse' },
        ],
      },
    ],
    specialty: [concept(SPECIALTIES[member.specialty])],
    location: [locationRef],
    telecom: [{ system: 'phone', value: facility.phone, use: 'work' }],
  };
}

function addFacility(
  builder: TransactionBuilder,
  facility: Facility,
  units: readonly { key: string; name: string; type: string; typeDisplay: string }[],
  staffLocation: (member: StaffMember) => string | undefined,
): void {
  const org = builder.putByIdentifier(
    organization(facility, 'prov'),
    SYSTEMS.organizationId,
    organizationIdentifier(facility),
  );
  const site = builder.putByIdentifier(
    location(facility, org),
    SYSTEMS.locationId,
    locationIdentifier(facility),
  );
  const unitRefs = new Map<string, Ref>();
  for (const unit of units) {
    unitRefs.set(
      unit.key,
      builder.putByIdentifier(
        location(facility, org, unit, site),
        SYSTEMS.locationId,
        locationIdentifier(facility, unit.key),
      ),
    );
  }
  for (const member of facility.staff) {
    const ref = builder.putByIdentifier(practitioner(member, facility), SYSTEMS.npi, member.npi);
    const unit = staffLocation(member);
    builder.putByIdentifier(
      practitionerRole(member, ref, org, (unit && unitRefs.get(unit)) || site, facility),
      SYSTEMS.practitionerRoleId,
      `${member.npi}-${facility.key}`,
    );
  }
}

/** Where the hospital's staff are based, by specialty (their PractitionerRole.location). */
const HOSPITAL_STAFF_UNIT: Record<string, string> = {
  emergencyMedicine: 'emergency',
  hospitalist: 'medSurg',
  generalSurgery: 'surgery',
  orthopedics: 'surgery',
  pulmonology: 'icu',
};

/**
 * The shared transaction Bundle: the hospital (Organization, Locations for the building and
 * units), the clinics, the payers, and every Practitioner with a PractitionerRole. Entries are
 * conditional updates on identifiers, so the bundle can be loaded again safely.
 */
export function sharedBundle(directory: Directory, random: Random): Bundle {
  const builder = new TransactionBuilder(random);
  addFacility(builder, directory.hospital, HOSPITAL.units, (m) => HOSPITAL_STAFF_UNIT[m.specialty]);
  for (const clinic of directory.clinics) addFacility(builder, clinic, [], () => undefined);
  for (const payer of directory.payers) {
    builder.putByIdentifier(
      {
        resourceType: 'Organization',
        identifier: [{ system: SYSTEMS.organizationId, value: payerIdentifier(payer) }],
        active: true,
        type: [{ coding: [{ system: SYSTEMS.organizationType, code: 'pay', display: 'Payer' }] }],
        name: payer.name,
      },
      SYSTEMS.organizationId,
      payerIdentifier(payer),
    );
  }
  return builder.build();
}
