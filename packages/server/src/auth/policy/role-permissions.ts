import { patientCompartmentParams } from '@hospitium/fhir';
import type { Permission } from '../smart/scopes.js';
import type { Role } from '../users/roles.js';

/**
 * Named groups of resource types: a role's permissions are given per group, not per type, so
 * that the table stays readable and a new type lands in the right place by one line here.
 */
export const typeGroups = {
  demographics: ['Patient', 'RelatedPerson', 'Person'],
  encounters: ['Encounter', 'EpisodeOfCare'],
  clinical: [
    'Condition',
    'AllergyIntolerance',
    'Procedure',
    'ClinicalImpression',
    'CarePlan',
    'CareTeam',
    'Goal',
    'FamilyMemberHistory',
    'Immunization',
    'ImmunizationEvaluation',
    'ImmunizationRecommendation',
    'DocumentReference',
    'DocumentManifest',
    'Composition',
    'QuestionnaireResponse',
    'RiskAssessment',
    'DetectedIssue',
    'Flag',
    'AdverseEvent',
    'Communication',
    'CommunicationRequest',
    'NutritionOrder',
    'VisionPrescription',
    'Consent',
    'List',
    'Task',
    'BodyStructure',
  ],
  medication: [
    'Medication',
    'MedicationRequest',
    'MedicationAdministration',
    'MedicationDispense',
    'MedicationStatement',
    'MedicationKnowledge',
  ],
  'orders-results': [
    'ServiceRequest',
    'DeviceRequest',
    'Specimen',
    'Observation',
    'DiagnosticReport',
    'MolecularSequence',
  ],
  imaging: ['ImagingStudy', 'Media'],
  financial: [
    'Coverage',
    'CoverageEligibilityRequest',
    'CoverageEligibilityResponse',
    'Account',
    'ChargeItem',
    'ChargeItemDefinition',
    'Claim',
    'ClaimResponse',
    'ExplanationOfBenefit',
    'Invoice',
    'PaymentNotice',
    'PaymentReconciliation',
    'EnrollmentRequest',
    'EnrollmentResponse',
  ],
  scheduling: ['Appointment', 'AppointmentResponse', 'Schedule', 'Slot'],
  'supply-devices': [
    'Device',
    'DeviceDefinition',
    'DeviceMetric',
    'DeviceUseStatement',
    'SupplyRequest',
    'SupplyDelivery',
    'BiologicallyDerivedProduct',
  ],
  'security-audit': ['AuditEvent', 'Provenance'],
  /** Everything else that is not in a patient's compartment: organisations, locations, staff, terminology, definitions. */
  reference: [],
} as const satisfies Record<string, readonly string[]>;
export type TypeGroup = keyof typeof typeGroups;

const groupOfType = new Map<string, TypeGroup>(
  (Object.entries(typeGroups) as [TypeGroup, readonly string[]][]).flatMap(([g, types]) =>
    types.map((t) => [t, g] as const),
  ),
);

/**
 * The group of a resource type. A type not listed above is `clinical` when it can belong to a
 * patient's compartment (so an unlisted patient-data type is never open to every role) and
 * `reference` otherwise.
 */
export function groupOf(resourceType: string): TypeGroup {
  const listed = groupOfType.get(resourceType);
  if (listed) return listed;
  return patientCompartmentParams(resourceType).length > 0 ? 'clinical' : 'reference';
}

/** Staff roles (every role except the patient's portal account). */
export type StaffRole = Exclude<Role, 'patient'>;

/**
 * Role × type group → the interactions allowed, in SMART letters: `c` create, `r` read (read,
 * vread, instance history), `u` update (and patch), `d` delete, `s` search (and type/system
 * history). A group not named is denied. This table is the role policy; `decide()` joins it with
 * the token's scopes (a `user/` token gets scope AND role).
 */
export const rolePermissions: Record<StaffRole, Partial<Record<TypeGroup, string>>> = {
  registrar: {
    demographics: 'cruds',
    encounters: 'crus',
    financial: 'crus',
    scheduling: 'cruds',
    reference: 'rs',
  },
  nurse: {
    demographics: 'rus',
    encounters: 'rus',
    clinical: 'crus',
    medication: 'crus',
    'orders-results': 'crus',
    imaging: 'rs',
    scheduling: 'rs',
    'supply-devices': 'rs',
    reference: 'rs',
  },
  physician: {
    demographics: 'rus',
    encounters: 'crus',
    clinical: 'cruds',
    medication: 'cruds',
    'orders-results': 'cruds',
    imaging: 'crus',
    scheduling: 'rs',
    'supply-devices': 'rs',
    reference: 'rs',
  },
  pharmacist: {
    demographics: 'rs',
    encounters: 'rs',
    clinical: 'rs',
    medication: 'crus',
    'orders-results': 'rs',
    reference: 'rs',
  },
  'lab-tech': {
    demographics: 'rs',
    encounters: 'rs',
    'orders-results': 'crus',
    reference: 'rs',
  },
  'radiology-tech': {
    demographics: 'rs',
    encounters: 'rs',
    'orders-results': 'crus',
    imaging: 'crus',
    reference: 'rs',
  },
  biller: {
    demographics: 'rs',
    encounters: 'rs',
    financial: 'cruds',
    reference: 'rs',
  },
  coder: {
    demographics: 'rs',
    encounters: 'rs',
    financial: 'rus',
    reference: 'rs',
  },
  supply: {
    'supply-devices': 'cruds',
    reference: 'rs',
  },
  biomed: {
    'supply-devices': 'cruds',
    reference: 'rs',
  },
  'interface-analyst': {
    reference: 'rs',
  },
  'it-admin': {
    reference: 'cruds',
    'security-audit': 'rs',
  },
};

/**
 * Roles whose reach into patient data is bounded by a relationship (care team, unit, encounter
 * participant) or a break-the-glass grant. Roles outside this list see only their own groups
 * (registration, billing, …), hospital-wide, because their work is not tied to a ward.
 */
export const relationshipRoles: readonly StaffRole[] = [
  'nurse',
  'physician',
  'pharmacist',
  'lab-tech',
  'radiology-tech',
];

/** Groups holding patient data that need the relationship for relationship roles. */
export const patientDataGroups: readonly TypeGroup[] = [
  'encounters',
  'clinical',
  'medication',
  'orders-results',
  'imaging',
];

/** What the roles allow for one permission on one type. */
export type RoleGrant =
  | { allowed: false }
  /** `bound`: only relationship roles allow it, so the target patient must be related. */
  | { allowed: true; bound: boolean };

/** Whether any of `roles` allows `permission` on `resourceType`. */
export function roleGrant(roles: readonly Role[], resourceType: string, permission: Permission): RoleGrant {
  const group = groupOf(resourceType);
  let bound: boolean | undefined;
  for (const role of roles) {
    if (role === 'patient') continue;
    if (!(rolePermissions[role][group] ?? '').includes(permission)) continue;
    const thisBound = relationshipRoles.includes(role) && patientDataGroups.includes(group);
    bound = bound === undefined ? thisBound : bound && thisBound;
  }
  return bound === undefined ? { allowed: false } : { allowed: true, bound };
}

/** True when some role of `roles` is a relationship (clinical) role: break-the-glass is open to them. */
export function hasClinicalRole(roles: readonly Role[]): boolean {
  return roles.some((r) => (relationshipRoles as readonly Role[]).includes(r));
}
