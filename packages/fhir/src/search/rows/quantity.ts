import { isType } from '../model/r4-model.js';
import type { QuantityIndexRow } from '../types.js';
import { finiteNumber, isRecord, nonEmptyString } from './values.js';

/** ISO 4217, the code system of Money.currency. */
export const CURRENCY_SYSTEM = 'urn:iso:std:iso:4217';

/**
 * Quantity rows: a Quantity or one of its profiles (Age, Duration, Count, Distance,
 * SimpleQuantity) gives value, system, code and unit; Money gives its value with the currency
 * as code and ISO 4217 as system. A value that is not a finite number gives no row; Range,
 * Ratio and SampledData alternatives are not indexed.
 */
export function quantityRows(param: string, value: unknown, type: string, out: QuantityIndexRow[]): void {
  if (!isRecord(value)) return;
  const amount = finiteNumber(value.value);
  if (amount === null) return;
  if (type === 'Money') {
    const currency = nonEmptyString(value.currency);
    out.push({ param, value: amount, system: currency && CURRENCY_SYSTEM, code: currency, unit: null });
  } else if (isType(type, 'Quantity')) {
    out.push({
      param,
      value: amount,
      system: nonEmptyString(value.system),
      code: nonEmptyString(value.code),
      unit: nonEmptyString(value.unit),
    });
  }
}
