/**
 * A B-tree entry in PostgreSQL must fit in about a third of a page (2,704 bytes), so an indexed
 * text column cannot hold an arbitrarily long value: a 6 KB identifier or name would make the whole
 * write fail. Indexed text is therefore cut to INDEX_KEY_MAX_CHARS characters (at most 1 KB of
 * UTF-8 per column), and search values are cut the same way before they are compared, so equality
 * and prefix matches stay exact for values up to that length. Two longer values that share their
 * first 256 characters match each other: a documented, harmless over-match.
 */
export const INDEX_KEY_MAX_CHARS = 256;

/** The indexed form of a text value: at most INDEX_KEY_MAX_CHARS characters, never a split surrogate pair. */
export function indexKey(value: string): string;
export function indexKey(value: string | null): string | null;
export function indexKey(value: string | null): string | null {
  if (value === null || value.length <= INDEX_KEY_MAX_CHARS) return value;
  let end = INDEX_KEY_MAX_CHARS;
  const last = value.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return value.slice(0, end);
}
