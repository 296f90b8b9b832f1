import type { Repository } from '@hospitium/db';
import type { Resource } from '@hospitium/fhir';
import type { OutboundChannel } from '../../channels/outbound-channel.js';
import type { OutboxEntry } from '../outbox.js';
import type { RenderInput } from './segments.js';

type Rec = Resource & Record<string, unknown>;
type Ref = { reference?: string };

/**
 * Reads what the message for an outbox event is made of: the focus resource at the version that
 * raised the event, the patient, the visit, locations up their `partOf` hierarchy, practitioners,
 * the order a report is based on and the report's observations (current versions). Rendering
 * happens at the first delivery attempt, after COMMIT, so everything the transaction wrote
 * (observations created after their report in one bundle) is there.
 */
export async function loadRenderInput(
  repository: Repository,
  entry: OutboxEntry,
  channel: OutboundChannel,
  controlId: string,
  now: Date,
): Promise<RenderInput> {
  const [type, id] = entry.focus.split('/');
  const focus = (await repository.readVersion(type, id, String(entry.focusVersion))) as Rec;
  const optional = async (ref: string | undefined): Promise<Rec | undefined> => {
    if (!ref || !/^[A-Za-z]+\/[A-Za-z0-9\-.]{1,64}$/.test(ref)) return undefined;
    const [t, i] = ref.split('/');
    try {
      return (await repository.readResource(t, i)) as Rec;
    } catch {
      return undefined;
    }
  };
  const patient = type === 'Patient' ? focus : await optional(entry.patient);
  if (!patient) throw new Error(`${entry.patient} cannot be read`);
  let encounter: Rec | undefined;
  if (type === 'Encounter') encounter = focus;
  else if (type === 'Patient') {
    const found = await repository.search({
      resourceType: 'Encounter',
      filters: [{ code: 'subject', values: [entry.patient] }],
      sort: [{ code: '_lastUpdated', descending: true }],
      count: 1,
    });
    encounter = found.resources[0] as Rec | undefined;
  } else encounter = await optional((focus.encounter as Ref | undefined)?.reference);

  const related = new Map<string, Resource>();
  const remember = async (ref: string | undefined): Promise<Rec | undefined> => {
    if (!ref || related.has(ref)) return related.get(ref ?? '') as Rec | undefined;
    const r = await optional(ref);
    if (r) related.set(ref, r);
    return r;
  };
  for (const l of (encounter?.location as { location?: Ref }[] | undefined) ?? []) {
    let ref = l.location?.reference;
    for (let depth = 0; ref && depth < 6; depth++)
      ref = ((await remember(ref))?.partOf as Ref | undefined)?.reference;
  }
  for (const p of (encounter?.participant as { individual?: Ref }[] | undefined) ?? [])
    await remember(p.individual?.reference);
  const input: RenderInput = { event: entry.event, channel, controlId, now, patient, encounter, related };
  if (type === 'ServiceRequest') {
    input.order = focus;
    await remember((focus.requester as Ref | undefined)?.reference);
  }
  if (type === 'DiagnosticReport') {
    input.report = focus;
    await remember((focus.basedOn as Ref[] | undefined)?.[0]?.reference);
    const observations: Resource[] = [];
    for (const r of (focus.result as Ref[] | undefined) ?? []) {
      const o = await optional(r.reference);
      if (o) observations.push(o);
    }
    input.observations = observations;
  }
  return input;
}
