import { describe, expect, it } from 'vitest';
import type { FhirRequest } from '../../fhir/types.js';
import { type AccessContext, accessFromScope } from '../tokens/access-context.js';
import type { Role } from '../users/roles.js';
import { describeRequest } from './access-request.js';
import { decideMessageStore } from './message-store.js';
import { type Decision, decide } from './policy.js';

function request(method: string, path: string, body?: unknown): FhirRequest {
  const [p, q = ''] = path.split('?');
  return {
    method,
    segments: p.split('/').filter(Boolean),
    query: new URLSearchParams(q),
    headers: {},
    body,
  };
}

const token = (scope: string, extra: Partial<AccessContext> = {}): AccessContext =>
  accessFromScope({ kind: 'client', subject: 'c', clientId: 'c', roles: [], ...extra }, scope);

/** [scope, launch patient, method, path, allowed] — the permission matrix of SMART scopes. */
const matrix: [string, string | undefined, string, string, boolean][] = [
  // read / vread / history-instance need r; search and type/system history need s
  ['system/Patient.r', undefined, 'GET', 'Patient/1', true],
  ['system/Patient.r', undefined, 'GET', 'Patient/1/_history/2', true],
  ['system/Patient.r', undefined, 'GET', 'Patient/1/_history', true],
  ['system/Patient.r', undefined, 'GET', 'Patient', false],
  ['system/Patient.s', undefined, 'GET', 'Patient?name=x', true],
  ['system/Patient.s', undefined, 'POST', 'Patient/_search', true],
  ['system/Patient.s', undefined, 'GET', 'Patient/_history', true],
  ['system/Patient.s', undefined, 'GET', 'Patient/1', false],
  // create c, update and patch u, delete d (conditional forms too)
  ['system/Patient.c', undefined, 'POST', 'Patient', true],
  ['system/Patient.rs', undefined, 'POST', 'Patient', false],
  ['system/Patient.u', undefined, 'PUT', 'Patient/1', true],
  ['system/Patient.u', undefined, 'PATCH', 'Patient/1', true],
  ['system/Patient.u', undefined, 'PUT', 'Patient?identifier=x', true],
  ['system/Patient.c', undefined, 'PUT', 'Patient/1', false],
  ['system/Patient.d', undefined, 'DELETE', 'Patient/1', true],
  ['system/Patient.d', undefined, 'DELETE', 'Patient?identifier=x', true],
  ['system/Patient.cru', undefined, 'DELETE', 'Patient/1', false],
  // wildcards and v1 names
  ['user/*.cruds', undefined, 'DELETE', 'Observation/1', true],
  ['system/*.read', undefined, 'GET', 'Observation?code=x', true],
  ['system/*.read', undefined, 'POST', 'Observation', false],
  ['system/*.write', undefined, 'POST', 'Observation', true],
  // the type must match
  ['system/Observation.rs', undefined, 'GET', 'Patient/1', false],
  // system-level interactions need the permission on every type (or the types asked)
  ['system/Patient.s', undefined, 'GET', '?_type=Patient', true],
  ['system/Patient.s', undefined, 'GET', '?_type=Patient,Observation', false],
  ['system/*.s', undefined, 'GET', '_history', true],
  ['system/Patient.s', undefined, 'GET', '_history', false],
  // compartment search is a search of the target type
  ['system/Observation.s', undefined, 'GET', 'Patient/1/Observation', true],
  ['system/Patient.s', undefined, 'GET', 'Patient/1/Observation', false],
  // operations
  ['system/*.rs', undefined, 'GET', 'Patient/1/$everything', true],
  ['system/Patient.rs', undefined, 'GET', 'Patient/1/$everything', false],
  ['system/*.rs', undefined, 'GET', '$export', true],
  ['system/Patient.rs', undefined, 'GET', '$export?_type=Patient', true],
  ['system/Patient.rs', undefined, 'GET', '$export?_type=Patient,Observation', false],
  ['system/Patient.r', undefined, 'GET', 'Patient/$export?_type=Patient', false],
  ['user/*.rs', undefined, 'GET', 'Group/g/$export', true],
  ['patient/*.rs', 'p1', 'GET', 'Patient/$export', false],
  // public
  ['', undefined, 'GET', 'metadata', true],
  ['', undefined, 'POST', '', true],
  // patient context: the patient and its compartment only
  ['patient/*.rs', 'p1', 'GET', 'Patient/p1', true],
  ['patient/*.rs', 'p1', 'GET', 'Patient/p1/_history', true],
  ['patient/*.rs', 'p1', 'GET', 'Patient/p2', false],
  ['patient/*.rs', 'p1', 'GET', 'Patient/p1/Observation', true],
  ['patient/*.rs', 'p1', 'GET', 'Patient/p2/Observation', false],
  ['patient/*.rs', 'p1', 'GET', 'Observation', false],
  // a read by id is allowed subject to the stored resource being the patient's (authorize() checks)
  ['patient/*.rs', 'p1', 'GET', 'Observation/o1', true],
  ['patient/*.rs', 'p1', 'GET', 'Observation/o1/_history/1', false],
  ['patient/*.rs', 'p1', 'GET', 'Observation/o1/_history', false],
  ['patient/*.rs', 'p1', 'GET', 'Organization/org1', false],
  ['patient/*.rs', undefined, 'GET', 'Observation/o1', false],
  // a type search pinned to the patient alone is inside the compartment (SMART apps search so)
  ['patient/*.rs', 'p1', 'GET', 'Observation?patient=p1', true],
  ['patient/*.rs', 'p1', 'GET', 'Observation?subject=Patient/p1&code=1234-5', true],
  ['patient/*.rs', 'p1', 'GET', 'Observation?patient=p2', false],
  ['patient/*.rs', 'p1', 'GET', 'Observation?patient=p1,p2', false],
  ['patient/*.rs', 'p1', 'GET', 'Observation?subject=p1', false],
  ['patient/*.rs', 'p1', 'GET', 'Observation?patient=p1&_include=Observation:performer', false],
  ['patient/*.rs', 'p1', 'GET', 'Observation?patient=p1&performer.name=x', false],
  ['patient/*.rs', 'p1', 'GET', 'Organization?patient=p1', false],
  ['patient/*.rs', 'p1', 'GET', 'Patient/p1/$everything', true],
  ['patient/*.rs', 'p1', 'GET', 'Patient/p2/$everything', false],
  ['patient/*.rs', 'p1', 'GET', 'Patient/p1/Observation?_include=Observation:performer', false],
  ['patient/*.rs', 'p1', 'GET', 'Patient/p1/Observation?_revinclude=Provenance:target', false],
  ['patient/*.rs', 'p1', 'GET', 'Patient/p1/Observation?_has:Encounter:patient:status=x', false],
  ['patient/*.rs', 'p1', 'GET', 'Patient/p1/Observation?performer.name=x', false],
  ['patient/*.rs', undefined, 'GET', 'Patient/p1', false],
  ['patient/*.cruds', 'p1', 'POST', 'Observation', false],
  ['patient/*.cruds', 'p1', 'PUT', 'Patient/p1', true],
  ['patient/*.rs user/Observation.s', 'p1', 'GET', 'Observation', true],
  // granular scopes: only searches that carry the restriction
  ['system/Observation.rs?category=laboratory', undefined, 'GET', 'Observation?category=laboratory', true],
  ['system/Observation.rs?category=laboratory', undefined, 'GET', 'Observation?category=vital-signs', false],
  ['system/Observation.rs?category=laboratory', undefined, 'GET', 'Observation', false],
  ['system/Observation.rs?category=laboratory', undefined, 'GET', 'Observation/1', false],
];

describe('the access policy (SMART scopes)', () => {
  it.each(matrix)('%s (patient %s): %s /%s → %s', (scope, patient, method, path, allowed) => {
    const access = token(scope, patient ? { patient } : {});
    const described = describeRequest(request(method, path));
    const decision: Decision = described ? decide(access, described) : { allowed: true };
    expect(decision.allowed).toBe(allowed);
    if (!decision.allowed) expect(decision.reason.length).toBeGreaterThan(20);
  });

  it('a patient-context read by id carries the patient its resource must belong to', () => {
    const decision = decide(
      token('patient/*.rs', { patient: 'p1' }),
      describeRequest(request('GET', 'Observation/o1'))!,
    );
    expect(decision).toEqual({ allowed: true, instanceOf: 'p1' });
    const compartment = decide(
      token('patient/*.rs', { patient: 'p1' }),
      describeRequest(request('GET', 'Patient/p1'))!,
    );
    expect(compartment).toEqual({ allowed: true });
  });

  it('reads $export types from a POSTed Parameters body', () => {
    const body = {
      resourceType: 'Parameters',
      parameter: [{ name: '_type', valueString: 'Patient,Observation' }],
    };
    const described = describeRequest(request('POST', '$export', body));
    expect(described?.types).toEqual(['Patient', 'Observation']);
    expect(decide(token('system/Patient.rs'), described!).allowed).toBe(false);
  });

  it('names the missing permission', () => {
    const decision = decide(token('system/Patient.r'), describeRequest(request('DELETE', 'Patient/1'))!);
    expect(decision).toEqual({
      allowed: false,
      reason: "The access token's scopes do not allow delete on Patient (needs a scope with 'd' for Patient)",
    });
  });
});

const user = (roles: Role[], scope = 'user/*.cruds', extra: Partial<AccessContext> = {}): AccessContext =>
  accessFromScope({ kind: 'user', subject: 'u', clientId: 'c', roles, ...extra }, scope);

/** [roles, method, path, allowed, bound to a related patient] — scope AND role for user tokens. */
const roleMatrix: [Role[], string, string, boolean, boolean][] = [
  [['nurse'], 'GET', 'Observation?patient=p', true, true],
  [['nurse'], 'GET', 'Patient?name=x', true, false],
  [['nurse'], 'DELETE', 'Observation/1', false, false],
  [['physician'], 'DELETE', 'Observation/1', true, true],
  [['registrar'], 'GET', 'Observation/1', false, false],
  [['registrar'], 'POST', 'Coverage', true, false],
  [['registrar', 'nurse'], 'GET', 'Encounter?patient=p', true, false],
  [['biller'], 'GET', '$export', false, false],
  [['physician'], 'GET', 'Patient/$export', false, false],
  [['physician'], 'GET', 'Patient/p/$everything', true, true],
  [['lab-tech'], 'GET', 'Patient/p/$everything', false, false],
  [['supply'], 'GET', 'Patient/p', false, false],
  [['it-admin'], 'GET', 'AuditEvent?patient=p', true, false],
  [['it-admin'], 'GET', 'Observation?patient=p', false, false],
  [[], 'GET', 'Location', false, false],
  // ADT workflow operations (workflow-operations.ts): registrars hospital-wide, clinicians for their patients
  [['registrar'], 'POST', 'Encounter/$admit', true, false],
  [['physician'], 'POST', 'Encounter/$admit', true, true],
  [['nurse'], 'POST', 'Encounter/$admit', false, false],
  [['registrar', 'nurse'], 'POST', 'Encounter/$admit', true, false],
  [['nurse'], 'POST', 'Encounter/e/$transfer', true, true],
  [['registrar'], 'POST', 'Encounter/e/$discharge', true, false],
  [['physician'], 'POST', 'Encounter/e/$discharge', true, true],
  [['physician'], 'POST', 'Encounter/e/$cancel-discharge', true, true],
  [['nurse'], 'POST', 'Encounter/e/$leave-of-absence', true, true],
  [['biller'], 'POST', 'Encounter/e/$discharge', false, false],
  [['pharmacist'], 'POST', 'Encounter/e/$transfer', false, false],
  [['nurse'], 'POST', 'Encounter/e/$request-transfer', true, true],
  [['registrar'], 'POST', 'Encounter/e/$cancel-transfer-request', true, false],
  [['physician'], 'POST', 'Encounter/e/$plan-discharge', true, true],
  [['biller'], 'POST', 'Encounter/e/$plan-discharge', false, false],
  [['pharmacist'], 'POST', 'Encounter/e/$request-transfer', false, false],
  // housekeeping and blocking beds: nurses and registrars, no patient involved
  [['nurse'], 'POST', 'Location/b/$mark-clean', true, false],
  [['registrar'], 'POST', 'Location/b/$block', true, false],
  [['physician'], 'POST', 'Location/b/$start-cleaning', false, false],
  [['it-admin'], 'POST', 'Location/b/$mark-dirty', false, false],
  // the bed board: who lies where, for the roles that place and care for inpatients
  [['nurse'], 'GET', 'Location/$bed-board', true, false],
  [['physician'], 'GET', 'Location/$bed-board', true, false],
  [['lab-tech'], 'GET', 'Location/$bed-board', false, false],
  [['patient'], 'GET', 'Location/$bed-board', false, false],
];

describe('the access policy (roles of user tokens)', () => {
  it.each(roleMatrix)('%s: %s /%s → %s (bound %s)', (roles, method, path, allowed, bound) => {
    const decision = decide(user(roles), describeRequest(request(method, path))!);
    expect(decision.allowed).toBe(allowed);
    if (decision.allowed) expect(decision.patientBound ?? false).toBe(bound);
    else expect(decision.reason).toMatch(/role|scope/);
  });

  it('needs scopes on every type a workflow operation writes, for users and backend clients', () => {
    expect(
      decide(user(['registrar'], 'user/*.rs'), describeRequest(request('POST', 'Encounter/$admit'))!).allowed,
    ).toBe(false);
    expect(
      decide(token('system/Encounter.cu'), describeRequest(request('POST', 'Encounter/$admit'))!),
    ).toMatchObject({
      allowed: false,
      reason: expect.stringContaining('Location'),
    });
    expect(
      decide(
        token('system/Encounter.cu system/Location.u system/Task.cu'),
        describeRequest(request('POST', 'Encounter/$admit'))!,
      ).allowed,
    ).toBe(true);
    expect(
      decide(
        token('patient/*.cruds', { patient: 'p' }),
        describeRequest(request('POST', 'Encounter/$admit'))!,
      ).allowed,
    ).toBe(false);
  });

  it('keeps the scope: a user/ read scope never writes, whatever the role', () => {
    expect(
      decide(user(['physician'], 'user/*.rs'), describeRequest(request('POST', 'Observation'))!).allowed,
    ).toBe(false);
  });

  it('confines a portal patient to its own record', () => {
    const portal = user(['patient'], 'user/*.rs', { fhirUser: 'Patient/p1' });
    expect(decide(portal, describeRequest(request('GET', 'Patient/p1'))!).allowed).toBe(true);
    expect(decide(portal, describeRequest(request('GET', 'Patient/p1/Observation'))!).allowed).toBe(true);
    expect(decide(portal, describeRequest(request('GET', 'Patient/p2'))!).allowed).toBe(false);
    expect(decide(portal, describeRequest(request('GET', 'Observation'))!).allowed).toBe(false);
  });

  it('opens the HL7 v2 message store to interface analysts and IT admins only', () => {
    expect(decideMessageStore(user(['interface-analyst'], 'user/*.rs'), 'read')).toBeUndefined();
    expect(decideMessageStore(user(['nurse'], 'user/*.cruds'), 'read')).toContain('interface-analyst');
    expect(decideMessageStore(token('system/*.rs'), 'read')).toBeUndefined();
  });
});
