/**
 * The demo hospital's wards as data: which units exist, on which floor, how many rooms of how
 * many beds, and who staffs them. The shared directory already has five units (ED, med-surg,
 * ICU, pediatrics, OR); the demo hospital adds four and puts rooms and beds under all of them.
 */

export type UnitKind = 'inpatient' | 'maternity' | 'pediatric' | 'emergency' | 'surgery' | 'recovery';

export interface UnitLayout {
  /** The unit's key: `hospital-<key>` is its Location identifier. */
  key: string;
  /** True for the units the shared directory already creates (the demo only adds rooms). */
  existing: boolean;
  name: string;
  /** Short code on room and bed names (`ICU 04-A`). */
  code: string;
  /** v3 RoleCode of the unit (Location.type). */
  type: string;
  typeDisplay: string;
  kind: UnitKind;
  floor: string;
  /** Rooms, each with this many beds (0 for an operating room). */
  rooms: { count: number; beds: number }[];
  /** Share of beds occupied when the demo starts. */
  occupancy: number;
  /** Nurses (day and night) assigned to the unit. */
  nurses: number;
}

export const UNITS: readonly UnitLayout[] = [
  {
    key: 'emergency',
    existing: true,
    name: 'Emergency Department',
    code: 'ED',
    type: 'ER',
    typeDisplay: 'Emergency room',
    kind: 'emergency',
    floor: 'Ground floor',
    rooms: [{ count: 24, beds: 1 }],
    occupancy: 0.4,
    nurses: 3,
  },
  {
    key: 'icu',
    existing: true,
    name: 'Intensive Care Unit',
    code: 'ICU',
    type: 'ICU',
    typeDisplay: 'Intensive care unit',
    kind: 'inpatient',
    floor: '2nd floor',
    rooms: [{ count: 16, beds: 1 }],
    occupancy: 0.75,
    nurses: 3,
  },
  {
    key: 'surgery',
    existing: true,
    name: 'Operating Suite',
    code: 'OR',
    type: 'OR',
    typeDisplay: 'Operating room',
    kind: 'surgery',
    floor: '2nd floor',
    rooms: [{ count: 6, beds: 0 }],
    occupancy: 0,
    nurses: 1,
  },
  {
    key: 'pacu',
    existing: false,
    name: 'Post-Anesthesia Care Unit',
    code: 'PACU',
    type: 'HU',
    typeDisplay: 'Hospital unit',
    kind: 'recovery',
    floor: '2nd floor',
    rooms: [{ count: 10, beds: 1 }],
    occupancy: 0.2,
    nurses: 1,
  },
  {
    key: 'medSurg',
    existing: true,
    name: 'Medical-Surgical Unit',
    code: '3E',
    type: 'HU',
    typeDisplay: 'Hospital unit',
    kind: 'inpatient',
    floor: '3rd floor',
    rooms: [{ count: 18, beds: 2 }],
    occupancy: 0.6,
    nurses: 3,
  },
  {
    key: 'medSurgWest',
    existing: false,
    name: 'Medical-Surgical Unit 3 West',
    code: '3W',
    type: 'HU',
    typeDisplay: 'Hospital unit',
    kind: 'inpatient',
    floor: '3rd floor',
    rooms: [{ count: 18, beds: 2 }],
    occupancy: 0.55,
    nurses: 2,
  },
  {
    key: 'telemetry',
    existing: false,
    name: 'Telemetry Unit',
    code: 'TELE',
    type: 'HU',
    typeDisplay: 'Hospital unit',
    kind: 'inpatient',
    floor: '4th floor',
    rooms: [{ count: 12, beds: 2 }],
    occupancy: 0.6,
    nurses: 2,
  },
  {
    key: 'maternity',
    existing: false,
    name: 'Maternity (Labor, Delivery and Postpartum)',
    code: 'MAT',
    type: 'HU',
    typeDisplay: 'Hospital unit',
    kind: 'maternity',
    floor: '5th floor',
    rooms: [{ count: 14, beds: 1 }],
    occupancy: 0.5,
    nurses: 2,
  },
  {
    key: 'pediatrics',
    existing: true,
    name: 'Pediatric Unit',
    code: 'PEDS',
    type: 'PEDU',
    typeDisplay: 'Pediatric unit',
    kind: 'pediatric',
    floor: '5th floor',
    rooms: [
      { count: 6, beds: 2 },
      { count: 6, beds: 1 },
    ],
    occupancy: 0.45,
    nurses: 2,
  },
];

/**
 * Non-physician staff the demo adds to the directory's physicians, by job: the practitioner-role
 * code (where the code system has one) and the sign-in role of the demo user who is one of them.
 */
export const SUPPORT_STAFF = [
  { job: 'pharmacist', count: 2, code: 'pharmacist', display: 'Pharmacist', unit: undefined },
  { job: 'lab-tech', count: 2, code: undefined, display: 'Medical laboratory technician', unit: undefined },
  { job: 'radiology-tech', count: 1, code: undefined, display: 'Radiologic technologist', unit: undefined },
  { job: 'registrar', count: 2, code: undefined, display: 'Patient access registrar', unit: 'emergency' },
  {
    job: 'bed-manager',
    count: 1,
    code: 'nurse',
    display: 'House supervisor (bed management)',
    unit: undefined,
  },
  { job: 'biller', count: 1, code: undefined, display: 'Hospital billing specialist', unit: undefined },
  { job: 'it-admin', count: 1, code: 'ict', display: 'IT administrator', unit: undefined },
] as const;

export type SupportJob = (typeof SUPPORT_STAFF)[number]['job'];

/** v2 table 0116 (bed status), the codes Location.operationalStatus takes for a bed. */
export const BED_STATUS = {
  occupied: { code: 'O', display: 'Occupied' },
  clean: { code: 'U', display: 'Unoccupied' },
  dirty: { code: 'H', display: 'Housekeeping' },
  closed: { code: 'C', display: 'Closed' },
  isolated: { code: 'I', display: 'Isolated' },
  contaminated: { code: 'K', display: 'Contaminated' },
} as const;

export const BED_STATUS_SYSTEM = 'http://terminology.hl7.org/CodeSystem/v2-0116';
