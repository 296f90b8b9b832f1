import { describe, expect, it } from 'vitest';
import { INDEX_KEY_MAX_CHARS, indexKey } from './index-key.js';

describe('indexKey', () => {
  it('keeps values up to the limit and cuts longer ones', () => {
    expect(indexKey('MRN-12345')).toBe('MRN-12345');
    expect(indexKey(null)).toBeNull();
    expect(indexKey('x'.repeat(5000))).toHaveLength(INDEX_KEY_MAX_CHARS);
  });

  it('never splits a surrogate pair', () => {
    const value = `${'a'.repeat(INDEX_KEY_MAX_CHARS - 1)}😀tail`;
    const key = indexKey(value);
    expect(key).toBe('a'.repeat(INDEX_KEY_MAX_CHARS - 1));
    expect(Buffer.from(key, 'utf8').toString('utf8')).toBe(key);
  });
});
