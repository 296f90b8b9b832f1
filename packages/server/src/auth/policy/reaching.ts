import { getSearchParameter } from '@hospitium/fhir';
import type { AccessRequest } from './access-request.js';

/** A search parameter that reaches resources of other types, and the types it can reach. */
export interface Reach {
  /** The parameter as written (`_revinclude`, `_has:Observation:patient:code`, `subject.name`). */
  param: string;
  types: string[];
}

/** Every type a reference parameter of `type` may point to (all listed targets, or `*`). */
function targetsOf(type: string, code: string): string[] {
  const def = getSearchParameter(type, code);
  if (def?.type !== 'reference') return [];
  return def.target.length > 0 ? def.target : ['*'];
}

/**
 * The other resource types a search reaches through `_include`, `_revinclude`, `_has` and
 * chains, so that a role that may not see them (or only for related patients) cannot use the
 * search as a side door. Unknown parameters reach nothing here (the search itself rejects them).
 */
export function reachedTypes(request: AccessRequest, body?: unknown): Reach[] {
  const entries = [...request.query.entries()];
  if (body instanceof URLSearchParams) entries.push(...body.entries());
  const base = request.resourceType;
  const out: Reach[] = [];
  for (const [key, value] of entries) {
    const name = key.split(':')[0];
    if (name === '_include' || name === '_revinclude') {
      for (const item of value.split(',')) {
        const [type, code, target] = item.split(':');
        if (!type || !code) continue;
        if (name === '_revinclude') out.push({ param: key, types: [type] });
        else out.push({ param: key, types: target ? [target] : targetsOf(type, code) });
      }
    } else if (key.startsWith('_has:')) {
      const parts = key.split(':');
      const types: string[] = [];
      for (let i = 0; i < parts.length - 1; i++) if (parts[i] === '_has') types.push(parts[i + 1]);
      out.push({ param: key, types });
    } else if (!key.startsWith('_') && key.includes('.')) {
      const [first] = key.split('.');
      const [code, modifier] = first.split(':');
      out.push({ param: key, types: modifier ? [modifier] : targetsOf(base, code) });
    }
  }
  return out;
}
