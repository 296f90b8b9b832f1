import type { Migration } from './migration.js';

/**
 * Search engine, part 2: composite tuples. A composite parameter (Observation
 * `component-code-value-quantity`) must match both components in the same element, so each
 * element's pair of values is one row: the first component in c1_* columns, the second in c2_*,
 * each in the columns its type uses (token: system, code; quantity: value, system, code, unit
 * text; date: start, end; string/uri: text; reference: system = type, code = id, text = url).
 * One B-tree leads with the first component's code, which every R4 composite has.
 */
export const searchEngine: Migration = {
  version: 2,
  name: 'search_engine',
  sql: `
CREATE TABLE idx_composite (
  rid bigint NOT NULL,
  resource_type text COLLATE "C" NOT NULL,
  param text COLLATE "C" NOT NULL,
  c1_system text COLLATE "C",
  c1_code text COLLATE "C",
  c1_value numeric,
  c1_start timestamptz,
  c1_end timestamptz,
  c1_text text COLLATE "C",
  c2_system text COLLATE "C",
  c2_code text COLLATE "C",
  c2_value numeric,
  c2_start timestamptz,
  c2_end timestamptz,
  c2_text text COLLATE "C"
);
CREATE INDEX idx_composite_code_idx ON idx_composite (resource_type, param, c1_code, c2_code);
CREATE INDEX idx_composite_rid_idx ON idx_composite (rid);
`,
};
