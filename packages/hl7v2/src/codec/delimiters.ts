import { ErrorCode, Hl7ParseError } from './errors.js';

/** The separators a message declares in MSH-1 and MSH-2 (defaults `|^~\&`). */
export interface Delimiters {
  field: string;
  component: string;
  repetition: string;
  escape: string;
  subcomponent: string;
  /** v2.7+ truncation character (MSH-2.5), when declared. */
  truncation?: string;
}

export const defaultDelimiters: Delimiters = Object.freeze({
  field: '|',
  component: '^',
  repetition: '~',
  escape: '\\',
  subcomponent: '&',
});

/**
 * Reads MSH-1 and MSH-2 from the first line of a message (or FHS/BHS of a batch). Separators
 * must be single, distinct, printable and not letters or digits: a message that breaks this
 * cannot be split reliably, so it is refused rather than guessed at.
 */
export function readDelimiters(headerLine: string): Delimiters {
  const segment = headerLine.slice(0, 3);
  const field = headerLine.charAt(3);
  if (!field || !isSeparator(field)) {
    throw new Hl7ParseError(ErrorCode.dataTypeError, `${segment}-1 field separator is missing or invalid`, {
      segment,
      field: 1,
    });
  }
  const end = headerLine.indexOf(field, 4);
  const encoding = end === -1 ? headerLine.slice(4) : headerLine.slice(4, end);
  const location = { segment, field: 2 };
  if (encoding.length < 4 || encoding.length > 5) {
    throw new Hl7ParseError(
      ErrorCode.dataTypeError,
      `${segment}-2 must hold 4 encoding characters (component, repetition, escape, subcomponent), found '${encoding}'`,
      location,
    );
  }
  const chars = [field, ...encoding];
  if (new Set(chars).size !== chars.length || !chars.every(isSeparator)) {
    throw new Hl7ParseError(
      ErrorCode.dataTypeError,
      `${segment}-1/${segment}-2 delimiters '${field}${encoding}' must be distinct punctuation characters`,
      location,
    );
  }
  return {
    field,
    component: encoding[0],
    repetition: encoding[1],
    escape: encoding[2],
    subcomponent: encoding[3],
    truncation: encoding[4],
  };
}

/** MSH-2 text for a delimiter set. */
export function encodingCharacters(d: Delimiters): string {
  return `${d.component}${d.repetition}${d.escape}${d.subcomponent}${d.truncation ?? ''}`;
}

function isSeparator(c: string): boolean {
  return c.length === 1 && !/[A-Za-z0-9\s]/.test(c) && c.charCodeAt(0) >= 0x21 && c.charCodeAt(0) < 0x7f;
}
