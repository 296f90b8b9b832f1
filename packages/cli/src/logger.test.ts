import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.js';

describe('the process logger', () => {
  it('never writes Authorization headers, cookies, passwords, secrets or tokens', () => {
    const lines: string[] = [];
    const logger = createLogger('info', { write: (line: string) => lines.push(line) });
    logger.info(
      {
        req: { headers: { authorization: 'Bearer eyJsecret', cookie: '_session=abc' } },
        password: 'hunter2-password',
        attempt: { password: 'hunter3-password', totp: '123456' },
        body: { client_secret: 'shh-secret', access_token: 'at-value', refresh_token: 'rt-value' },
      },
      'sign-in',
    );
    const out = lines.join('');
    for (const secret of [
      'eyJsecret',
      '_session=abc',
      'hunter2',
      'hunter3',
      '123456',
      'shh-secret',
      'at-value',
      'rt-value',
    ]) {
      expect(out).not.toContain(secret);
    }
    expect(out).toContain('[redacted]');
  });
});
