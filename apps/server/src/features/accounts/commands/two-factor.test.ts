import { describe, expect, it } from 'vitest';
import { TOTP, Secret } from 'otpauth';
import { newTotpSecret, verifyTotp } from './two-factor.js';

describe('verifyTotp', () => {
  const secret = newTotpSecret();
  const totp = new TOTP({ secret: Secret.fromBase32(secret), period: 30 });

  it('accepts the current code once, and the neighbouring step for clock drift', () => {
    const step = verifyTotp(secret, totp.generate(), null);
    expect(step).toBe(Math.floor(Date.now() / 30_000));
    expect(verifyTotp(secret, totp.generate(), step)).toBeNull(); // replay
    expect(verifyTotp(secret, totp.generate({ timestamp: Date.now() - 30_000 }), null)).not.toBeNull();
  });

  it('refuses codes from far away in time and wrong codes', () => {
    expect(verifyTotp(secret, totp.generate({ timestamp: Date.now() - 5 * 60_000 }), null)).toBeNull();
    expect(verifyTotp(newTotpSecret(), totp.generate(), null)).toBeNull();
  });
});
