import { Secret, TOTP } from 'otpauth';

/** RFC 6238 defaults every authenticator app understands: SHA-1, 6 digits, 30 s. */
function totpFor(secretBase32: string, label = 'user'): TOTP {
  return new TOTP({
    issuer: 'Hospitium',
    label,
    algorithm: 'SHA1',
    digits: 6,
    period: 30,
    secret: Secret.fromBase32(secretBase32),
  });
}

/** A new random TOTP secret (base32, 160 bits) and its `otpauth://` URI for an authenticator app. */
export function newTotpSecret(username: string): { secret: string; uri: string } {
  const secret = new Secret({ size: 20 }).base32;
  return { secret, uri: totpFor(secret, username).toString() };
}

/** True when `code` is the current code (or the one before or after, for clock drift). */
export function checkTotp(secretBase32: string, code: string): boolean {
  if (!/^\d{6}$/.test(code.trim())) return false;
  return totpFor(secretBase32).validate({ token: code.trim(), window: 1 }) !== null;
}

/** The current code (tests, and `hospitium users` to show a new enrolment works). */
export function currentTotp(secretBase32: string): string {
  return totpFor(secretBase32).generate();
}
