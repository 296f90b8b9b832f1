import type { Composite } from './datatypes.js';
import { humanName } from './datatypes.js';

/**
 * XCN (a person named in a message: orderer, author, performer) as a logical Reference: the id
 * (XCN-1) as identifier and the name as display. Hospitium does not create Practitioners from
 * messages; the reference says who it was, as the sender knows them.
 */
export function practitionerReference(xcn: Composite | undefined): Record<string, unknown> | undefined {
  if (!xcn) return undefined;
  const name = humanName({ c: (n) => xcn.c(n + 1), s: (n, m) => xcn.s(n + 1, m) });
  const id = xcn.c(1);
  const display = name
    ? [...((name.prefix as string[]) ?? []), ...((name.given as string[]) ?? []), name.family]
        .filter(Boolean)
        .join(' ')
    : undefined;
  if (!id && !display) return undefined;
  return { ...(id ? { identifier: { value: id } } : {}), ...(display ? { display } : {}) };
}
