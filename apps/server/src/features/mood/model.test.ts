import { describe, expect, it } from 'vitest';
import { readMood } from './model.js';
import { detectLanguage } from './language.js';
import { featuresOf } from './features.js';

describe('the mood model', () => {
  it('tells clear cases of each mood apart', () => {
    expect(readMood('This is absolutely unacceptable, I want my money back today or I call my lawyer!').mood).toBe('angry');
    expect(readMood('I have been waiting two weeks and the parcel still has not arrived, this is getting annoying.').mood).toBe('frustrated');
    expect(readMood('Hi, can I change the delivery address of my order?').mood).toBe('neutral');
    expect(readMood('Thank you so much, that fixed it. Great service!').mood).toBe('happy');
  });

  it('scores sentiment from -1 to 1, happy above neutral above angry', () => {
    const happy = readMood('Thanks a lot, everything works perfectly!').sentiment;
    const neutral = readMood('What are your opening hours on Saturday?').sentiment;
    const angry = readMood('Worst service ever. This is a scam, refund me NOW!!!').sentiment;
    for (const s of [happy, neutral, angry]) expect(Math.abs(s)).toBeLessThanOrEqual(1);
    expect(happy).toBeGreaterThan(0.5);
    expect(angry).toBeLessThan(-0.5);
    expect(happy).toBeGreaterThan(neutral);
    expect(neutral).toBeGreaterThan(angry);
  });

  it('reads "not happy" as displeasure, not as happiness', () => {
    const { mood, sentiment } = readMood('I am not happy with this at all.');
    expect(['frustrated', 'angry']).toContain(mood);
    expect(sentiment).toBeLessThan(0);
    expect(featuresOf('I am not happy').has('w:!happy')).toBe(true);
    // A negation stops at the end of its clause.
    expect(featuresOf('Not bad. Happy now').has('w:!happy')).toBe(false);
  });

  it('hears sarcasm: praise that introduces a complaint', () => {
    expect(featuresOf('Oh great, another week of waiting.').has('cue:sarcasm')).toBe(true);
    expect(featuresOf('Great, thanks!').has('cue:sarcasm')).toBe(false);
    const { mood } = readMood('Oh great, another week of waiting. You guys are just amazing at this.');
    expect(['angry', 'frustrated']).toContain(mood);
    expect(readMood('Thanks for nothing.').sentiment).toBeLessThan(0);
  });

  it('reads German', () => {
    expect(readMood('Vielen Dank, jetzt funktioniert alles wieder!').mood).toBe('happy');
    expect(readMood('Das ist eine Frechheit! Ich will sofort mein Geld zurück, sonst gehe ich zum Anwalt.').mood).toBe('angry');
    expect(readMood('Wie ändere ich meine Lieferadresse?').mood).toBe('neutral');
    expect(readMood('Ich bin nicht zufrieden, das Gerät ist schon wieder kaputt.').sentiment).toBeLessThan(0);
  });

  it('names the language in ISO 639-1, and says null rather than guess', () => {
    expect(detectLanguage('Hello, I would like to know where my order is, it was due yesterday.')).toBe('en');
    expect(detectLanguage('Guten Tag, ich möchte wissen, wo meine Bestellung bleibt, sie sollte gestern kommen.')).toBe('de');
    expect(detectLanguage('Bonjour, je voudrais savoir où en est ma commande, elle devait arriver hier.')).toBe('fr');
    expect(detectLanguage('Thanks!')).toBe('en');
    expect(detectLanguage('Danke dir')).toBe('de');
    expect(detectLanguage('12345 !!!')).toBeNull();
    expect(readMood('Gracias, todo perfecto').language).toBe('es');
  });
});
