import type { Variable } from '../script/types.js';
import type { Exchange, SentRequest } from './http.js';

/** Where a fixture's resource lives on the server once the script has created or updated it. */
export interface ServerIdentity {
  type: string;
  id: string;
  versionId?: string;
}

/**
 * A fixture during a run: a static body (from a contained resource or a file), or a response
 * kept under an operation's `responseId`.
 */
export interface FixtureState {
  id: string;
  /** The static body as written (variables are substituted when it is sent). */
  body?: unknown;
  /** The content type to send a non-resource body with (JSON Patch arrays, Binary content). */
  contentType?: string;
  /** Set when the fixture was created on the server (`autocreate` or a create with `sourceId`). */
  created?: ServerIdentity;
  autodelete?: boolean;
  /** Set for response fixtures. */
  exchange?: Exchange;
}

/** Everything one script run remembers between actions. */
export class RunState {
  readonly fixtures = new Map<string, FixtureState>();
  readonly requests = new Map<string, SentRequest>();
  /** The most recent exchange: the default subject of asserts and variables. */
  last?: Exchange;

  constructor(
    readonly base: string,
    readonly variables: readonly Variable[],
  ) {}
}
