import { describe, expect, it } from 'vitest';
import { coarseLocation } from './contacts.routes.js';

describe('coarseLocation', () => {
  it.each([
    ['Europe/Berlin', 'de-DE', 'Berlin area · Germany'],
    ['America/Argentina/Buenos_Aires', 'es-AR', 'Buenos Aires area · Argentina'],
    ['Asia/Tokyo', 'ja', 'Tokyo area'],
    [null, 'en-GB', 'United Kingdom'],
    ['Etc/UTC', 'en', null],
    ['<script>/x', 'xx-ZZ', null],
    [null, null, null],
  ])('%s + %s → %s', (tz, lang, expected) => {
    expect(coarseLocation(tz, lang)).toBe(expected);
  });
});
