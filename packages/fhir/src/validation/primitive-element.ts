import { type ElementSlot, type TypeSchema, typeSchema } from '../definitions/schema.js';
import { checkRequiredBinding } from './binding.js';
import { addError, describeValue, type Issues, isJsonObject } from './issues.js';
import { checkPrimitive } from './primitives.js';

/** The object walker, passed in so this module does not import it back. */
export type ObjectValidator = (
  obj: Record<string, unknown>,
  schema: TypeSchema,
  path: string,
  issues: Issues,
  depth: number,
) => void;

/**
 * A primitive element in JSON is a value (`"birthDate": "1970-01-01"`) and optionally a `_birthDate`
 * sibling holding its id and extensions. Repeating primitives pair the two arrays by index, and
 * `null` fills the gaps: `"given": ["Jo", null]`, `"_given": [null, {"extension": […]}]`
 * (https://hl7.org/fhir/R4/json.html#primitive). `null` is valid only in that role.
 */
export function validatePrimitiveElement(
  owner: Record<string, unknown>,
  slot: ElementSlot,
  path: string,
  issues: Issues,
  depth: number,
  validateObject: ObjectValidator,
): void {
  const elementPath = `${path}.${slot.key}`;
  const value = owner[slot.key];
  const extension = slot.extensionKey === undefined ? undefined : owner[slot.extensionKey];
  const extensionPath = `${path}.${slot.extensionKey}`;

  if (!slot.element.array) {
    if (value !== undefined) {
      if (Array.isArray(value)) {
        const text = `${elementPath} must be a single value, not an array (${slot.element.path} allows at most 1).`;
        addError(issues, 'structure', text, elementPath);
      } else {
        checkValue(value, slot, elementPath, issues);
      }
    }
    if (extension !== undefined) {
      checkExtension(extension, extensionPath, elementPath, issues, depth, validateObject);
    }
    return;
  }

  const values = arrayOrReport(value, elementPath, slot, issues);
  const extensions = arrayOrReport(extension, extensionPath, slot, issues);
  if (values === false || extensions === false) return;
  if (values && extensions && values.length !== extensions.length) {
    const text = `${extensionPath} must have one entry per value of ${elementPath} (${extensions.length} instead of ${values.length}).`;
    addError(issues, 'structure', text, extensionPath);
    return;
  }
  const count = values?.length ?? extensions?.length ?? 0;
  if (count > slot.element.max) {
    const text = `${elementPath} has ${count} values but ${slot.element.path} allows at most ${slot.element.max}.`;
    addError(issues, 'invalid', text, elementPath);
  }
  for (let i = 0; i < count; i++) {
    const item = values?.[i];
    const itemExtension = extensions?.[i];
    const itemPath = `${elementPath}[${i}]`;
    const hasValue = item !== null && item !== undefined;
    const hasExtension = itemExtension !== null && itemExtension !== undefined;
    if (hasValue) checkValue(item, slot, itemPath, issues);
    if (hasExtension) {
      checkExtension(itemExtension, `${extensionPath}[${i}]`, itemPath, issues, depth, validateObject);
    }
    if (!hasValue && !hasExtension) {
      const text = `${itemPath} is null; null is only allowed where ${extensionPath}[${i}] holds extensions.`;
      addError(issues, 'structure', text, itemPath);
    }
  }
}

/** The array of a repeating element; undefined when absent, false after reporting a bad shape. */
function arrayOrReport(
  value: unknown,
  path: string,
  slot: ElementSlot,
  issues: Issues,
): unknown[] | undefined | false {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) {
    const text =
      value === null
        ? `${path} is null; omit the element instead.`
        : `${path} must be an array (${slot.element.path} repeats), got ${describeValue(value)}.`;
    addError(issues, 'structure', text, path);
    return false;
  }
  if (value.length === 0) {
    addError(issues, 'structure', `${path} is an empty array; omit the element instead.`, path);
    return false;
  }
  return value;
}

function checkValue(value: unknown, slot: ElementSlot, path: string, issues: Issues): void {
  if (value === null) {
    addError(issues, 'structure', `${path} is null; omit the element instead.`, path);
    return;
  }
  const code = slot.type.kind === 'primitive' ? slot.type.code : 'string';
  const problem = checkPrimitive(code, value);
  if (problem) {
    addError(issues, problem.code, `${path} must be ${problem.expected}, got ${describeValue(value)}.`, path);
  } else if (slot.element.binding) {
    checkRequiredBinding(slot.element.binding, code, value, path, issues);
  }
}

function checkExtension(
  value: unknown,
  path: string,
  elementPath: string,
  issues: Issues,
  depth: number,
  validateObject: ObjectValidator,
): void {
  if (!isJsonObject(value)) {
    const text = `${path} must be an object holding the id and extensions of ${elementPath}, got ${describeValue(value)}.`;
    addError(issues, 'structure', text, path);
    return;
  }
  if (Object.keys(value).length === 0) {
    addError(issues, 'structure', `${path} is an empty object; omit it instead.`, path);
    return;
  }
  const element = typeSchema('Element');
  if (element) validateObject(value, element, elementPath, issues, depth + 1);
}
