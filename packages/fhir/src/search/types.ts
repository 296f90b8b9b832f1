/**
 * Search-index rows extracted from a resource, one array per SearchParameter type.
 * The db package stores each array in its own index table (idx_token, idx_string, …).
 * `param` is the SearchParameter code (e.g. `subject`, `identifier`, `birthdate`).
 */
export interface TokenIndexRow {
  param: string;
  system: string | null;
  code: string | null;
  /** Display / text for `:text` searches (CodeableConcept.text, Coding.display, Identifier.type.text). */
  text: string | null;
}

export interface StringIndexRow {
  param: string;
  /** Normalised for default matching: lower case, accents removed, whitespace collapsed. */
  value: string;
  /** The original text, for `:exact`. */
  exact: string;
}

export interface DateIndexRow {
  param: string;
  /** Inclusive lower and upper bound of the instant range the value covers, ISO 8601 UTC; null = unbounded. */
  start: string | null;
  end: string | null;
}

export interface ReferenceIndexRow {
  param: string;
  /** For relative (`Patient/123`) or absolute FHIR-style references: the target type and id. */
  targetType: string | null;
  targetId: string | null;
  /** The reference as written (absolute URL, canonical with `|version`, or relative). */
  url: string;
}

export interface NumberIndexRow {
  param: string;
  value: number;
}

export interface QuantityIndexRow {
  param: string;
  value: number;
  system: string | null;
  code: string | null;
  unit: string | null;
}

export interface UriIndexRow {
  param: string;
  value: string;
}

/**
 * One component value of a composite tuple, in the columns its type uses: token (system, code),
 * quantity (value, system, code, unit as text), number (value), date (start, end), string
 * (normalised text), reference (system = target type, code = target id, text = url), uri (text).
 */
export interface CompositeCell {
  system: string | null;
  code: string | null;
  value: number | null;
  start: string | null;
  end: string | null;
  text: string | null;
}

/**
 * A tuple of a composite parameter, every value from the same element: two components, or three
 * for the MolecularSequence coordinates (`chromosome$start$end`).
 */
export interface CompositeIndexRow {
  param: string;
  c1: CompositeCell;
  c2: CompositeCell;
  c3?: CompositeCell;
}

/**
 * The words of a resource for full-text search (`_text`, `_content`): plain text, accents
 * removed, capped in length; the database turns them into `tsvector`s. One row per resource.
 */
export interface TextIndexRow {
  /** The narrative (`text.div`) with its XHTML markup removed; null when the resource has none. */
  narrative: string | null;
  /** Every string of the resource (narrative included, `meta`, ids and attachment data excluded). */
  content: string;
}

/** A point on the WGS84 globe (Location.position) for `near`, in decimal degrees. */
export interface PositionIndexRow {
  param: string;
  latitude: number;
  longitude: number;
}

export interface IndexRows {
  token: TokenIndexRow[];
  string: StringIndexRow[];
  date: DateIndexRow[];
  reference: ReferenceIndexRow[];
  number: NumberIndexRow[];
  quantity: QuantityIndexRow[];
  uri: UriIndexRow[];
  /** Composite tuples; absent when the resource has none. */
  composite?: CompositeIndexRow[];
  /** Full-text words (one row); absent when the resource has no text at all. */
  text?: TextIndexRow[];
  /** Positions of `special` parameters with an expression (Location `near`); absent when none. */
  position?: PositionIndexRow[];
}

export type SearchParamType =
  | 'number'
  | 'date'
  | 'string'
  | 'token'
  | 'reference'
  | 'composite'
  | 'quantity'
  | 'uri'
  | 'special';

/** A SearchParameter as the engine needs it. */
export interface SearchParamDef {
  code: string;
  type: SearchParamType;
  /** The FHIRPath expression restricted to one resource type, e.g. `Observation.subject`. */
  expression: string | undefined;
  /** Target resource types of a reference parameter. */
  target: string[];
  url: string;
  description?: string;
}
