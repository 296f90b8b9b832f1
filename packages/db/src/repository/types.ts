import type { Resource } from '@hospitium/fhir';
import type { Queryable } from '../engine/types.js';

/**
 * One change a write made: `before` absent on a create, `after` absent on a delete; both are
 * the stored resources (with id and meta).
 */
export interface ResourceChange {
  before?: Resource;
  after?: Resource;
}

/**
 * Called inside the write's transaction, after the change is written and before COMMIT, with
 * the transaction's connection: what it writes commits or rolls back with the change (the
 * outbox). A failure fails the write.
 */
export type ChangeListener = ((q: Queryable, changes: readonly ResourceChange[]) => Promise<void>) & {
  /**
   * The resource types it wants to hear of; absent = every type. A write of any other type skips
   * the listener and with it the transaction and the read of the replaced version.
   */
  readonly types?: ReadonlySet<string>;
};

/** The listener when it wants changes of `resourceType`, else undefined. */
export function listenerFor(
  listener: ChangeListener | undefined,
  resourceType: string,
): ChangeListener | undefined {
  return listener && (!listener.types || listener.types.has(resourceType)) ? listener : undefined;
}

/** A parsed search: `GET [type]?params`. Values are raw strings as in the URL, split on `,` by the parser. */
export interface SearchFilter {
  /** SearchParameter code, e.g. `subject`, `_id`, `_lastUpdated`. */
  code: string;
  /** Modifier after `:`, e.g. `exact`, `missing`, `Patient` (reference type), or undefined. */
  modifier?: string;
  /** OR-ed values (the comma-separated parts of one query parameter). Prefixes stay in the value (`ge2020`). */
  values: string[];
}

/**
 * A compartment (`Patient/1`) and the reference parameters of the searched type that put a
 * resource in it (Observation: `subject`, `performer` — any of them, from the CompartmentDefinition).
 */
export interface CompartmentFilter {
  resourceType: string;
  id: string;
  params: string[];
}

export interface SearchRequest {
  resourceType: string;
  /**
   * System-wide search (`GET [base]?_type=A,B`): the types searched, in place of `resourceType`
   * when non-empty. Only parameters defined (with one type) on every one of them are allowed.
   */
  resourceTypes?: string[];
  /** AND-ed filters (one per repetition of a query parameter). */
  filters: SearchFilter[];
  /** Compartment search (`Patient/1/Observation`): only resources in that compartment. */
  compartment?: CompartmentFilter;
  /** Page size; default 20, max 1000. 0 = count only. */
  count?: number;
  offset?: number;
  /** `_sort` keys, `-` prefix for descending. */
  sort?: { code: string; descending: boolean }[];
  total?: 'none' | 'estimate' | 'accurate';
  /**
   * The caller expects few matches (a conditional target by identifier): the matches are found
   * first at once, without probing the index for how many there are (one statement, not two).
   */
  fewMatches?: boolean;
}

export interface SearchResult {
  resources: Resource[];
  /** Present when total was requested (accurate) or cheap to know. */
  total?: number;
  /** True when there are more results after this page. */
  hasMore: boolean;
}

/**
 * One `_include` or `_revinclude` parameter. For `_include` the resourceType is the type whose
 * reference is followed (`Observation:subject:Patient`); for `_revinclude` it is the type that
 * holds the reference (`Provenance:target`). `*` means any (type or parameter).
 */
export interface IncludeParam {
  resourceType: string;
  /** Reference SearchParameter code, or `*`. */
  param: string;
  /** Only references to this type (the third part, `:Patient`). */
  targetType?: string;
  /** `:iterate`: also applied to included resources, level after level. */
  iterate?: boolean;
}

export interface IncludeRequest {
  include?: IncludeParam[];
  revinclude?: IncludeParam[];
  /** Largest number of resources to include (default 1000). */
  maxIncluded?: number;
}

export interface IncludeResult {
  /** The included resources, without the matches and without duplicates. */
  resources: Resource[];
  /** True when maxIncluded cut the list short. */
  truncated: boolean;
}

/** A page of everything in one compartment (`Patient/1/$everything`). */
export interface CompartmentRequest {
  /**
   * The compartment's owner (included itself, first). Without an id: every compartment of that
   * type at once (type-level `Patient/$everything`), owners first.
   */
  compartment: { resourceType: string; id?: string };
  /** The (type, reference parameter) pairs that put a resource in the compartment. */
  links: { resourceType: string; param: string }[];
  /** Only these types (`_type`). */
  types?: string[];
  /** Only resources changed after this instant (`_since`). */
  since?: string;
  /** Page size (default 20, at most 1000) and position. */
  count?: number;
  offset?: number;
}

export interface HistoryRequest {
  resourceType?: string;
  id?: string;
  /** Only versions with lastUpdated > since. */
  since?: string;
  count?: number;
  offset?: number;
}

/** One version in a history: a deleted version has no resource. */
export interface HistoryEntry {
  resourceType: string;
  id: string;
  versionId: string;
  lastUpdated: string;
  deleted: boolean;
  resource?: Resource;
  /** How the version was made, for Bundle.entry.request in history bundles. */
  method: 'POST' | 'PUT' | 'DELETE' | 'PATCH';
}

export interface WriteOptions {
  /** Expected current versionId (from If-Match, already stripped of W/"…"). Stale → 412. */
  ifMatch?: string;
  /** How the new version was made, recorded in history (updateResource only; default PUT). */
  method?: 'PUT' | 'PATCH';
}

export interface UpdateResult {
  resource: Resource;
  /** True when the update created the resource (update-as-create with a client id). */
  created: boolean;
}

export interface DeleteResult {
  /** versionId of the deletion marker; undefined when the resource did not exist or was already deleted. */
  versionId?: string;
}

/**
 * The FHIR store. All writes validate the resource against the R4 definitions (400/422 on failure),
 * assign `meta.versionId` (1, 2, …) and `meta.lastUpdated`, keep every version in history and
 * maintain the search indexes, in one database transaction per call (or in the caller's
 * transaction inside `withTransaction`).
 * Errors are OperationOutcomeError: 404 not found, 410 deleted, 412 stale If-Match, 409 conflict.
 */
export interface Repository {
  /** Server-assigned id (UUID) unless `options.id` is given (used by bundle processing for urn:uuid). */
  createResource<T extends Resource>(resource: T, options?: { id?: string }): Promise<T>;
  /** Bulk create in one round of statements per table (ids assigned as in createResource). */
  createResources(resources: Resource[], options?: { ids?: string[] }): Promise<Resource[]>;
  readResource(resourceType: string, id: string): Promise<Resource>;
  /** The current version's JSON text exactly as stored (fast path for GET). */
  readResourceText(
    resourceType: string,
    id: string,
  ): Promise<{ text: string; versionId: string; lastUpdated: string }>;
  readVersion(resourceType: string, id: string, versionId: string): Promise<Resource>;
  /** Update (or create with the client's id when absent or deleted). */
  updateResource(resource: Resource, options?: WriteOptions): Promise<UpdateResult>;
  deleteResource(resourceType: string, id: string, options?: WriteOptions): Promise<DeleteResult>;
  history(request: HistoryRequest): Promise<{ entries: HistoryEntry[]; total: number }>;
  search(request: SearchRequest): Promise<SearchResult>;
  /**
   * The resources that `_include` / `_revinclude` add to a page of `matches` (one statement per
   * include level, whatever the page size; see repository/include.ts).
   */
  includeResources(
    matches: readonly { resourceType: string; id: string }[],
    request: IncludeRequest,
  ): Promise<IncludeResult>;
  /** One page of a whole compartment, every type at once, in one statement (repository/compartment.ts). */
  searchCompartment(request: CompartmentRequest): Promise<SearchResult>;
  /**
   * Serialises conditional writes on the same criteria (`Patient?identifier=x|y`): takes a
   * transaction-scoped advisory lock on the key, so two parallel `If-None-Exist` creates cannot
   * both find nothing and both create. Only inside withTransaction (400 otherwise): the lock is
   * released when that transaction ends.
   */
  lockConditional(key: string): Promise<void>;
  /**
   * lockConditional for several keys in one statement, taken in the order given (callers keep
   * one global order, e.g. sorted, so two transactions cannot wait on each other in a circle);
   * keys this transaction already holds are skipped.
   */
  lockConditionals(keys: readonly string[]): Promise<void>;
  /**
   * Several searches that each match few resources (conditional targets), run as one statement:
   * for each request, its first `count` matches (default 20) in the request's order. Used to
   * resolve every conditional entry of a transaction bundle in one round trip.
   */
  searchFew(requests: readonly SearchRequest[]): Promise<Resource[][]>;
  /** Runs fn with a repository bound to one database transaction; all or nothing. */
  withTransaction<T>(fn: (repo: Repository) => Promise<T>): Promise<T>;
}
