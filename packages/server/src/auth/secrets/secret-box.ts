import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { OperationOutcomeError, operationOutcome } from '@hospitium/fhir';

/** Prefix of a sealed value: the format version (AES-256-GCM, 96-bit IV, 128-bit tag). */
const prefix = 'v1:';

/** A 500 whose text says what is wrong with the key, for the log and the start banner. */
function keyProblem(text: string): OperationOutcomeError {
  return new OperationOutcomeError(
    operationOutcome([{ severity: 'error', code: 'security', details: { text } }]),
    { status: 500 },
  );
}

/**
 * Encrypts small secrets kept in the database (TOTP seeds) with AES-256-GCM: a stolen database
 * dump or backup no longer yields every administrator's second factor. The key lives outside
 * the database (`HOSPITIUM_SECRET_KEY` or a 0600 key file in the data directory). GCM
 * authenticates: a wrong key or a tampered value is detected, never decrypted to garbage.
 */
export class SecretBox {
  private readonly key: Buffer;

  constructor(key: Buffer) {
    if (key.length !== 32) throw keyProblem(`The secret key must be 32 bytes, not ${key.length}`);
    this.key = Buffer.from(key);
  }

  /** True when `value` is in the sealed format (not a secret left in clear by an older version). */
  static isSealed(value: string): boolean {
    return value.startsWith(prefix);
  }

  /** `v1:` + base64url(IV ‖ tag ‖ ciphertext); a fresh random IV every time. */
  seal(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return prefix + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
  }

  /** The secret; a 500 naming the key as the problem when it does not decrypt. */
  open(sealed: string): string {
    if (!SecretBox.isSealed(sealed)) throw keyProblem('A stored secret is not in the encrypted format');
    const raw = Buffer.from(sealed.slice(prefix.length), 'base64url');
    if (raw.length < 29) throw keyProblem('A stored secret is truncated');
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    } catch {
      throw keyProblem(
        'A stored TOTP secret does not decrypt with the configured secret key (HOSPITIUM_SECRET_KEY or the data directory key file): it is not the key the secrets were encrypted with',
      );
    }
  }
}
