import { defaultDelimiters, readDelimiters } from '../codec/delimiters.js';
import { ErrorCode, type Hl7Issue, Hl7ParseError } from '../codec/errors.js';
import type { Hl7Message } from '../codec/message.js';
import { messageFromLines, splitLines } from '../codec/parse.js';
import { type Hl7Segment, splitSegment } from '../codec/segment.js';

/** One message of a batch file, or the reason it could not be read. */
export type BatchItem =
  | { ok: true; message: Hl7Message; text: string }
  | { ok: false; error: Hl7ParseError; text: string };

/** A batch (BHS … BTS) inside a file. */
export interface Hl7Batch {
  header?: Hl7Segment;
  items: BatchItem[];
  trailer?: Hl7Segment;
}

/** A file of messages: FHS/BHS envelopes are optional (many peers just concatenate MSH…). */
export interface Hl7BatchFile {
  header?: Hl7Segment;
  batches: Hl7Batch[];
  trailer?: Hl7Segment;
  /** Envelope problems: a BTS/FTS count that does not match, a trailer without its header. */
  issues: Hl7Issue[];
}

/**
 * Reads a batch file (FHS, BHS, MSH…, BTS, FTS) or plain concatenated messages. Each message is
 * parsed on its own, so one broken message does not hide the others; the envelope itself must
 * be readable (delimiters in FHS/BHS) or an Hl7ParseError is thrown.
 */
export function parseBatch(text: string): Hl7BatchFile {
  const lines = splitLines(text);
  const file: Hl7BatchFile = { batches: [], issues: [] };
  let batch: Hl7Batch | undefined;
  let messageLines: string[] | undefined;
  const envelope = (line: string) => {
    const name = line.slice(0, 3);
    return splitSegment(
      line,
      name === 'FHS' || name === 'BHS' ? readDelimiters(line) : envelopeDelimiters(lines),
    );
  };
  const flush = () => {
    if (!messageLines) return;
    const body = messageLines;
    messageLines = undefined;
    if (!batch) {
      batch = { items: [] };
      file.batches.push(batch);
    }
    const text = `${body.join('\r')}\r`;
    try {
      batch.items.push({ ok: true, message: messageFromLines(body), text });
    } catch (err) {
      if (!(err instanceof Hl7ParseError)) throw err;
      batch.items.push({ ok: false, error: err, text });
    }
  };
  for (const line of lines) {
    const name = line.slice(0, 3);
    if (name === 'FHS') {
      flush();
      file.header = envelope(line);
    } else if (name === 'BHS') {
      flush();
      batch = { header: envelope(line), items: [] };
      file.batches.push(batch);
    } else if (name === 'BTS') {
      flush();
      if (!batch)
        throw new Hl7ParseError(ErrorCode.segmentSequenceError, 'BTS without a batch', { segment: 'BTS' });
      batch.trailer = envelope(line);
      checkCount(batch.trailer, batch.items.length, 'messages', file.issues);
      batch = undefined;
    } else if (name === 'FTS') {
      flush();
      file.trailer = envelope(line);
      checkCount(file.trailer, file.batches.length, 'batches', file.issues);
    } else if (name === 'MSH') {
      flush();
      messageLines = [line];
    } else if (messageLines) {
      messageLines.push(line);
    } else {
      throw new Hl7ParseError(
        ErrorCode.segmentSequenceError,
        `Segment '${name}' outside any message (expected MSH)`,
        {
          segment: name,
        },
      );
    }
  }
  flush();
  return file;
}

/** Every item of every batch, in file order. */
export function batchItems(file: Hl7BatchFile): BatchItem[] {
  return file.batches.flatMap((b) => b.items);
}

function checkCount(trailer: Hl7Segment, actual: number, what: string, issues: Hl7Issue[]): void {
  const declared = trailer.value(1);
  if (declared !== undefined && Number(declared) !== actual) {
    issues.push({
      code: ErrorCode.dataTypeError,
      severity: 'W',
      location: { segment: trailer.name, field: 1 },
      text: `${trailer.name}-1 declares ${declared} ${what}, the file holds ${actual}`,
    });
  }
}

function envelopeDelimiters(lines: string[]) {
  const header = lines.find((l) => l.startsWith('FHS') || l.startsWith('BHS') || l.startsWith('MSH'));
  if (!header) return defaultDelimiters;
  try {
    return readDelimiters(header);
  } catch {
    return defaultDelimiters;
  }
}
