import pino from 'pino';
import type { HospitiumConfig } from './config.js';

/** The process logger. Authorization headers and passwords never reach the log. */
export function createLogger(level: HospitiumConfig['logLevel']): pino.Logger {
  return pino({
    level,
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', '*.password', '*.secret', '*.token'],
      censor: '[redacted]',
    },
  });
}
