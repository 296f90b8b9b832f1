import { forbidden } from '@hospitium/fhir';
import type { Permission } from '../smart/scopes.js';
import type { AccessContext } from '../tokens/access-context.js';

/** What a request to the HL7 v2 message store (`/hl7/messages`) does. */
export type MessageStoreAction = 'read' | 'replay' | 'delete';

/**
 * The message store holds raw HL7 v2 messages: every patient's identifiers, results and
 * diagnoses, unfiltered. Reading it needs read and search on all resource types from a
 * `system/` or `user/` scope (`system/*.rs`, `user/*.cruds`); replaying a message writes FHIR
 * resources, so it also needs create and update on all types; deleting a message (a dead letter
 * an analyst gives up on) needs delete on all types. A `patient/` scope never reaches it. A signed-in user also needs the interface-analyst or it-admin role.
 */
export function decideMessageStore(access: AccessContext, action: MessageStoreAction): string | undefined {
  if (access.kind === 'internal') return undefined;
  if (access.kind === 'user' && !access.roles.some((r) => r === 'interface-analyst' || r === 'it-admin')) {
    return 'The HL7 v2 message store is for interface analysts and IT administrators (role interface-analyst or it-admin)';
  }
  const needed: Permission[] =
    action === 'read' ? ['r', 's'] : action === 'delete' ? ['r', 's', 'd'] : ['r', 's', 'c', 'u'];
  const missing = needed.filter(
    (p) =>
      !access.resourceScopes.some(
        (s) => s.context !== 'patient' && s.resourceType === '*' && !s.restriction && s.permissions.has(p),
      ),
  );
  if (missing.length === 0) return undefined;
  const verb = action === 'read' ? 'reading' : action === 'delete' ? 'deleting from' : 'replaying';
  return `The HL7 v2 message store holds every patient's data: ${verb} it needs a system/ or user/ scope on all types with '${missing.join("', '")}' (e.g. ${action === 'read' ? 'system/*.rs' : 'system/*.cruds'})`;
}

/** Throws 403 naming what is missing unless `access` may do `action` on the message store. */
export function authorizeMessageStore(access: AccessContext, action: MessageStoreAction): void {
  const reason = decideMessageStore(access, action);
  if (reason) throw forbidden(reason);
}
