import { type ElementSchema, type ElementSlot, type TypeSchema, typeSchema } from '../definitions/schema.js';
import { isResourceTypeName } from '../definitions/structures.js';
import { checkRequiredBinding } from './binding.js';
import { addError, describeValue, type Issues, isJsonObject } from './issues.js';
import { validatePrimitiveElement } from './primitive-element.js';
import { checkReferenceSyntax } from './reference.js';

/**
 * The walk over a resource: each JSON object is checked against its compiled schema (element names,
 * JSON shapes, cardinality, choices), recursing into datatypes, backbone elements and nested
 * resources (contained, Bundle.entry.resource, Parameters.parameter.resource).
 * Paths are built as the walk goes down, so every issue names its element with FHIRPath indexes.
 */

/** Deeper JSON than this is refused rather than risking the stack (real resources nest far less). */
const MAX_DEPTH = 100;

/**
 * Validates a resource found at `path` ('' for the root). `expectedType` narrows the allowed
 * resourceType (the URL's type at the root, or a typed slot such as Bundle.entry.response.outcome).
 */
export function validateResourceNode(
  value: unknown,
  path: string,
  issues: Issues,
  depth: number,
  expectedType?: string,
): void {
  const typePath = path ? `${path}.resourceType` : 'resourceType';
  const where = path ? path : 'The resource';
  if (!isJsonObject(value)) {
    const text = `${where} must be a JSON object with a resourceType, got ${describeValue(value)}.`;
    if (path) addError(issues, 'structure', text, path);
    else addError(issues, 'structure', text);
    return;
  }
  const type = value.resourceType;
  if (type === undefined) {
    addError(issues, 'required', `${where} has no resourceType.`, typePath);
    return;
  }
  if (typeof type !== 'string' || !isResourceTypeName(type)) {
    addError(
      issues,
      'invalid',
      `${where} has resourceType ${describeValue(type)}, which is not a FHIR R4 resource type.`,
      typePath,
    );
    return;
  }
  if (expectedType !== undefined && type !== expectedType) {
    addError(
      issues,
      'invalid',
      `${where} must be a ${expectedType}, but its resourceType is ${type}.`,
      typePath,
    );
    return;
  }
  const schema = typeSchema(type);
  if (schema) validateObject(value, schema, path || type, issues, depth);
}

/** Validates the properties of one JSON object against a compiled schema. */
export function validateObject(
  obj: Record<string, unknown>,
  schema: TypeSchema,
  path: string,
  issues: Issues,
  depth: number,
): void {
  if (depth > MAX_DEPTH) {
    addError(issues, 'structure', `${path} is nested more than ${MAX_DEPTH} levels deep.`, path);
    return;
  }
  const keys = Object.keys(obj);
  if (keys.length === 0 && !schema.isResource) {
    addError(issues, 'structure', `${path} is an empty object; omit the element instead.`, path);
    return;
  }
  // Choice elements seen so far, to catch valueQuantity and valueString side by side.
  let choices: ElementSlot[] | undefined;
  for (const key of keys) {
    // JSON has no undefined; a JavaScript caller's `{ status: undefined }` means absent, as JSON.stringify treats it.
    if (obj[key] === undefined) continue;
    const slot = schema.slots.get(key);
    if (slot === undefined) {
      if (key !== 'resourceType' || !schema.isResource) unknownElement(key, schema, path, issues);
      continue;
    }
    // A `_name` sibling is validated together with its value; alone it still counts as the element.
    if (slot.primitiveExtension && obj[slot.key] !== undefined) continue;
    if (slot.element.choice) {
      const other = choices?.find((s) => s.element === slot.element);
      if (other) {
        const text = `${path}.${slot.element.name}[x] has more than one value (${other.key} and ${slot.key}); a choice element takes exactly one type.`;
        addError(issues, 'structure', text, `${path}.${other.key}`, `${path}.${slot.key}`);
        continue;
      }
      choices ??= [];
      choices.push(slot);
    }
    if (slot.element.max === 0) {
      addError(
        issues,
        'structure',
        `${path}.${slot.key} is not allowed in ${schema.name}.`,
        `${path}.${slot.key}`,
      );
    } else if (slot.type.kind === 'primitive') {
      validatePrimitiveElement(obj, slot, path, issues, depth, validateObject);
    } else {
      validateComplexElement(obj[key], slot, path, issues, depth);
    }
  }
  for (const element of schema.required) checkRequired(obj, element, path, issues);
}

function checkRequired(
  obj: Record<string, unknown>,
  element: ElementSchema,
  path: string,
  issues: Issues,
): void {
  for (const key of element.keys) {
    if (obj[key] !== undefined || obj[`_${key}`] !== undefined) {
      const value = obj[key];
      if (element.min > 1 && Array.isArray(value) && value.length < element.min) {
        const text = `${path}.${key} has ${value.length} values but needs at least ${element.min}.`;
        addError(issues, 'required', text, `${path}.${key}`);
      }
      return;
    }
  }
  const name = element.choice ? `${element.name}[x]` : element.name;
  const text = `${path}.${name} is required but missing (${element.path} has minimum cardinality ${element.min}).`;
  addError(issues, 'required', text, `${path}.${element.name}`);
}

function validateComplexElement(
  value: unknown,
  slot: ElementSlot,
  path: string,
  issues: Issues,
  depth: number,
): void {
  const element = slot.element;
  const elementPath = `${path}.${slot.key}`;
  if (!element.array) {
    if (Array.isArray(value)) {
      addError(
        issues,
        'structure',
        `${elementPath} must be a single value, not an array (${element.path} allows at most 1).`,
        elementPath,
      );
    } else {
      validateValue(value, slot, elementPath, issues, depth);
    }
    return;
  }
  if (!Array.isArray(value)) {
    const text =
      value === null
        ? `${elementPath} is null; omit the element instead.`
        : `${elementPath} must be an array (${element.path} repeats), got ${describeValue(value)}.`;
    addError(issues, 'structure', text, elementPath);
    return;
  }
  if (value.length === 0) {
    addError(issues, 'structure', `${elementPath} is an empty array; omit the element instead.`, elementPath);
    return;
  }
  if (value.length > element.max) {
    const text = `${elementPath} has ${value.length} values but ${element.path} allows at most ${element.max}.`;
    addError(issues, 'invalid', text, elementPath);
  }
  for (let i = 0; i < value.length; i++) validateValue(value[i], slot, `${elementPath}[${i}]`, issues, depth);
}

function validateValue(value: unknown, slot: ElementSlot, path: string, issues: Issues, depth: number): void {
  const type = slot.type;
  if (type.kind === 'resource') {
    validateResourceNode(value, path, issues, depth + 1, type.resourceType);
    return;
  }
  if (type.kind !== 'complex') return;
  if (!isJsonObject(value)) {
    const text =
      value === null
        ? `${path} is null; omit the element instead.`
        : `${path} must be an object (${type.code}), got ${describeValue(value)}.`;
    addError(issues, 'structure', text, path);
    return;
  }
  validateObject(value, type.schema(), path, issues, depth + 1);
  if (type.code === 'Reference' && typeof value.reference === 'string') {
    const problem = checkReferenceSyntax(value.reference, isResourceTypeName);
    if (problem) {
      const text = `${path}.reference ${describeValue(value.reference)} is not a valid reference: ${problem}.`;
      addError(issues, 'value', text, `${path}.reference`);
    }
  }
  if (slot.element.binding) checkRequiredBinding(slot.element.binding, type.code, value, path, issues);
}

function unknownElement(key: string, schema: TypeSchema, path: string, issues: Issues): void {
  const at = `${path}.${key}`;
  let text = `${at} is not a known element of ${schema.name}.`;
  if (key === 'resourceType') {
    text = `${at}: resourceType is only allowed at the root of a resource, not inside ${schema.name}.`;
  } else if (key.startsWith('_') && schema.slots.has(key.slice(1))) {
    text = `${at} is not allowed: only primitive elements have a _${key.slice(1)} sibling, and ${path}.${key.slice(1)} is not one.`;
  } else {
    for (const slot of schema.slots.values()) {
      const name = slot.element.name;
      const rest = key.slice(name.length);
      if (slot.element.choice && key.startsWith(name) && /^[A-Z]/.test(rest)) {
        const allowed = slot.element.keys.map((k) => k.slice(name.length)).join(', ');
        text = `${at} is not a known element of ${schema.name}: ${name}[x] allows the types ${allowed}.`;
        break;
      }
    }
  }
  addError(issues, 'structure', text, at);
}
