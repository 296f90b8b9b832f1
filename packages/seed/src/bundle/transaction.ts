import type { Bundle, BundleEntry, Resource } from '@hospitium/fhir';
import type { Random } from '../random/random.js';

/** A reference as the generated resources write it, with the display a chart would show. */
export interface Ref {
  readonly reference: string;
  readonly display?: string;
}

/**
 * A reference that the server resolves by searching, so a patient bundle can point at a shared
 * resource without knowing its id: `Practitioner?identifier=system|value`.
 */
export function conditionalReference(type: string, system: string, value: string, display?: string): Ref {
  return { reference: `${type}?identifier=${system}|${value}`, display };
}

/**
 * Collects the entries of one transaction Bundle. New resources are POSTed with `urn:uuid:`
 * fullUrls drawn from the generator's random stream (so the output is reproducible); shared
 * resources are written with a conditional update on their identifier, so loading the shared
 * bundle twice updates instead of duplicating.
 */
export class TransactionBuilder {
  private readonly entries: BundleEntry[] = [];

  constructor(private readonly random: Random) {}

  /** Adds `POST [type]`; returns the `urn:uuid:` reference the other entries use. */
  post(resource: Resource, display?: string): Ref {
    const fullUrl = `urn:uuid:${this.random.uuid()}`;
    this.entries.push({ fullUrl, resource, request: { method: 'POST', url: resource.resourceType } });
    return { reference: fullUrl, display };
  }

  /** Adds `PUT [type]?identifier=system|value` (create or update by identifier). */
  putByIdentifier(resource: Resource, system: string, value: string, display?: string): Ref {
    const fullUrl = `urn:uuid:${this.random.uuid()}`;
    this.entries.push({
      fullUrl,
      resource,
      request: { method: 'PUT', url: `${resource.resourceType}?identifier=${system}|${value}` },
    });
    return { reference: fullUrl, display };
  }

  get size(): number {
    return this.entries.length;
  }

  build(): Bundle {
    return { resourceType: 'Bundle', type: 'transaction', entry: this.entries };
  }
}
