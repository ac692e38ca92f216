import { describe, expect, it } from 'vitest';
import { answerText, intentOf, QUICK_REPLIES, quote, QUOTE_MAX, wordsFor } from './replies.js';

describe('what the answer bot makes of a customer message', () => {
  it('reads the quick replies as the customer would mean them', () => {
    expect(intentOf(QUICK_REPLIES.yes, true)).toBe('yes');
    expect(intentOf(QUICK_REPLIES.no, true)).toBe('person');
    expect(intentOf(QUICK_REPLIES.no, false)).toBe('person');
  });

  it('reads typed answers on channels without buttons', () => {
    expect(intentOf('yes', true)).toBe('yes');
    expect(intentOf('Yes!! thanks', true)).toBe('yes');
    expect(intentOf('Ja, danke', true)).toBe('yes');
    expect(intentOf('no', true)).toBe('no');
    expect(intentOf('Nope.', true)).toBe('no');
    expect(intentOf('nein', true)).toBe('no');
    expect(intentOf('agent', false)).toBe('person');
    expect(intentOf('Can I talk to a human please?', false)).toBe('person');
    expect(intentOf('Ich möchte mit einem Mitarbeiter sprechen', false)).toBe('person');
  });

  it('treats yes and no as words of a question when nothing was asked', () => {
    expect(intentOf('yes', false)).toBe('question');
    expect(intentOf('no', false)).toBe('question');
    expect(intentOf('yes but how do I change my delivery address?', true)).toBe('question');
    expect(intentOf('How do I reset my password?', true)).toBe('question');
  });

  it('does not take a long message that mentions people for a request for one', () => {
    expect(intentOf('My order for three people arrived with only two helmets in it, the box was open and the invoice was missing too', false)).toBe('question');
  });

  it('quotes a long passage up to a sentence and cites the article', () => {
    const long = 'First sentence here. '.repeat(60);
    const q = quote(long);
    expect(q.length).toBeLessThanOrEqual(QUOTE_MAX + 2);
    expect(q.endsWith('here. …')).toBe(true);
    expect(quote('  short\n passage ')).toBe('short passage');
    const text = answerText({ text: 'Hold the button for 5 seconds.', title: 'Resetting the lock', url: 'https://x.example/help/a/en/articles/1-reset' });
    expect(text).toContain('“Resetting the lock” https://x.example/help/a/en/articles/1-reset');
    expect(text).toMatch(/Did that answer your question\?$/);
  });

  it('speaks German for German visitors and English otherwise, and reads both languages’ buttons', () => {
    expect(wordsFor('de-AT').ask).toBe('Hat das Ihre Frage beantwortet?');
    expect(wordsFor('fr').ask).toBe('Did that answer your question?');
    expect(wordsFor(undefined).yes).toBe(QUICK_REPLIES.yes);
    expect(intentOf(wordsFor('de').yes, true)).toBe('yes');
    expect(intentOf(wordsFor('de').no, true)).toBe('person');
    expect(answerText({ text: 'Halten Sie die Taste.', title: 'Schloss', url: 'https://x.example/a' }, wordsFor('de'))).toBe('Halten Sie die Taste.\n\nAus unserem Hilfe-Center: “Schloss” https://x.example/a\n\nHat das Ihre Frage beantwortet?');
  });
});
