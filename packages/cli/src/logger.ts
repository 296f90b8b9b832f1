import pino from 'pino';
import type { HospitiumConfig } from './config.js';

/**
 * The process logger. Authorization headers, cookies, passwords, client secrets, tokens and
 * TOTP codes never reach the log, wherever they appear in a logged object.
 */
export function createLogger(
  level: HospitiumConfig['logLevel'],
  destination?: pino.DestinationStream,
): pino.Logger {
  const options: pino.LoggerOptions = {
    level,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'res.headers["set-cookie"]',
        'password',
        '*.password',
        '*.secret',
        '*.client_secret',
        '*.token',
        '*.access_token',
        '*.refresh_token',
        '*.id_token',
        '*.totp',
        '*.adminPassword',
        '*.bootstrapClient',
      ],
      censor: '[redacted]',
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
