import type { SearchFilter } from '../repository/types.js';

/** A search filter from `name[:modifier]` and its values, as tests write them: `f('code:not', 'x')`. */
export function searchFilter(name: string, ...values: string[]): SearchFilter {
  const colon = name.indexOf(':');
  return colon < 0
    ? { code: name, values }
    : { code: name.slice(0, colon), modifier: name.slice(colon + 1), values };
}
