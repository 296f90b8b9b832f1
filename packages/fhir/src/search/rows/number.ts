import type { NumberIndexRow } from '../types.js';
import { finiteNumber } from './values.js';

const NUMBER_TYPES: ReadonlySet<string> = new Set([
  'decimal',
  'integer',
  'positiveInt',
  'unsignedInt',
  'System.Decimal',
  'System.Integer',
]);

/** Number rows: decimal and integer values (a Range alternative, RiskAssessment.probability, is not indexed). */
export function numberRows(param: string, value: unknown, type: string, out: NumberIndexRow[]): void {
  if (!NUMBER_TYPES.has(type)) return;
  const n = finiteNumber(value);
  if (n !== null) out.push({ param, value: n });
}
