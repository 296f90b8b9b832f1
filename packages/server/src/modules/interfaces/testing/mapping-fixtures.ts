import type { Resource } from '@hospitium/fhir';
import { isOperationOutcomeError } from '@hospitium/fhir';
import { parseMessage } from '@hospitium/hl7v2';
import { type MappedMessage, mapMessage } from '../mapping/map-message.js';

/** Helpers for the mapping unit tests: build a message line by line and map it. */
export const mappingSettings = { timezoneOffset: '+01:00' };

/** An MSH from a lab/HIS pair with the given type and control id. */
export const mshLine = (type: string, controlId = 'X1') =>
  `MSH|^~\\&|SENDER|FAC^1.2.3^ISO|HIS|HOSP|20260110||${type}|${controlId}|P|2.5.1`;

/** A segment with the given fields placed by number. */
export const segmentLine = (name: string, fields: Record<number, string>) =>
  [
    name,
    ...Array.from({ length: Math.max(...Object.keys(fields).map(Number)) }, (_, i) => fields[i + 1] ?? ''),
  ].join('|');

/** Maps segment lines (joined with CR). */
export const mapLines = (...lines: string[]): MappedMessage =>
  mapMessage(parseMessage(lines.join('\r')), mappingSettings);

/** The resources of the mapped bundle, of one type. */
export const resourcesOf = (mapped: MappedMessage, type: string): Resource[] =>
  (mapped.bundle.entry ?? []).map((e) => e.resource as Resource).filter((r) => r.resourceType === type);

/** The OperationOutcome expression and text a mapping failure carries (or a failure of the test). */
export function mappingFailure(run: () => unknown): { expression?: string; text?: string } {
  try {
    run();
  } catch (err) {
    if (!isOperationOutcomeError(err)) throw err;
    const issue = err.outcome.issue[0];
    return { expression: issue.expression?.[0], text: issue.details?.text };
  }
  throw new Error('the message mapped without the expected failure');
}
