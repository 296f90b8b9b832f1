import { parse } from 'yaml';

/**
 * The peer suite's search shapes (`fhir-server-compare/config/queries.yaml`): one entry per
 * query, with `load` false for those the suite itself keeps out of its load test
 * (`loadtest: skip:<reason>`). Throws on a file that is not the expected shape.
 */
export function parseQueryShapes(yamlText) {
  const doc = parse(yamlText);
  if (!doc || !Array.isArray(doc.queries)) throw new Error('queries.yaml: no `queries:` list');
  return doc.queries.map((q, i) => {
    if (!q || typeof q.name !== 'string' || typeof q.path !== 'string') {
      throw new Error(`queries.yaml: query #${i + 1} has no name or path`);
    }
    const loadtest = typeof q.loadtest === 'string' ? q.loadtest : 'include';
    return {
      name: q.name,
      resourceType: String(q.resource_type ?? q.path.split(/[/?]/)[0]),
      complexity: String(q.complexity ?? 'SIMPLE'),
      method: String(q.method ?? 'GET').toUpperCase(),
      path: q.path,
      params: Object.entries(q.params ?? {}).map(([k, v]) => [k, String(v)]),
      headers: Object.fromEntries(Object.entries(q.headers ?? {}).map(([k, v]) => [k, String(v)])),
      sample: q.sample ?? {},
      load: loadtest === 'include',
      skipReason: loadtest === 'include' ? undefined : loadtest.replace(/^skip:/, ''),
    };
  });
}

const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g;
const DATE_VALUE = /^(eq|ne|gt|lt|ge|le|sa|eb|ap)?(\d{4}(?:-\d{2}(?:-\d{2})?)?)$/;

/**
 * The shape's fixed values that can be drawn from the loaded data without changing what the
 * query asks: a name prefix becomes a prefix (same length) of a loaded name, a date bound a loaded
 * date (same precision and comparator), a full-text term a word of the loaded data. Codes named
 * by the shape (LOINC body height…) and enumerations (gender) stay: they are the shape.
 * Returns the value to send and whether it was drawn.
 */
export function varyValue(resourceType, key, value, pools, random) {
  const from = (pool) => (pool && pool.length > 0 ? random.pick(pool) : undefined);
  const [code, modifier] = key.split(':');
  if (!modifier && ['family', 'given', 'name'].includes(code) && value.length <= 3) {
    const name = from(code === 'given' ? pools.patient_given : pools.patient_family);
    if (name && name.length >= value.length) return { value: name.slice(0, value.length), drawn: true };
  }
  if (modifier === 'text' && code === 'name') {
    const name = from(random.next() < 0.5 ? pools.patient_given : pools.patient_family);
    if (name && name.length >= value.length) {
      const at = random.int(name.length - value.length + 1);
      return { value: name.slice(at, at + value.length).toLowerCase(), drawn: true };
    }
  }
  if (modifier === 'text' && code === 'address') {
    const city = from(pools.city);
    if (city) return { value: city, drawn: true };
  }
  if ((code === '_content' || code === '_text') && !modifier) {
    const term = resourceType === 'Patient' ? from(pools.patient_family) : from(pools.words?.[resourceType]);
    if (term) return { value: term, drawn: true };
  }
  if (modifier === 'text' && code === 'code') {
    const word = from(pools.words?.[resourceType]);
    if (word) return { value: word, drawn: true };
  }
  const date = DATE_VALUE.exec(value);
  if (date && !modifier && code === 'date') {
    const loaded = from(pools.observation_date);
    if (loaded) return { value: `${date[1] ?? ''}${loaded.slice(0, date[2].length)}`, drawn: true };
  }
  return { value, drawn: false };
}

/**
 * One request of a shape with fresh values: `{{placeholder}}`s replaced by a value drawn from the
 * pool the shape names, fixed values varied by `varyValue`. Returns `{ path, drawn }` (the path
 * after `/fhir/`, query string encoded) or `{ missing }` naming an empty pool.
 */
export function expandShape(shape, pools, random) {
  let missing;
  const fill = (text) =>
    text.replace(PLACEHOLDER, (_, name) => {
      const poolName = shape.sample[name] ?? name;
      const pool = pools[poolName];
      const v = Array.isArray(pool) && pool.length > 0 ? random.pick(pool) : undefined;
      if (v === undefined) missing ??= poolName;
      return v ?? '';
    });
  const path = fill(shape.path);
  let drawn = path !== shape.path;
  const query = new URLSearchParams();
  for (const [key, raw] of shape.params) {
    const filled = fill(raw);
    if (filled !== raw) {
      drawn = true;
      query.append(key, filled);
      continue;
    }
    const v = varyValue(shape.resourceType, key, raw, pools, random);
    drawn ||= v.drawn;
    query.append(key, v.value);
  }
  if (missing) return { missing };
  const qs = query.toString();
  return { path: qs ? `${path}?${qs}` : path, drawn };
}
