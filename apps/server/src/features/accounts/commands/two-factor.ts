/** TOTP two-factor (RFC 6238) with replay protection: a code's time step is accepted once. */
import { Secret, TOTP } from 'otpauth';

const PERIOD = 30;

export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

export function totpFor(secret: string, email: string): TOTP {
  return new TOTP({ issuer: 'Rapport', label: email, algorithm: 'SHA1', digits: 6, period: PERIOD, secret: Secret.fromBase32(secret) });
}

/**
 * The time step the code belongs to, if valid (±1 step of clock drift) and newer than lastStep;
 * otherwise null.
 */
export function verifyTotp(secret: string, code: string, lastStep: number | null): number | null {
  const delta = new TOTP({ secret: Secret.fromBase32(secret), period: PERIOD }).validate({ token: code, window: 1 });
  if (delta === null) return null;
  const step = Math.floor(Date.now() / 1000 / PERIOD) + delta;
  if (lastStep !== null && step <= lastStep) return null;
  return step;
}
