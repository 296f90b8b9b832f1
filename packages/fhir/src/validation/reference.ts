/**
 * Syntax of `Reference.reference` (https://hl7.org/fhir/R4/references.html#literal):
 * - `Type/id` and `Type/id/_history/vid` (relative to the server base),
 * - an absolute `http(s)://` URL,
 * - `urn:uuid:<uuid>` and `urn:oid:<oid>` (bundle-local identities),
 * - `#id` for a contained resource, `#` for the containing resource,
 * - `Type?search` conditional references, which transaction bundles use and the server resolves.
 */

const ID = '[A-Za-z0-9\\-.]{1,64}';
const RELATIVE_RE = new RegExp(`^([A-Za-z]+)/${ID}(/_history/${ID})?$`);
const CONDITIONAL_RE = /^([A-Za-z]+)\?\S*$/;
const ABSOLUTE_RE = /^https?:\/\/[^\s/]+\S*$/;
const UUID_RE = /^urn:uuid:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const OID_RE = /^urn:oid:[0-2](\.(0|[1-9][0-9]*))+$/;
const LOCAL_RE = new RegExp(`^#(${ID})?$`);

/**
 * Checks a literal reference; returns why it is malformed, or undefined when it is well-formed.
 * `isResourceType` decides whether the type in `Type/id` names a real resource type.
 */
export function checkReferenceSyntax(
  reference: string,
  isResourceType: (name: string) => boolean,
): string | undefined {
  const first = reference.charCodeAt(0);
  if (first === 35 /* # */) return LOCAL_RE.test(reference) ? undefined : 'a contained reference must be #id';
  if (reference.startsWith('urn:')) {
    if (reference.startsWith('urn:uuid:'))
      return UUID_RE.test(reference) ? undefined : 'urn:uuid: must be followed by a UUID';
    if (reference.startsWith('urn:oid:'))
      return OID_RE.test(reference) ? undefined : 'urn:oid: must be followed by an OID';
    return 'only urn:uuid: and urn:oid: URNs can be references';
  }
  if (reference.startsWith('http://') || reference.startsWith('https://')) {
    return ABSOLUTE_RE.test(reference) ? undefined : 'an absolute reference must be a URL without whitespace';
  }
  const match = RELATIVE_RE.exec(reference) ?? CONDITIONAL_RE.exec(reference);
  if (!match)
    return 'expected Type/id, Type/id/_history/version, an absolute URL, urn:uuid:, urn:oid: or #id';
  return isResourceType(match[1]) ? undefined : `${match[1]} is not a FHIR R4 resource type`;
}
