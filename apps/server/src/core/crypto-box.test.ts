import { describe, expect, it } from 'vitest';
import { secretBox } from './crypto-box.js';

describe('secretBox', () => {
  it('seals and opens; the sealed text does not contain the secret and differs every time', () => {
    const box = secretBox('k'.repeat(40));
    const a = box.seal('JBSWY3DPEHPK3PXP');
    const b = box.seal('JBSWY3DPEHPK3PXP');
    expect(a).not.toContain('JBSWY3DPEHPK3PXP');
    expect(a).not.toBe(b);
    expect(box.open(a)).toBe('JBSWY3DPEHPK3PXP');
  });

  it('refuses a tampered text or another key', () => {
    const box = secretBox('k'.repeat(40));
    const sealed = box.seal('secret');
    const parts = sealed.split('.');
    parts[3] = Buffer.from('other!').toString('base64url');
    expect(() => box.open(parts.join('.'))).toThrow();
    expect(() => secretBox('j'.repeat(40)).open(sealed)).toThrow();
  });
});
