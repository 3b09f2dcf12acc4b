/**
 * Webhook signing secrets at rest. Signing needs the secret itself, so it
 * cannot be hashed: it is encrypted with AES-256-GCM under a key from
 * configuration (WEBHOOK_SECRET_KEY), which the database never holds. A
 * secret is shown to an admin once, when made, and never logged.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const VERSION = 'v1';

/** A new signing secret in the Standard Webhooks form: `whsec_` and 32 random bytes in base64. */
export const newWebhookSecret = (): string => `whsec_${randomBytes(32).toString('base64')}`;

/** A 32-byte key from base64 or hex text, or null when the text is neither. */
export function parseSecretKey(text: string): Buffer | null {
  const t = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(t)) return Buffer.from(t, 'hex');
  const b = Buffer.from(t, 'base64');
  return b.length === 32 && /^[A-Za-z0-9+/]+={0,2}$/.test(t) ? b : null;
}

/** The key used outside production when WEBHOOK_SECRET_KEY is unset: never for real secrets. */
export const DEVELOPMENT_SECRET_KEY = createHash('sha256')
  .update('golden-thread-development-webhook-key-do-not-use-in-production')
  .digest();

/** `v1:` and the base64 of a 12-byte IV, the 16-byte tag and the ciphertext. */
export function encryptSecret(key: Buffer, secret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const data = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return `${VERSION}:${Buffer.concat([iv, cipher.getAuthTag(), data]).toString('base64')}`;
}

/** @throws when the text was not encrypted under `key` (a changed WEBHOOK_SECRET_KEY) or was altered. */
export function decryptSecret(key: Buffer, stored: string): string {
  const [version, body] = stored.split(':');
  if (version !== VERSION || !body) throw new Error('not an encrypted webhook secret');
  const raw = Buffer.from(body, 'base64');
  const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
  decipher.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
}
