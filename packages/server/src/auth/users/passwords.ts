import { hash, verify } from '@node-rs/argon2';

/** argon2id (the @node-rs/argon2 default algorithm) with OWASP's minimum cost: 19 MiB, 2 passes. */
const options = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** Shortest password accepted for a user account. */
export const minimumPasswordLength = 12;

/** The argon2id hash (PHC string, salt included) to store for a password. */
export function hashSecret(secret: string): Promise<string> {
  return hash(secret, options);
}

/** True when `secret` matches the stored hash; false for a malformed hash rather than throwing. */
export async function verifySecret(storedHash: string, secret: string): Promise<boolean> {
  try {
    return await verify(storedHash, secret);
  } catch {
    return false;
  }
}

/** Why a new password is refused, or undefined when it is acceptable. */
export function passwordProblem(password: string, username?: string): string | undefined {
  if (password.length < minimumPasswordLength) {
    return `A password needs at least ${minimumPasswordLength} characters`;
  }
  if (username && password.toLowerCase().includes(username.toLowerCase())) {
    return 'A password must not contain the user name';
  }
  return undefined;
}
