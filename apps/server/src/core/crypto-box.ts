/**
 * Encrypts secrets that must be read back (two-factor seeds) with AES-256-GCM, and signs values
 * handed out as capabilities (a visitor's file links) with HMAC-SHA256.
 */
import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export interface SecretBox {
  seal(plain: string): string;
  open(sealed: string): string;
  /** A signature of `value` for one purpose (a signature for one purpose is useless for another). */
  sign(purpose: string, value: string): string;
  /** Whether `signature` is sign(purpose, value), compared in constant time. */
  verify(purpose: string, value: string, signature: string): boolean;
}

export function secretBox(secretKey: string): SecretBox {
  const key = createHash('sha256').update(`rapport:secret-box:${secretKey}`).digest();
  const macKey = createHash('sha256').update(`rapport:signer:${secretKey}`).digest();
  const sign = (purpose: string, value: string) => createHmac('sha256', macKey).update(`${purpose}\n${value}`).digest('base64url');
  return {
    sign,
    verify(purpose, value, signature) {
      const expected = Buffer.from(sign(purpose, value));
      const given = Buffer.from(signature);
      return given.length === expected.length && timingSafeEqual(given, expected);
    },
    seal(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
    },
    open(sealed) {
      const [version, iv, tag, body] = sealed.split('.');
      if (version !== 'v1' || !iv || !tag || !body) throw new Error('unknown sealed secret format');
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
    },
  };
}
