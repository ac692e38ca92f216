import { describe, expect, it } from 'vitest';
import { awayText, strings } from './i18n.js';

// Local wall-clock dates: the widget speaks in the visitor's own time zone, whatever it is.
const friday = new Date(2025, 5, 6, 19, 30);
const local = (day: number, hour: number) => new Date(2025, 5, day, hour, 0).toISOString();

describe('awayText', () => {
  it('says when the team is back in English', () => {
    const en = strings('en');
    expect(awayText(en, 'en', local(6, 21), friday)).toBe('We’re away. Back today at 9:00 PM.');
    expect(awayText(en, 'en', local(7, 9), friday)).toBe('We’re away. Back tomorrow at 9:00 AM.');
    expect(awayText(en, 'en', local(9, 9), friday)).toBe('We’re away. Back Monday at 9:00 AM.');
    expect(awayText(en, 'en', local(20, 9), friday)).toBe('We’re away. Back on June 20 at 9:00 AM.');
  });

  it('and in German', () => {
    const de = strings('de');
    expect(awayText(de, 'de', local(9, 9), friday)).toBe('Wir sind gerade nicht da. Zurück am Montag um 9:00.');
    expect(awayText(de, 'de', local(20, 9), friday)).toBe('Wir sind gerade nicht da. Zurück am 20. Juni um 9:00.');
  });

  it('says only that the team is away when no opening is scheduled', () => {
    expect(awayText(strings('en'), 'en', null, friday)).toBe('We’re away.');
  });
});
