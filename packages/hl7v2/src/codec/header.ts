import { ErrorCode, type Hl7Issue } from './errors.js';
import type { Hl7Message } from './message.js';

/** v2.3 to v2.8 (with their point releases and local suffixes such as `2.3.z`). */
const supportedVersion = /^2\.[3-8](\.[0-9A-Za-z]+)*$/;

/**
 * Checks what every message needs before it can be routed or acknowledged: MSH-9 message type
 * and trigger event, MSH-10 control id, MSH-11 processing id and a supported MSH-12 version.
 * Returns the problems (empty when the header is sound) as ERR-ready issues.
 */
export function checkHeader(message: Hl7Message): Hl7Issue[] {
  const issues: Hl7Issue[] = [];
  const missing = (field: number, component: number | undefined, what: string) =>
    issues.push({
      code: ErrorCode.requiredFieldMissing,
      severity: 'E',
      location: { segment: 'MSH', sequence: 1, field, component },
      text: `MSH-${field}${component ? `.${component}` : ''} (${what}) is required`,
    });
  if (!message.messageCode) missing(9, 1, 'message code');
  else if (!message.triggerEvent && message.messageCode !== 'ACK') missing(9, 2, 'trigger event');
  if (!message.controlId) missing(10, undefined, 'message control id');
  if (!message.header.value(11)) missing(11, undefined, 'processing id');
  const version = message.version;
  if (!version) missing(12, undefined, 'version id');
  else if (!supportedVersion.test(version)) {
    issues.push({
      code: ErrorCode.unsupportedVersionId,
      severity: 'E',
      location: { segment: 'MSH', sequence: 1, field: 12 },
      text: `Version '${version}' is not supported (2.3 to 2.8 are)`,
    });
  }
  return issues;
}
