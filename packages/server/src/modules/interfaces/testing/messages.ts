/** Named v2 message fixtures for the engine tests: a patient's stay, built line by line. */
export interface StayOptions {
  mrn: string;
  visit: string;
  controlId: string;
  family?: string;
}

const msh = (type: string, controlId: string) =>
  `MSH|^~\\&|REGADT|GOOD HEALTH^2.16.840.1.113883.19.1^ISO|HOSPITIUM|HOSP|20260110083000+0100||${type}|${controlId}|P|2.5.1`;
const pid = (o: StayOptions) =>
  `PID|1||${o.mrn}^^^GHH&2.16.840.1.113883.19.5&ISO^MR||${o.family ?? 'Everyman'}^Adam^A^^Mr.||19800115|M|||2222 Home Street^^Ann Arbor^MI^99999^USA^H||^PRN^PH^^1^555^5551234|||M^Married`;

/** ADT^A01: admitted to 4 East, room 136, bed B. */
export function admit(o: StayOptions): string {
  return [
    msh('ADT^A01^ADT_A01', o.controlId),
    'EVN|A01|20260110083000+0100',
    pid(o),
    'NK1|1|Everywoman^Eve|SPO^Spouse|2222 Home Street^^Ann Arbor^MI^99999|^PRN^PH^^1^555^5559999',
    `PV1|1|I|4E^136^B^GHH||||0148^Attending^Alice^^^Dr|||MED||||7|||||${o.visit}^^^GHH&2.16.840.1.113883.19.5&ISO^VN|||||||||||||||||||||||||20260110080000+0100`,
    'AL1|1|DA|70618^Penicillin^RXNORM|SV|Hives~Wheezing|20200101',
    in1(),
  ].join('\r');
}

/** ADT^A02: moved to ICU bed 2. */
export function transfer(o: StayOptions): string {
  return [
    msh('ADT^A02^ADT_A02', o.controlId),
    'EVN|A02|20260111090000+0100',
    pid(o),
    `PV1|1|I|ICU^1^2^GHH|||4E^136^B^GHH|0148^Attending^Alice^^^Dr|||MED||||7|||||${o.visit}^^^GHH&2.16.840.1.113883.19.5&ISO^VN|||||||||||||||||||||||||20260110080000+0100`,
  ].join('\r');
}

/** ORU^R01: a glucose (high, UCUM units, range, note) and a text result. */
export function results(o: StayOptions, status: 'P' | 'F' | 'C' = 'F', glucose = '182'): string {
  return [
    msh('ORU^R01^ORU_R01', o.controlId),
    pid(o),
    `PV1|1|I|ICU^1^2^GHH||||||||||||||||${o.visit}^^^GHH&2.16.840.1.113883.19.5&ISO^VN`,
    'ORC|RE|ORD1|LAB-9^LIS^2.16.840.1.113883.19.7^ISO',
    `OBR|1|ORD1|LAB-9^LIS^2.16.840.1.113883.19.7^ISO|24323-8^Comprehensive metabolic panel^LN|||20260111070000+0100|||||||||||||||20260111093000+0100|||${status}`,
    'NTE|1||Fasting specimen',
    `OBX|1|NM|2345-7^Glucose [Mass/volume] in Serum or Plasma^LN||${glucose}|mg/dL|70-99|H|||${status}|||20260111070000+0100`,
    'NTE|1||Repeat tomorrow \\T\\ review insulin',
    `OBX|2|ST|8251-1^Service comment^LN||Specimen slightly haemolysed||||||${status}`,
  ].join('\r');
}

/** ADT^A03: discharged home. */
export function discharge(o: StayOptions): string {
  return [
    msh('ADT^A03^ADT_A03', o.controlId),
    'EVN|A03|20260112100000+0100',
    pid(o),
    `PV1|1|I|ICU^1^2^GHH||||0148^Attending^Alice^^^Dr|||MED||||7|||||${o.visit}^^^GHH&2.16.840.1.113883.19.5&ISO^VN|||||||||||||||||01||||||||20260110080000+0100|20260112100000+0100`,
  ].join('\r');
}

/** ADT^A40: merge the patient known as `prior` into `o.mrn`. */
export function merge(o: StayOptions, prior: string): string {
  return [
    msh('ADT^A40^ADT_A39', o.controlId),
    'EVN|A40|20260113100000+0100',
    pid(o),
    `MRG|${prior}^^^GHH&2.16.840.1.113883.19.5&ISO^MR`,
  ].join('\r');
}

/** IN1 with the fields the Coverage mapping reads, placed by number. */
function in1(): string {
  const f: string[] = [];
  f[1] = '1';
  f[2] = 'GOLD^Gold plan';
  f[3] = 'BCBS01^^^^NIIP';
  f[4] = 'Blue Cross';
  f[12] = '20260101';
  f[13] = '20261231';
  f[15] = 'HMO';
  f[17] = 'SEL';
  f[36] = 'POL-777';
  return ['IN1', ...Array.from({ length: 36 }, (_, i) => f[i + 1] ?? '')].join('|');
}
