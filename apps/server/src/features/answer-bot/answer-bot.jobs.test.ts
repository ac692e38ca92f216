import { describe, expect, it } from 'vitest';
import { usableAnswer } from './answer-bot.jobs.js';

describe("the model's wording of an answer", () => {
  it('keeps the words and drops links the model wrote, Markdown or bare', () => {
    expect(usableAnswer('Hold the button for 5 s. See [our page](https://evil.example/x) or https://evil.example/y for more.')).toBe('Hold the button for 5 s. See our page or for more.');
    expect(usableAnswer('Click javascript:alert(1) now')).toBe('Click now');
  });

  it('answers null when nothing usable is left, and bounds a long answer', () => {
    expect(usableAnswer('  https://only.example/link  ')).toBeNull();
    const long = usableAnswer('word '.repeat(1000))!;
    expect(long.length).toBeLessThanOrEqual(1502);
    expect(long.endsWith('…')).toBe(true);
  });
});
