import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { badRequest } from '@hospitium/fhir';
import type { TestScript } from '../script/types.js';
import type { FixtureState, RunState, ServerIdentity } from './state.js';

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A Binary fixture is sent as its decoded content with its own content type: the way to carry a
 * JSON Patch (an array, not a resource) inside a TestScript's `contained`.
 */
function fromBinary(body: Record<string, unknown>): Pick<FixtureState, 'body' | 'contentType'> {
  const data = typeof body.data === 'string' ? Buffer.from(body.data, 'base64').toString('utf8') : '';
  const contentType = typeof body.contentType === 'string' ? body.contentType : 'application/octet-stream';
  let parsed: unknown = data;
  try {
    parsed = JSON.parse(data);
  } catch {
    // Not JSON: sent as text.
  }
  return { body: parsed, contentType };
}

/**
 * Loads every fixture of a script into the run state: `#id` → the contained resource with that
 * id (without the id, which only names it), anything else → a JSON file relative to the script. A JSON array (a JSON Patch) is sent as
 * `application/json-patch+json`.
 */
export function loadFixtures(script: TestScript, scriptPath: string, state: RunState): void {
  for (const fixture of script.fixture) {
    const ref = fixture.reference;
    if (!ref) throw badRequest(`Fixture '${fixture.id}' has no resource reference`);
    let body: unknown;
    if (ref.startsWith('#')) {
      const contained = script.contained.find((c) => c.id === ref.slice(1));
      if (contained === undefined)
        throw badRequest(`Fixture '${fixture.id}': no contained resource '${ref}'`);
      // A contained resource's id only names it inside the TestScript: it is not sent.
      const { id: _name, ...content } = contained;
      body = content;
    } else {
      const file = resolve(dirname(scriptPath), ref);
      try {
        body = JSON.parse(readFileSync(file, 'utf8'));
      } catch (err) {
        throw badRequest(`Fixture '${fixture.id}': cannot read ${ref}: ${(err as Error).message}`);
      }
    }
    const loaded: FixtureState = { id: fixture.id, autodelete: fixture.autodelete };
    if (isObject(body) && body.resourceType === 'Binary') Object.assign(loaded, fromBinary(body));
    else if (Array.isArray(body)) Object.assign(loaded, { body, contentType: 'application/json-patch+json' });
    else loaded.body = body;
    state.fixtures.set(fixture.id, loaded);
  }
}

export function getFixture(state: RunState, id: string): FixtureState {
  const fixture = state.fixtures.get(id);
  if (!fixture)
    throw badRequest(`No fixture '${id}' (not declared, and no operation has responseId '${id}')`);
  return fixture;
}

/** `…/Type/id/_history/v` (absolute or relative) → its parts. */
export function parseLocation(location: string | undefined): ServerIdentity | undefined {
  if (!location) return undefined;
  const m = /(?:^|\/)([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/([^/?#]+))?\/?(?:[?#].*)?$/.exec(
    location,
  );
  if (!m) return undefined;
  return { type: m[1], id: m[2], ...(m[3] ? { versionId: m[3] } : {}) };
}

/** The identity a resource body carries (`resourceType`, `id`, `meta.versionId`). */
export function identityOf(body: unknown): ServerIdentity | undefined {
  if (!isObject(body) || typeof body.resourceType !== 'string' || typeof body.id !== 'string')
    return undefined;
  const meta = isObject(body.meta) ? body.meta : {};
  return {
    type: body.resourceType,
    id: body.id,
    ...(typeof meta.versionId === 'string' ? { versionId: meta.versionId } : {}),
  };
}

/**
 * The server resource a fixture stands for, as an operation's `targetId`: a response fixture →
 * the resource in its body (or its Location); a static fixture → where the script created it,
 * else the `id` it was written with.
 */
export function targetIdentity(state: RunState, fixtureId: string): ServerIdentity {
  const fixture = getFixture(state, fixtureId);
  const found = fixture.exchange
    ? (identityOf(fixture.exchange.response.body) ??
      parseLocation(
        fixture.exchange.response.headers['content-location'] ?? fixture.exchange.response.headers.location,
      ))
    : (fixture.created ?? identityOf(fixture.body));
  if (!found) throw badRequest(`Fixture '${fixtureId}' does not identify a resource (no type and id)`);
  return found;
}

/** The body of a fixture as asserts and variables see it: the response body or the static body. */
export function fixtureBody(state: RunState, fixtureId: string): unknown {
  const fixture = getFixture(state, fixtureId);
  return fixture.exchange ? fixture.exchange.response.body : fixture.body;
}
