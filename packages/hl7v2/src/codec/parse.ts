import { readDelimiters } from './delimiters.js';
import { ErrorCode, Hl7ParseError } from './errors.js';
import { Hl7Message } from './message.js';
import { type Hl7Segment, splitSegment } from './segment.js';

const segmentId = /^[A-Z][A-Z0-9]{2}$/;

/**
 * Splits text into segment lines: CR, LF and CRLF all end a segment (peers differ), a UTF-8 BOM
 * and blank lines are dropped, trailing whitespace after the last segment too.
 */
export function splitLines(text: string): string[] {
  return text
    .replace(/^\uFEFF/, '')
    .split(/\r\n|\r|\n/)
    .filter((line) => line.trim() !== '');
}

/**
 * Parses one HL7 v2 message (v2.3–2.8). Delimiters come from MSH-1/MSH-2. Throws Hl7ParseError
 * (table 0357 code + location) when the text is not a readable message; says nothing about
 * whether required fields are present — see `checkHeader`.
 */
export function parseMessage(text: string): Hl7Message {
  return messageFromLines(splitLines(text));
}

/** Builds a message from its segment lines; the first must be MSH. */
export function messageFromLines(lines: string[]): Hl7Message {
  if (lines.length === 0)
    throw new Hl7ParseError(ErrorCode.segmentSequenceError, 'Empty message: no MSH segment');
  const first = lines[0];
  if (!first.startsWith('MSH')) {
    throw new Hl7ParseError(
      ErrorCode.segmentSequenceError,
      `A message must start with MSH, found '${first.slice(0, 3)}'`,
      { segment: first.slice(0, 3), sequence: 1 },
    );
  }
  const delimiters = readDelimiters(first);
  const counts = new Map<string, number>();
  const segments: Hl7Segment[] = lines.map((line, i) => {
    const name = line.slice(0, 3);
    const sequence = (counts.get(name) ?? 0) + 1;
    counts.set(name, sequence);
    if (!segmentId.test(name) || (line.length > 3 && line[3] !== delimiters.field)) {
      throw new Hl7ParseError(
        ErrorCode.segmentSequenceError,
        `Line ${i + 1} is not a segment: '${line.slice(0, 20)}' (a segment starts with a 3-character id and '${delimiters.field}')`,
        { segment: segmentId.test(name) ? name : undefined, sequence },
      );
    }
    if (i > 0 && name === 'MSH') {
      throw new Hl7ParseError(
        ErrorCode.segmentSequenceError,
        'A second MSH inside one message (send a batch instead)',
        {
          segment: 'MSH',
          sequence,
        },
      );
    }
    return splitSegment(line, delimiters);
  });
  return new Hl7Message(segments, delimiters);
}
