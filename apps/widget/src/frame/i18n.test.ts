import { describe, expect, it } from 'vitest';
import { pickLocale, replyTime, strings } from './i18n.js';

describe('i18n', () => {
  it('picks the first language it speaks', () => {
    expect(pickLocale(['de-AT', 'en'])).toBe('de');
    expect(pickLocale(['fr-FR', 'en-GB'])).toBe('en');
    expect(pickLocale(['ja'])).toBe('en');
  });

  it('keeps the server sentence in English and says the same in German', () => {
    const reply = { typical_minutes: 3, text: 'We typically reply in a few minutes' };
    expect(replyTime(strings('en'), 'en', reply)).toBe('We typically reply in a few minutes');
    expect(replyTime(strings('de'), 'de', reply)).toBe('Wir antworten meist in wenigen Minuten');
    expect(replyTime(strings('de'), 'de', { typical_minutes: null, text: 'x' })).toBe('Wir antworten so schnell wie möglich');
  });

  it('has every English string in German', () => {
    expect(Object.keys(strings('de')).sort()).toEqual(Object.keys(strings('en')).sort());
  });
});
