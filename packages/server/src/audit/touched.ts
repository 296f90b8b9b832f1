import type { Repository } from '@hospitium/db';
import { isOperationOutcomeError, type Resource } from '@hospitium/fhir';
import { patientsOf } from './patients.js';

/**
 * The resources one interaction read and wrote, as the repository handed them over. The
 * AuditEvent names the patients they belong to and the resources written; JSON text of a read
 * is parsed only when the event is built.
 */
export class TouchedResources {
  private readonly read: (Resource | string)[] = [];
  readonly written: Resource[] = [];

  /** Forgets everything (a write transaction is about to run again). */
  clear(): void {
    this.read.length = 0;
    this.written.length = 0;
  }

  noteRead(resource: Resource | string): void {
    this.read.push(resource);
  }

  noteWritten(resource: Resource): void {
    this.written.push(resource);
  }

  /** Distinct ids of the patients of every resource read or written, in first-seen order. */
  patients(): string[] {
    const out = new Set<string>();
    for (const item of [...this.written, ...this.read]) {
      const resource = typeof item === 'string' ? (JSON.parse(item) as Resource) : item;
      for (const id of patientsOf(resource)) out.add(id);
    }
    return [...out];
  }
}

/**
 * A repository that notes in `touched` every resource its calls return or write, so an
 * interaction is audited by what it really did (including conditional matches, includes and
 * `$everything` pages) without each handler reporting it. A delete first reads the current
 * version (in the same transaction) so its patient is known.
 */
export function trackingRepository(repository: Repository, touched: TouchedResources): Repository {
  const readAll = <T extends { resources: Resource[] }>(result: T): T => {
    for (const r of result.resources) touched.noteRead(r);
    return result;
  };
  return {
    async createResource(resource, options) {
      const created = await repository.createResource(resource, options);
      touched.noteWritten(created);
      return created;
    },
    async createResources(resources, options) {
      const created = await repository.createResources(resources, options);
      for (const r of created) touched.noteWritten(r);
      return created;
    },
    async readResource(resourceType, id) {
      const resource = await repository.readResource(resourceType, id);
      touched.noteRead(resource);
      return resource;
    },
    async readResourceText(resourceType, id) {
      const result = await repository.readResourceText(resourceType, id);
      touched.noteRead(result.text);
      return result;
    },
    async readVersion(resourceType, id, versionId) {
      const resource = await repository.readVersion(resourceType, id, versionId);
      touched.noteRead(resource);
      return resource;
    },
    async updateResource(resource, options) {
      const result = await repository.updateResource(resource, options);
      touched.noteWritten(result.resource);
      return result;
    },
    async deleteResource(resourceType, id, options) {
      let current: Resource | undefined;
      try {
        current = await repository.readResource(resourceType, id);
      } catch (err) {
        // Deleting what is absent or already deleted succeeds (R4); anything else is a failure.
        if (!isOperationOutcomeError(err) || (err.status !== 404 && err.status !== 410)) throw err;
      }
      const result = await repository.deleteResource(resourceType, id, options);
      if (current && result.versionId !== undefined) {
        touched.noteWritten({ ...current, meta: { ...current.meta, versionId: result.versionId } });
      }
      return result;
    },
    async history(request) {
      const result = await repository.history(request);
      for (const entry of result.entries) if (entry.resource) touched.noteRead(entry.resource);
      return result;
    },
    search: async (request) => readAll(await repository.search(request)),
    includeResources: async (matches, request) =>
      readAll(await repository.includeResources(matches, request)),
    searchCompartment: async (request) => readAll(await repository.searchCompartment(request)),
    lockConditional: (key) => repository.lockConditional(key),
    lockConditionals: (keys) => repository.lockConditionals(keys),
    async searchFew(requests) {
      const found = await repository.searchFew(requests);
      for (const list of found) for (const r of list) touched.noteRead(r);
      return found;
    },
    withTransaction: (fn) => repository.withTransaction((tx) => fn(trackingRepository(tx, touched))),
  };
}
