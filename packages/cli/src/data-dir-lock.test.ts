import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lockDataDir } from './data-dir-lock.js';

describe('lockDataDir', () => {
  it('keeps a second process out of a live embedded database and lets it in after release', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hospitium-lock-'));
    // A lock held by a live process that is not us (our parent).
    writeFileSync(
      join(dir, 'hospitium.lock'),
      JSON.stringify({ pid: process.ppid, purpose: 'hospitium start' }),
    );
    expect(() => lockDataDir(dir, 'hospitium import')).toThrow(/in use by process .*hospitium start/);
  });

  it('takes over a lock left by a dead process', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hospitium-lock-'));
    writeFileSync(join(dir, 'hospitium.lock'), JSON.stringify({ pid: 2 ** 22 + 12345, purpose: 'crashed' }));
    const lock = lockDataDir(dir, 'hospitium start');
    lock.release();
    const again = lockDataDir(dir, 'hospitium start');
    again.release();
  });
});
