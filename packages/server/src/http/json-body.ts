import { badRequest } from '@hospitium/fhir';

/** Keys that could reach an object's prototype when a parsed body is merged or assigned. */
const forbiddenKeys = ['__proto__', 'constructor'] as const;

/**
 * Parses a JSON request body. Malformed JSON → 400 naming the parse problem; an empty body is
 * `undefined`. Objects carrying `__proto__` or `constructor` keys → 400 (prototype pollution):
 * the walk only runs when the text could spell one of them, literally or through `\u` escapes.
 */
export function parseJsonBody(text: string): unknown {
  if (text.trim() === '') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw badRequest(`Malformed JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (/__proto__|constructor|\\u/.test(text)) rejectPrototypeKeys(value);
  return value;
}

function rejectPrototypeKeys(root: unknown): void {
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (typeof node !== 'object' || node === null) continue;
    if (Array.isArray(node)) {
      for (const item of node) stack.push(item);
      continue;
    }
    for (const key of forbiddenKeys) {
      if (Object.hasOwn(node, key)) throw badRequest(`JSON property name '${key}' is not allowed`);
    }
    for (const value of Object.values(node)) stack.push(value);
  }
}
