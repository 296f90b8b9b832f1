/**
 * HL7 table 0357 (message error condition codes): the ERR-3 codes an ACK carries. `as const`
 * so callers name them (`ErrorCode.requiredFieldMissing`) instead of writing bare numbers.
 */
export const ErrorCode = {
  accepted: '0',
  segmentSequenceError: '100',
  requiredFieldMissing: '101',
  dataTypeError: '102',
  tableValueNotFound: '103',
  valueTooLong: '104',
  unsupportedMessageType: '200',
  unsupportedEventCode: '201',
  unsupportedProcessingId: '202',
  unsupportedVersionId: '203',
  unknownKeyIdentifier: '204',
  duplicateKeyIdentifier: '205',
  applicationRecordLocked: '206',
  applicationInternalError: '207',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Display names of table 0357, for ERR-3.2. */
export const errorCodeText: Record<ErrorCode, string> = {
  '0': 'Message accepted',
  '100': 'Segment sequence error',
  '101': 'Required field missing',
  '102': 'Data type error',
  '103': 'Table value not found',
  '104': 'Value too long',
  '200': 'Unsupported message type',
  '201': 'Unsupported event code',
  '202': 'Unsupported processing id',
  '203': 'Unsupported version id',
  '204': 'Unknown key identifier',
  '205': 'Duplicate key identifier',
  '206': 'Application record locked',
  '207': 'Application internal error',
};

/** Where in a message a problem is (ERR-2, ERL data type): segment, its sequence, field, component. */
export interface ErrorLocation {
  /** Segment id, e.g. `PID`. */
  segment?: string;
  /** 1-based position of that segment among segments with the same id. */
  sequence?: number;
  /** Field number (MSH-1 is the field separator). */
  field?: number;
  /** 1-based repetition. */
  repetition?: number;
  component?: number;
  subcomponent?: number;
}

/** One problem with a message, as an ACK's ERR segment reports it. */
export interface Hl7Issue {
  code: ErrorCode;
  /** `E` error, `W` warning, `I` information (table 0516). */
  severity: 'E' | 'W' | 'I';
  location?: ErrorLocation;
  /** What is wrong, for a person (ERR-8 user message). */
  text: string;
}

/**
 * The one error the codec throws: a message that cannot be read at all (no MSH, bad delimiters,
 * a malformed segment id). It carries the table 0357 code and location so the engine can answer
 * with an ACK that names the problem instead of dropping the connection.
 */
export class Hl7ParseError extends Error {
  readonly issue: Hl7Issue;

  constructor(code: ErrorCode, text: string, location?: ErrorLocation) {
    super(location ? `${formatLocation(location)}: ${text}` : text);
    this.name = 'Hl7ParseError';
    this.issue = { code, severity: 'E', location, text };
  }
}

/** `PID[1]-5.1`-style text for a location, used in error messages. */
export function formatLocation(location: ErrorLocation): string {
  let out = location.segment ?? '?';
  if (location.sequence !== undefined && location.sequence > 1) out += `[${location.sequence}]`;
  if (location.field !== undefined) out += `-${location.field}`;
  if (location.repetition !== undefined && location.repetition > 1) out += `(${location.repetition})`;
  if (location.component !== undefined) out += `.${location.component}`;
  if (location.subcomponent !== undefined) out += `.${location.subcomponent}`;
  return out;
}

const locationPattern = /^([A-Z][A-Z0-9]{2})(?:\[(\d+)\])?(?:-(\d+)(?:\((\d+)\))?(?:\.(\d+))?(?:\.(\d+))?)?$/;

/** Reads back what `formatLocation` wrote (`PID[2]-3(1).4`); undefined for anything else. */
export function parseLocation(text: string): ErrorLocation | undefined {
  const m = locationPattern.exec(text);
  if (!m) return undefined;
  const n = (s: string | undefined) => (s === undefined ? undefined : Number(s));
  return {
    segment: m[1],
    sequence: n(m[2]) ?? 1,
    field: n(m[3]),
    repetition: n(m[4]),
    component: n(m[5]),
    subcomponent: n(m[6]),
  };
}
