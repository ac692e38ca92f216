import { describe, expect, it } from 'vitest';
import { templateSummary, timeLeft, windowState } from './replyWindow';

const now = Date.parse('2026-03-01T12:00:00Z');

describe('reply windows', () => {
  it('counts down while open, and closes when closes_at passes even before the server says so', () => {
    const window = { closes_at: '2026-03-01T15:00:00Z', open: true, template_required: false };
    expect(windowState(window, now)).toEqual({ open: true, left: 3 * 3_600_000, never: false });
    expect(windowState(window, Date.parse('2026-03-01T15:00:01Z'))).toEqual({ open: false, left: null, never: false });
    expect(windowState({ closes_at: null, open: false, template_required: true }, now)).toEqual({ open: false, left: null, never: true });
  });

  it('says the time left the way a person would', () => {
    expect(timeLeft(3 * 3_600_000 - 60_000)).toBe('3 h');
    expect(timeLeft(45 * 60_000)).toBe('45 min');
    expect(timeLeft(61_000)).toBe('2 min');
    expect(timeLeft(30_000)).toBe('less than a minute');
  });

  it('writes a template as agents read it in the thread', () => {
    expect(templateSummary({ name: 'order_update', language: 'en_US', parameters: ['A-1042', ' ', 'Thursday'] })).toBe('Template “order_update” (en_US): A-1042 · Thursday');
    expect(templateSummary({ name: 'hello', language: 'en', parameters: [] })).toBe('Template “hello” (en)');
  });
});
