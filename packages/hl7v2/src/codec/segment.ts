import { type Delimiters, encodingCharacters } from './delimiters.js';
import { escapeValue, unescapeValue } from './escape.js';

/** A field as received: repetitions → components → subcomponents, leaves still escaped. */
export type RawField = string[][][];

/**
 * One segment. Fields are kept split but not unescaped, so serialising gives back the text that
 * was parsed exactly; readers decode escapes as they read. `fields[n]` is field n (1-based);
 * `fields[0]` is unused. On MSH/FHS/BHS field 1 is the field separator and field 2 the encoding
 * characters, each held whole.
 */
export class Hl7Segment {
  constructor(
    readonly name: string,
    readonly fields: RawField[],
    readonly delimiters: Delimiters,
  ) {}

  /** Number of the last field present. */
  get fieldCount(): number {
    return this.fields.length - 1;
  }

  /** Raw field n (escaped), or undefined when absent. */
  rawField(n: number): RawField | undefined {
    return this.fields[n];
  }

  /**
   * A leaf value, unescaped: field n, repetition r, component c, subcomponent s (all 1-based;
   * defaults 1). Empty string and absent both give undefined; `""` (the explicit null) gives `""`.
   */
  value(field: number, repetition = 1, component = 1, subcomponent = 1): string | undefined {
    const raw = this.fields[field]?.[repetition - 1]?.[component - 1]?.[subcomponent - 1];
    if (raw === undefined || raw === '') return undefined;
    if (this.isHeader && field <= 2) return raw;
    return raw === '""' ? '""' : unescapeValue(raw, this.delimiters);
  }

  /** Number of repetitions of field n (0 when empty). */
  repetitions(field: number): number {
    const f = this.fields[field];
    if (!f) return 0;
    return f.length === 1 && isEmptyRepetition(f[0]) ? 0 : f.length;
  }

  /** The text of field n, repetition r, component c with its subcomponents joined (unescaped per leaf). */
  component(field: number, repetition = 1, component = 1): string | undefined {
    const subs = this.fields[field]?.[repetition - 1]?.[component - 1];
    if (!subs || subs.every((s) => s === '')) return undefined;
    if (subs.length === 1) return this.value(field, repetition, component, 1);
    return subs.map((s) => unescapeValue(s, this.delimiters)).join(this.delimiters.subcomponent);
  }

  /** True when the field has no non-empty leaf. */
  isEmpty(field: number): boolean {
    return this.repetitions(field) === 0;
  }

  /** Sets a leaf value (escaping it), growing the segment as needed. */
  setValue(value: string, field: number, repetition = 1, component = 1, subcomponent = 1): void {
    while (this.fields.length <= field) this.fields.push([[['']]]);
    const f = this.fields[field];
    while (f.length < repetition) f.push([['']]);
    const r = f[repetition - 1];
    while (r.length < component) r.push(['']);
    const c = r[component - 1];
    while (c.length < subcomponent) c.push('');
    c[subcomponent - 1] = this.isHeader && field <= 2 ? value : escapeValue(value, this.delimiters);
  }

  /** The segment as text (no terminator). */
  toString(): string {
    const d = this.delimiters;
    const parts: string[] = [this.name];
    for (let i = 1; i < this.fields.length; i++) {
      if (this.isHeader && i === 1) continue;
      if (this.isHeader && i === 2) {
        parts.push(this.fields[2]?.[0]?.[0]?.[0] ?? encodingCharacters(d));
        continue;
      }
      const field = this.fields[i] ?? [[['']]];
      parts.push(
        field.map((rep) => rep.map((comp) => comp.join(d.subcomponent)).join(d.component)).join(d.repetition),
      );
    }
    return parts.join(d.field);
  }

  /** MSH, FHS and BHS carry the delimiters in fields 1 and 2. */
  get isHeader(): boolean {
    return this.name === 'MSH' || this.name === 'FHS' || this.name === 'BHS';
  }
}

function isEmptyRepetition(rep: string[][]): boolean {
  return rep.every((comp) => comp.every((s) => s === ''));
}

/** Splits one segment line into fields with the given delimiters (leaves stay escaped). */
export function splitSegment(line: string, d: Delimiters): Hl7Segment {
  const name = line.slice(0, 3);
  const header = name === 'MSH' || name === 'FHS' || name === 'BHS';
  const fields: RawField[] = [[]];
  if (header) {
    const rest = line.slice(4);
    const end = rest.indexOf(d.field);
    fields.push([[[d.field]]]);
    fields.push([[[end === -1 ? rest : rest.slice(0, end)]]]);
    if (end !== -1) for (const f of rest.slice(end + 1).split(d.field)) fields.push(splitField(f, d));
  } else if (line.length > 3) {
    for (const f of line.slice(4).split(d.field)) fields.push(splitField(f, d));
  }
  return new Hl7Segment(name, fields, d);
}

function splitField(text: string, d: Delimiters): RawField {
  return text
    .split(d.repetition)
    .map((rep) => rep.split(d.component).map((comp) => comp.split(d.subcomponent)));
}
