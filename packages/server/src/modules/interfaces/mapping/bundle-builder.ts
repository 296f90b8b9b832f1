import { randomUUID } from 'node:crypto';
import type { Bundle, BundleEntry, Resource } from '@hospitium/fhir';
import {
  type ErrorLocation,
  formatLocation,
  type Hl7Issue,
  type Hl7Message,
  type Hl7Segment,
} from '@hospitium/hl7v2';
import { mappingError } from './mapping-error.js';

/** Channel settings the mappers need. */
export interface MappingSettings {
  /** Zone offset for v2 times without one (`+01:00`, `Z`); FHIR needs a zone on every time. */
  timezoneOffset: string;
}

/** An identifier as a search token `system|value` (how the store and the message log index it). */
export interface IdentifierKey {
  system: string;
  value: string;
}

/**
 * Collects the transaction entries one message becomes. Every entry remembers the segment it
 * came from, so a FHIR failure on `Bundle.entry[i]` can be reported in the ACK as that segment.
 * Conditional updates keyed by identifier are de-duplicated: two segments naming the same
 * Location share one entry.
 */
export class BundleBuilder {
  readonly entries: BundleEntry[] = [];
  readonly sources: ErrorLocation[] = [];
  readonly issues: Hl7Issue[] = [];
  /** Patient identifiers (`system|value`) the message is about, for the message store. */
  readonly patientIds = new Set<string>();
  /** Entry indexes whose existing resource's fields must survive the update (Patient.link after a merge). */
  readonly preserve = new Map<number, string[]>();
  /** Entry indexes whose resource must already exist (a cancel names a known order): where to point the AE, and what it is. */
  readonly mustExist = new Map<number, { location: ErrorLocation; what: string }>();
  /** Entry index → values for fields that neither the message nor the stored resource has (a notification's empty content). */
  readonly fallbacks = new Map<number, Record<string, unknown>>();
  private readonly byUrl = new Map<string, string>();
  private readonly sequences = new Map<Hl7Segment, number>();

  constructor(
    readonly message: Hl7Message,
    readonly settings: MappingSettings,
  ) {
    const counts = new Map<string, number>();
    for (const s of message.segments) {
      const n = (counts.get(s.name) ?? 0) + 1;
      counts.set(s.name, n);
      this.sequences.set(s, n);
    }
  }

  /** Where a segment (and optionally a field) is, for ERR-2 and error messages. */
  at(seg: Hl7Segment, field?: number, component?: number): ErrorLocation {
    return { segment: seg.name, sequence: this.sequences.get(seg) ?? 1, field, component };
  }

  /** Adds (or replaces) the resource for `type?identifier=key`; returns its fullUrl to reference. */
  upsert(resource: Resource, key: IdentifierKey, source: ErrorLocation, preserve?: string[]): string {
    const url = `${resource.resourceType}?identifier=${encodeURIComponent(key.system)}|${encodeURIComponent(escapeToken(key.value))}`;
    const existing = this.byUrl.get(url);
    if (existing) {
      const index = this.entries.findIndex((e) => e.fullUrl === existing);
      this.entries[index] = { ...this.entries[index], resource };
      return existing;
    }
    const fullUrl = `urn:uuid:${randomUUID()}`;
    this.byUrl.set(url, fullUrl);
    if (preserve) this.preserve.set(this.entries.length, preserve);
    this.entries.push({ fullUrl, resource, request: { method: 'PUT', url } });
    this.sources.push(source);
    return fullUrl;
  }

  /**
   * Adds a create that happens only when no resource has this identifier yet (`ifNoneExist`):
   * for reference data such as Locations, which every ADT message names but should not get a
   * new version each time. Returns the fullUrl to reference.
   */
  ensure(resource: Resource, key: IdentifierKey, source: ErrorLocation): string {
    const criteria = `identifier=${encodeURIComponent(key.system)}|${encodeURIComponent(escapeToken(key.value))}`;
    const url = `${resource.resourceType}?${criteria}`;
    const existing = this.byUrl.get(url);
    if (existing) return existing;
    const fullUrl = `urn:uuid:${randomUUID()}`;
    this.byUrl.set(url, fullUrl);
    this.entries.push({
      fullUrl,
      resource,
      request: { method: 'POST', url: resource.resourceType, ifNoneExist: criteria },
    });
    this.sources.push(source);
    return fullUrl;
  }

  /** Adds a plain create (no identifier to match on). */
  create(resource: Resource, source: ErrorLocation): string {
    const fullUrl = `urn:uuid:${randomUUID()}`;
    this.entries.push({ fullUrl, resource, request: { method: 'POST', url: resource.resourceType } });
    this.sources.push(source);
    return fullUrl;
  }

  /** Adds an update of a resource whose id is known (A40: the merged-away patient). */
  update(resource: Resource & { id: string }, source: ErrorLocation): void {
    this.entries.push({
      fullUrl: `urn:uuid:${randomUUID()}`,
      resource,
      request: { method: 'PUT', url: `${resource.resourceType}/${resource.id}` },
    });
    this.sources.push(source);
  }

  /** The bundle index of an entry, by the fullUrl `upsert`/`ensure`/`create` returned. */
  indexOf(fullUrl: string): number {
    return this.entries.findIndex((e) => e.fullUrl === fullUrl);
  }

  /** A problem that does not stop the message (reported as an ERR warning with AA). */
  warn(location: ErrorLocation, text: string): void {
    this.issues.push({ code: '102', severity: 'W', location, text: `${formatLocation(location)}: ${text}` });
  }

  /** A required value that is missing: the message cannot be applied. */
  required(location: ErrorLocation, what: string): never {
    throw mappingError(location, `${formatLocation(location)} (${what}) is required`, 'required');
  }

  bundle(): Bundle {
    return { resourceType: 'Bundle', type: 'transaction', entry: this.entries };
  }
}

/** Escapes `\ , $ |` in a token search value (FHIR search escaping). */
function escapeToken(value: string): string {
  return value.replace(/[\\,$|]/g, (c) => `\\${c}`);
}
