import type { CodeableConcept, Period, Quantity, Reference, Resource } from '../../api/fhir-types';
import { hospitalConfig } from '../../app/config';

/** The words of a concept: its text, else the first coding's display, else its code. */
export function conceptText(concept: CodeableConcept | undefined): string {
  if (!concept) return '';
  return concept.text ?? concept.coding?.find((c) => c.display)?.display ?? concept.coding?.[0]?.code ?? '';
}

/** `system|code` of a concept's first coding: the key to group observations by. */
export function conceptKey(concept: CodeableConcept | undefined): string {
  const c = concept?.coding?.[0];
  return c ? `${c.system ?? ''}|${c.code ?? ''}` : '';
}

export interface Observation extends Resource {
  resourceType: 'Observation';
  status?: string;
  code?: CodeableConcept;
  category?: CodeableConcept[];
  effectiveDateTime?: string;
  effectivePeriod?: Period;
  issued?: string;
  valueQuantity?: Quantity;
  valueCodeableConcept?: CodeableConcept;
  valueString?: string;
  valueBoolean?: boolean;
  interpretation?: CodeableConcept[];
  component?: { code?: CodeableConcept; valueQuantity?: Quantity }[];
}

/** When an observation was made (its effective time, else when it was issued). */
export function observedAt(o: Observation): string {
  return o.effectiveDateTime ?? o.effectivePeriod?.start ?? o.issued ?? '';
}

const round = (n: number) => (Math.abs(n) >= 100 ? Math.round(n) : Math.round(n * 100) / 100);

/** The value as a person reads it: "120 mm[Hg]", "120/80 mm[Hg]" for blood pressure, "Positive". */
export function observationValue(o: Observation): string {
  if (o.valueQuantity?.value !== undefined) {
    return `${round(o.valueQuantity.value)} ${o.valueQuantity.unit ?? o.valueQuantity.code ?? ''}`.trim();
  }
  if (o.valueCodeableConcept) return conceptText(o.valueCodeableConcept);
  if (o.valueString !== undefined) return o.valueString;
  if (o.valueBoolean !== undefined) return o.valueBoolean ? 'Yes' : 'No';
  const parts = (o.component ?? []).filter((c) => c.valueQuantity?.value !== undefined);
  if (parts.length > 0) {
    const unit = parts[0]!.valueQuantity?.unit ?? '';
    return `${parts.map((c) => round(c.valueQuantity!.value!)).join('/')} ${unit}`.trim();
  }
  return '';
}

/** The number a trend chart plots (the first component for blood pressure); undefined if none. */
export function observationNumber(o: Observation): number | undefined {
  return (
    o.valueQuantity?.value ??
    o.component?.find((c) => c.valueQuantity?.value !== undefined)?.valueQuantity?.value
  );
}

/** The most recent observation of each code, most recent first. */
export function latestByCode(observations: readonly Observation[]): Observation[] {
  const latest = new Map<string, Observation>();
  for (const o of observations) {
    if (o.status === 'entered-in-error') continue;
    const key = conceptKey(o.code) || conceptText(o.code);
    const seen = latest.get(key);
    if (!seen || observedAt(o) > observedAt(seen)) latest.set(key, o);
  }
  return [...latest.values()].sort((a, b) => observedAt(b).localeCompare(observedAt(a)));
}

/** The series of one code for a chart, oldest first. */
export function trendSeries(observations: readonly Observation[]): { date: string; value: number }[] {
  return observations
    .filter((o) => o.status !== 'entered-in-error')
    .map((o) => ({ at: observedAt(o), value: observationNumber(o) }))
    .filter((p): p is { at: string; value: number } => p.at !== '' && p.value !== undefined)
    .sort((a, b) => a.at.localeCompare(b.at))
    .map((p) => ({ date: p.at.slice(0, 10), value: p.value }));
}

export interface Encounter extends Resource {
  resourceType: 'Encounter';
  status?: string;
  class?: { code?: string; display?: string };
  type?: CodeableConcept[];
  period?: Period;
  reasonCode?: CodeableConcept[];
  participant?: { type?: CodeableConcept[]; individual?: Reference }[];
  location?: {
    location?: Reference;
    status?: string;
    physicalType?: CodeableConcept;
  }[];
}

/** Where the patient is now: the bed (or else the ward) of the in-progress encounter. */
export function currentLocation(encounter: Encounter | undefined): string {
  if (!encounter) return '';
  const active = (encounter.location ?? []).filter((l) => l.status !== 'completed');
  const bed = active.find((l) =>
    l.physicalType?.coding?.some((c) => c.code === hospitalConfig.bedPhysicalType),
  );
  const chosen = bed ?? active[0];
  return chosen?.location?.display ?? '';
}

/** The attending physician named on the encounter. */
export function attendingOf(encounter: Encounter | undefined): string {
  const p = encounter?.participant?.find((x) =>
    x.type?.some((t) => t.coding?.some((c) => c.code === hospitalConfig.attendingParticipantType)),
  );
  return p?.individual?.display ?? '';
}

/** A date or date-time as a short local date ("2024-05-31"); '' when absent. */
export function shortDate(value: string | undefined): string {
  return value ? value.slice(0, 10) : '';
}

/**
 * The active Flag that records a code status, from a patient's flags: one whose code has a
 * coding among `codes` (`system|code`). Flags are searched by patient only (R4 gives Flag no
 * `code` or `status` search parameter), so the choice is made here.
 */
export function codeStatusFlag<
  T extends { status?: string; code?: { coding?: { system?: string; code?: string }[] } },
>(flags: readonly T[], codes: readonly string[]): T | undefined {
  return flags.find(
    (f) =>
      f.status === 'active' && (f.code?.coding ?? []).some((c) => codes.includes(`${c.system}|${c.code}`)),
  );
}
