import bcrypt from 'bcryptjs';
import crypto from 'node:crypto';

/** bcryptjs is pure JS; cost 11 keeps a sign-in around 150 ms on a small server. */
const BCRYPT_COST = 11;
export { MIN_PASSWORD_LENGTH } from './password-rules';

export function hashPassword(plain: string): Promise<string> {
  return bcrypt.hash(plain, BCRYPT_COST);
}

export function verifyPassword(plain: string, hash: string): Promise<boolean> {
  return bcrypt.compare(plain, hash);
}

/** A readable one-time password: 18 random bytes, base64url (24 characters). */
export function generatePassword(): string {
  return crypto.randomBytes(18).toString('base64url');
}
