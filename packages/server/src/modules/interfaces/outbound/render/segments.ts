import type { Resource } from '@hospitium/fhir';
import { formatDateTime, type Hl7Segment } from '@hospitium/hl7v2';
import type { OutboundChannel } from '../../channels/outbound-channel.js';
import { maritalStatus, patientClass } from '../../mapping/codes/v2-tables.js';
import { locationSystem } from '../../mapping/location.js';
import {
  type Components,
  cx,
  put,
  putAll,
  reverse,
  segment,
  sex,
  v2DateTime,
  xad,
  xpn,
  xtn,
} from './datatypes.js';

/** What a message is made from: the focus resource and what it points at, already read. */
export interface RenderInput {
  /** `ADT^A01`, `ORU^R01` … */
  event: string;
  channel: OutboundChannel;
  controlId: string;
  now: Date;
  patient: Resource;
  encounter?: Resource;
  /** Locations and practitioners by reference (`Location/1`), for PV1. */
  related: Map<string, Resource>;
  order?: Resource;
  report?: Resource;
  observations?: Resource[];
}

type Ref = { reference?: string; display?: string; identifier?: { value?: string } };
const structures: Record<string, string> = {
  'ADT^A01': 'ADT_A01',
  'ADT^A02': 'ADT_A02',
  'ADT^A03': 'ADT_A03',
  'ADT^A04': 'ADT_A01',
  'ADT^A08': 'ADT_A01',
  'ADT^A31': 'ADT_A05',
  'ORM^O01': 'ORM_O01',
  'OML^O21': 'OML_O21',
  'ORU^R01': 'ORU_R01',
};

/** MSH with the channel's applications and facilities, a fresh MSH-10, the channel's version. */
export function msh(input: RenderInput): Hl7Segment {
  const c = input.channel;
  const seg = segment('MSH');
  seg.setValue('|', 1);
  seg.setValue('^~\\&', 2);
  put(seg, 3, [c.sendingApplication]);
  put(seg, 4, [c.sendingFacility]);
  put(seg, 5, [c.receivingApplication]);
  put(seg, 6, [c.receivingFacility]);
  seg.setValue(formatDateTime(input.now), 7);
  const [code, trigger] = input.event.split('^');
  put(seg, 9, [code, trigger, structures[input.event]]);
  seg.setValue(input.controlId, 10);
  seg.setValue('P', 11);
  seg.setValue(c.version, 12);
  seg.setValue('AL', 15);
  seg.setValue('NE', 16);
  return seg;
}

/** EVN: the trigger, when recorded (now) and when it happened. */
export function evn(input: RenderInput, occurred?: string): Hl7Segment {
  const seg = segment('EVN');
  seg.setValue(input.event.split('^')[1], 1);
  seg.setValue(formatDateTime(input.now), 2);
  const when = v2DateTime(occurred);
  if (when) seg.setValue(when, 6);
  return seg;
}

/**
 * PID: every identifier (CX with its assigning authority; the resource id under the sending
 * facility when there is none), names, birth date, sex, addresses, phones (home in PID-13, work in
 * PID-14), marital status, death.
 */
export function pid(input: RenderInput): Hl7Segment {
  const p = input.patient as Resource & Record<string, unknown>;
  const seg = segment('PID');
  seg.setValue('1', 1);
  const ids = ((p.identifier as { system?: string; value?: string }[]) ?? []).filter((i) => i.value);
  putAll(
    seg,
    3,
    ids.length
      ? ids.map(cx)
      : [[p.id as string, undefined, undefined, [input.channel.sendingFacility], 'PI'] as Components],
  );
  putAll(seg, 5, ((p.name as object[]) ?? []).map(xpn));
  const birth = v2DateTime(p.birthDate);
  if (birth) seg.setValue(birth, 7);
  const gender = sex(p.gender);
  if (gender) seg.setValue(gender, 8);
  putAll(seg, 11, ((p.address as object[]) ?? []).map(xad));
  const telecom = (p.telecom as { system?: string; value?: string; use?: string }[]) ?? [];
  putAll(seg, 13, telecom.filter((t) => t.use !== 'work').map(xtn));
  putAll(seg, 14, telecom.filter((t) => t.use === 'work').map(xtn));
  const marital = (p.maritalStatus as { coding?: { code?: string }[] } | undefined)?.coding?.[0]?.code;
  const maritalCode = marital ? reverse(maritalStatus, (m) => m.code === marital) : undefined;
  if (maritalCode) seg.setValue(maritalCode, 16);
  const died = v2DateTime(p.deceasedDateTime);
  if (died) {
    seg.setValue(died, 29);
    seg.setValue('Y', 30);
  } else if (typeof p.deceasedBoolean === 'boolean') seg.setValue(p.deceasedBoolean ? 'Y' : 'N', 30);
  return seg;
}

/** A Location reference → PL: point of care (ward)^room^bed, from the `partOf` hierarchy. */
export function pl(reference: string | undefined, related: Map<string, Resource>): Components | undefined {
  const levels: Record<string, string | undefined> = {};
  let ref = reference;
  for (let depth = 0; ref && depth < 6; depth++) {
    const loc = related.get(ref) as (Resource & Record<string, unknown>) | undefined;
    if (!loc) break;
    const type = (loc.physicalType as { coding?: { code?: string }[] } | undefined)?.coding?.[0]?.code;
    const slot =
      type === 'bd' ? 'bed' : type === 'ro' ? 'room' : type === 'wa' || type === 'wi' ? 'ward' : undefined;
    const own = (loc.identifier as { system?: string; value?: string }[] | undefined)?.find(
      (i) => i.system === locationSystem,
    )?.value;
    const name = own ? own.split('/').pop() : (loc.name as string | undefined);
    if (slot && !levels[slot]) levels[slot] = name;
    else if (!slot && depth === 0) levels.ward = name;
    ref = (loc.partOf as Ref | undefined)?.reference;
  }
  if (!levels.ward && !levels.room && !levels.bed) return undefined;
  return [levels.ward, levels.room, levels.bed];
}

type EncounterLocation = { location?: Ref; status?: string };

/** The encounter's current location (the last active one). */
export function currentLocation(encounter: Resource | undefined): string | undefined {
  const locations = (encounter?.location as EncounterLocation[] | undefined) ?? [];
  const active = locations.filter((l) => !l.status || l.status === 'active');
  return active[active.length - 1]?.location?.reference;
}

/** The location the encounter was in before the current one (for A02, PV1-6). */
export function priorLocation(encounter: Resource | undefined): string | undefined {
  const locations = (encounter?.location as EncounterLocation[] | undefined) ?? [];
  const done = locations.filter((l) => l.status === 'completed');
  return done[done.length - 1]?.location?.reference;
}

/** A participant or requester → XCN: id^family^given. */
export function xcn(ref: Ref | undefined, related: Map<string, Resource>): Components | undefined {
  if (!ref) return undefined;
  const who = ref.reference ? (related.get(ref.reference) as Record<string, unknown> | undefined) : undefined;
  const name = (who?.name as { family?: string; given?: string[] }[] | undefined)?.[0];
  const id =
    (who?.identifier as { value?: string }[] | undefined)?.[0]?.value ??
    ref.identifier?.value ??
    ref.reference?.split('/')[1];
  if (name) return [id, name.family, name.given?.[0]];
  const parts = ref.display?.split(' ') ?? [];
  return [id, parts.length > 1 ? parts[parts.length - 1] : parts[0], parts.length > 1 ? parts[0] : undefined];
}

/**
 * PV1: class (table 0004), location ward^room^bed, prior location (A02), attending, service,
 * visit number (the encounter's identifier; its id under the sending facility without one),
 * discharge disposition, admit and discharge times.
 */
export function pv1(input: RenderInput): Hl7Segment {
  const seg = segment('PV1');
  seg.setValue('1', 1);
  const e = input.encounter as (Resource & Record<string, unknown>) | undefined;
  if (!e) {
    seg.setValue('N', 2);
    return seg;
  }
  const klass = (e.class as { code?: string } | undefined)?.code;
  seg.setValue(reverse(patientClass, (c) => c.code === klass) ?? 'U', 2);
  const here = pl(currentLocation(e), input.related);
  if (here) put(seg, 3, here);
  if (input.event === 'ADT^A02') {
    const before = pl(priorLocation(e), input.related);
    if (before) put(seg, 6, before);
  }
  const participants =
    (e.participant as { type?: { coding?: { code?: string }[] }[]; individual?: Ref }[]) ?? [];
  const role = (code: string) =>
    participants
      .filter((p) => p.type?.some((t) => t.coding?.some((c) => c.code === code)))
      .map((p) => xcn(p.individual, input.related))
      .filter((x): x is Components => x !== undefined);
  putAll(seg, 7, role('ATND'));
  putAll(seg, 8, role('REF'));
  putAll(seg, 9, role('CON'));
  const service = (e.serviceType as { coding?: { code?: string }[] } | undefined)?.coding?.[0]?.code;
  if (service) seg.setValue(service, 10);
  const hospitalization = e.hospitalization as Record<string, { coding?: { code?: string }[] }> | undefined;
  const code = (k: string) => hospitalization?.[k]?.coding?.[0]?.code;
  if (code('reAdmission')) seg.setValue(code('reAdmission') as string, 13);
  if (code('admitSource')) seg.setValue(code('admitSource') as string, 14);
  const visit = (e.identifier as { system?: string; value?: string }[] | undefined)?.find((i) => i.value);
  put(
    seg,
    19,
    visit ? cx(visit) : [e.id as string, undefined, undefined, [input.channel.sendingFacility], 'VN'],
  );
  if (code('dischargeDisposition')) seg.setValue(code('dischargeDisposition') as string, 36);
  const period = e.period as { start?: string; end?: string } | undefined;
  const start = v2DateTime(period?.start);
  if (start) seg.setValue(start, 44);
  const end = v2DateTime(period?.end);
  if (end) seg.setValue(end, 45);
  return seg;
}
