import { describe, expect, it } from 'vitest';
import { allowedEdits, complete, correct, editDistance, type Vocabulary } from './vocabulary.js';

function vocabulary(words: Record<string, [number, number]>): Vocabulary {
  const v: Vocabulary = { all: new Map(), publicOnly: new Map(), byLength: { all: new Map(), publicOnly: new Map() }, df: { all: null, publicOnly: null }, configs: new Map() };
  for (const [w, [all, pub]] of Object.entries(words)) {
    v.all.set(w, all);
    v.byLength.all.set(w.length, [...(v.byLength.all.get(w.length) ?? []), w]);
    if (pub) {
      v.publicOnly.set(w, pub);
      v.byLength.publicOnly.set(w.length, [...(v.byLength.publicOnly.get(w.length) ?? []), w]);
    }
  }
  return v;
}

describe('typo correction', () => {
  it('counts a swap of two letters as one edit', () => {
    expect(editDistance('refnud', 'refund', 2)).toBe(1);
    expect(editDistance('pasword', 'password', 2)).toBe(1);
    expect(editDistance('kitten', 'sitting', 5)).toBe(3);
    expect(editDistance('abc', 'xyz123', 2)).toBe(3);
  });

  it('allows more edits in longer words, none in short ones', () => {
    expect([3, 4, 5, 6, 12].map(allowedEdits)).toEqual([0, 1, 1, 2, 2]);
  });

  it('corrects to the closest known word, the more common on a tie, and never to a word only internal articles use', () => {
    const v = vocabulary({ refund: [5, 5], return: [9, 9], warranty: [2, 2], escalation: [1, 0] });
    expect(correct(v, 'refnud', 'public')).toBe('refund');
    expect(correct(v, 'warrenty', 'public')).toBe('warranty');
    expect(correct(v, 'refund', 'public')).toBeUndefined();
    expect(correct(v, 'bitcoin', 'public')).toBeUndefined();
    expect(correct(v, 'escalaton', 'public')).toBeUndefined();
    expect(correct(v, 'escalaton', 'agent')).toBe('escalation');
    expect(correct(v, '2024', 'public')).toBeUndefined();
  });

  it('completes a word being typed to the most used word it begins', () => {
    const v = vocabulary({ refund: [5, 5], refurbished: [1, 1], return: [9, 9] });
    expect(complete(v, 'ref', 'public')).toBe('refund');
    expect(complete(v, 'r', 'public')).toBeUndefined();
    expect(complete(v, 'xyz', 'public')).toBeUndefined();
  });
});
