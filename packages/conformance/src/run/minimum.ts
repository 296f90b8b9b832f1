/**
 * `assert.minimumId`: the response must contain at least every element of the fixture. Objects
 * match key by key; each item of an expected array must match some item of the actual array.
 * Returns the path of the first missing element, or undefined when everything is there.
 */
export function minimumMissing(expected: unknown, actual: unknown, path = '$'): string | undefined {
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return path;
    for (const [i, item] of expected.entries()) {
      if (!actual.some((candidate) => minimumMissing(item, candidate) === undefined)) return `${path}[${i}]`;
    }
    return undefined;
  }
  if (typeof expected === 'object' && expected !== null) {
    if (typeof actual !== 'object' || actual === null || Array.isArray(actual)) return path;
    for (const [key, value] of Object.entries(expected)) {
      const missing = minimumMissing(value, (actual as Record<string, unknown>)[key], `${path}.${key}`);
      if (missing) return missing;
    }
    return undefined;
  }
  return expected === actual ? undefined : path;
}
