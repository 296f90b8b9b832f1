import type { Hl7Message, Hl7Segment } from '@hospitium/hl7v2';

/** A PID and the segments that follow it up to the next PID (its visit, next of kin, orders …). */
export interface PatientGroup {
  pid: Hl7Segment;
  segments: Hl7Segment[];
}

/** Splits a message into patient groups (A17 and ORU may carry several patients). */
export function patientGroups(message: Hl7Message): PatientGroup[] {
  const groups: PatientGroup[] = [];
  for (const seg of message.segments) {
    if (seg.name === 'PID') groups.push({ pid: seg, segments: [] });
    else groups.at(-1)?.segments.push(seg);
  }
  return groups;
}

/** The first segment with this id in a group, before any segment named in `stopAt`. */
export function first(group: PatientGroup, name: string, stopAt: string[] = []): Hl7Segment | undefined {
  for (const s of group.segments) {
    if (stopAt.includes(s.name)) return undefined;
    if (s.name === name) return s;
  }
  return undefined;
}
