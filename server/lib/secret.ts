/**
 * The app secret: AUTH_SECRET, or one generated on first start and kept in DATA_DIR
 * so a zero-setup install still signs cookies and encrypts keys stably across restarts.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { env } from '../env';

let cached: string | undefined;

export function appSecret(): string {
  if (cached) return cached;
  if (env.AUTH_SECRET) return (cached = env.AUTH_SECRET);
  const file = path.resolve(env.DATA_DIR, 'auth-secret');
  try {
    cached = fs.readFileSync(file, 'utf8').trim();
  } catch {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const generated = crypto.randomBytes(32).toString('base64url');
    try {
      fs.writeFileSync(file, generated, { flag: 'wx', mode: 0o600 });
      cached = generated;
    } catch {
      cached = fs.readFileSync(file, 'utf8').trim(); // another process won the race
    }
  }
  return cached!;
}

// HKDF runs on every cookie check and model call otherwise; the secret is fixed for the process's life.
const derivedKeys = new Map<string, Buffer>();

/** A purpose-bound key so cookie signing and key encryption never share key material. */
export function deriveKey(purpose: string): Buffer {
  let key = derivedKeys.get(purpose);
  if (!key) {
    key = Buffer.from(crypto.hkdfSync('sha256', appSecret(), 'collabstudy', purpose, 32));
    derivedKeys.set(purpose, key);
  }
  return key;
}

export function hmac(purpose: string, value: string): string {
  return crypto.createHmac('sha256', deriveKey(purpose)).update(value).digest('base64url');
}

export function sha256(value: string): string {
  return crypto.createHash('sha256').update(value).digest('hex');
}

/** AES-256-GCM; output is iv.tag.ciphertext in base64url. */
export function encryptSecret(plain: string): string {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv('aes-256-gcm', deriveKey('llm-api-keys'), iv);
  const enc = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return [iv, cipher.getAuthTag(), enc].map((b) => b.toString('base64url')).join('.');
}

export function decryptSecret(sealed: string): string {
  const [iv, tag, enc] = sealed.split('.').map((p) => Buffer.from(p, 'base64url'));
  if (!iv || !tag || !enc) throw new Error('Malformed encrypted secret');
  const decipher = crypto.createDecipheriv('aes-256-gcm', deriveKey('llm-api-keys'), iv);
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(enc), decipher.final()]).toString('utf8');
}
