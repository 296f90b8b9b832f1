import type { Migration } from './migration.js';

/**
 * A third cell on composite index rows, for the three-component MolecularSequence coordinate
 * parameters (`chromosome-variant-coordinate=1$ge100$le200`). Nullable columns added without a
 * default: a catalogue change only, no table rewrite, so it is instant on a large store; rows of
 * two-component parameters leave them null.
 */
export const compositeThirdComponent: Migration = {
  version: 6,
  name: 'composite_third_component',
  sql: `
ALTER TABLE idx_composite
  ADD COLUMN c3_system text COLLATE "C",
  ADD COLUMN c3_code text COLLATE "C",
  ADD COLUMN c3_value numeric,
  ADD COLUMN c3_start timestamptz,
  ADD COLUMN c3_end timestamptz,
  ADD COLUMN c3_text text COLLATE "C";
`,
};
