import {
  extractIndexes,
  getSearchParameter,
  type IndexRows,
  type Resource,
  serverError,
} from '@hospitium/fhir';
import type { Database } from '../engine/types.js';
import { toDatabaseError } from '../errors.js';
import type { SearchParameterLookup } from '../search/build-query.js';
import { searchCompartment } from './compartment.js';
import type { StoreContext } from './context.js';
import { history } from './history.js';
import { includeResources } from './include.js';
import { readResource, readResourceText, readVersion } from './read.js';
import { search, searchFew } from './search.js';
import type { ChangeListener, Repository } from './types.js';
import { createResources, deleteResource, updateResource } from './write.js';

export interface RepositoryOptions {
  /** SearchParameter lookup; default: the R4 registry of @hospitium/fhir. */
  searchParameters?: SearchParameterLookup;
  /** Index extraction; default: extractIndexes of @hospitium/fhir. */
  extractIndexes?: (resource: Resource) => IndexRows;
  /**
   * Told of every create, update and delete inside its transaction (creates then run in a
   * transaction of their own too, and updates read the version they replace). Without a
   * listener writes cost nothing extra.
   */
  onChange?: ChangeListener;
}

/**
 * The FHIR store on a database (see Repository). Reads are one statement; creates are one
 * statement per call whatever the batch size; updates and deletes lock the current row in a
 * short transaction. Every failure is an OperationOutcomeError.
 */
export function createRepository(db: Database, options: RepositoryOptions = {}): Repository {
  return bind({
    db,
    q: db,
    bound: false,
    lookup: options.searchParameters ?? getSearchParameter,
    extract: options.extractIndexes ?? extractIndexes,
    onChange: options.onChange,
  });
}

/** Transaction-scoped advisory locks on conditional keys, taken in one statement, in the order given. */
async function lockConditionals(ctx: StoreContext, keys: readonly string[]): Promise<void> {
  if (!ctx.bound) throw serverError(new Error('lockConditional needs withTransaction'));
  const wanted = [...new Set(keys)].filter((k) => !ctx.held?.has(k));
  if (wanted.length === 0) return;
  try {
    // unnest returns the array's elements in order, so the locks are taken in that order.
    await ctx.q.query(
      'SELECT pg_advisory_xact_lock(hashtextextended(k, 0)) FROM unnest($1::text[]) AS k',
      [wanted],
      {
        prepare: true,
      },
    );
  } catch (err) {
    throw toDatabaseError(err);
  }
  for (const k of wanted) ctx.held?.add(k);
}

function bind(ctx: StoreContext): Repository {
  const repository: Repository = {
    async createResource<T extends Resource>(resource: T, options?: { id?: string }): Promise<T> {
      const [created] = await createResources(ctx, [resource], [options?.id]);
      return created as T;
    },
    createResources: (resources, options) => createResources(ctx, resources, options?.ids),
    readResource: (resourceType, id) => readResource(ctx, resourceType, id),
    readResourceText: (resourceType, id) => readResourceText(ctx, resourceType, id),
    readVersion: (resourceType, id, versionId) => readVersion(ctx, resourceType, id, versionId),
    updateResource: (resource, options) => updateResource(ctx, resource, options),
    deleteResource: (resourceType, id, options) => deleteResource(ctx, resourceType, id, options),
    history: (request) => history(ctx, request),
    search: (request) => search(ctx, request),
    includeResources: (matches, request) => includeResources(ctx, matches, request),
    searchCompartment: (request) => searchCompartment(ctx, request),
    lockConditional: (key) => lockConditionals(ctx, [key]),
    lockConditionals: (keys) => lockConditionals(ctx, keys),
    searchFew: (requests) => searchFew(ctx, requests),
    async withTransaction<T>(fn: (repo: Repository) => Promise<T>): Promise<T> {
      // Nested calls join the transaction already open. Inside fn, use only the repository fn
      // receives: on PGlite (one session) a call on the outer repository would queue behind this
      // very transaction and never run.
      if (ctx.bound) return fn(repository);
      try {
        return await ctx.db.transaction((tx) => fn(bind({ ...ctx, q: tx, bound: true, held: new Set() })));
      } catch (err) {
        throw toDatabaseError(err);
      }
    },
  };
  return repository;
}
