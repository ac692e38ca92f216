import { describe, expect, it } from 'vitest';
import { normalizeQuery } from './feedback.js';
import { BUILT_IN_SYNONYMS, BUILT_IN_WORDS, FILLER } from './synonyms.js';

describe('built-in synonym groups', () => {
  it('lists each term once per language, so that a word joins one group only', () => {
    for (const [language, groups] of Object.entries(BUILT_IN_SYNONYMS)) {
      const terms = groups.flat().map(normalizeQuery);
      const repeated = terms.filter((t, i) => terms.indexOf(t) !== i);
      expect(repeated, language).toEqual([]);
    }
  });

  it('holds terms a question can match: non-empty once accents are folded, no filler word alone', () => {
    for (const term of Object.values(BUILT_IN_SYNONYMS).flat(2)) {
      const words = normalizeQuery(term).split(' ');
      expect(words.join('').length, term).toBeGreaterThan(1);
      expect(words.length === 1 && FILLER.has(words[0]!), term).toBe(false);
    }
  });

  it('knows its words folded as question words are, so they are never corrected as typos', () => {
    expect(BUILT_IN_WORDS.has('erase')).toBe(true);
    expect(BUILT_IN_WORDS.has('ruckerstattung')).toBe(true);
    expect(BUILT_IN_WORDS.has('rückerstattung')).toBe(false);
  });
});
