import { describe, expect, it } from 'vitest';
import { conversationMood } from './aggregate.js';
import { evaluateConditions, type Facts } from '../automation/conditions.js';

const angry = { mood: 'angry' as const, sentiment: -0.9 };
const frustrated = { mood: 'frustrated' as const, sentiment: -0.45 };
const neutral = { mood: 'neutral' as const, sentiment: 0 };
const happy = { mood: 'happy' as const, sentiment: 0.9 };

describe("a conversation's mood", () => {
  it('is its one message at first, holding steady', () => {
    expect(conversationMood([frustrated])).toEqual({ mood: 'frustrated', sentiment: -0.45, trend: 'steady' });
  });

  it('gets worse when a calm customer turns angry, and better when thanks follow anger', () => {
    expect(conversationMood([angry, neutral])).toMatchObject({ mood: 'angry', trend: 'worsening' });
    expect(conversationMood([happy, angry, frustrated])).toMatchObject({ mood: 'happy', trend: 'improving' });
  });

  it('stays angry when an angry customer only gives a fact in passing', () => {
    const r = conversationMood([neutral, angry, angry]);
    expect(r.mood).toBe('angry');
    expect(r.sentiment).toBeLessThan(-0.3);
  });

  it('holds steady through more of the same', () => {
    expect(conversationMood([frustrated, frustrated, frustrated]).trend).toBe('steady');
  });
});

describe('mood conditions of automation rules', () => {
  const facts = (mood: string | null, moodTrend: string | null = null): Facts => ({
    channel: 'web_chat',
    inboxId: 'i',
    message: null,
    tags: [],
    priority: 'normal',
    status: 'open',
    assigneeId: null,
    contact: { name: null, email: null, phone: null, company: null, attributes: {} },
    withinBusinessHours: true,
    mood,
    moodTrend,
  });
  const holds = (condition: Parameters<typeof evaluateConditions>[0][number], f: Facts) => evaluateConditions([condition], f).matched;

  it('matches a mood that is, is not, or is worse than the ones given', () => {
    expect(holds({ field: 'mood', operator: 'in', values: ['angry'] }, facts('angry'))).toBe(true);
    expect(holds({ field: 'mood', operator: 'in', values: ['angry'] }, facts('frustrated'))).toBe(false);
    expect(holds({ field: 'mood', operator: 'not_in', values: ['happy', 'neutral'] }, facts('frustrated'))).toBe(true);
    expect(holds({ field: 'mood', operator: 'worse_than', values: ['neutral'] }, facts('frustrated'))).toBe(true);
    expect(holds({ field: 'mood', operator: 'worse_than', values: ['neutral'] }, facts('neutral'))).toBe(false);
    expect(holds({ field: 'mood', operator: 'worse_than', values: ['frustrated'] }, facts('angry'))).toBe(true);
    expect(holds({ field: 'mood', operator: 'in', values: ['negative'] }, facts('frustrated'))).toBe(true);
    expect(holds({ field: 'mood', operator: 'in', values: ['positive'] }, facts('happy'))).toBe(true);
  });

  it('matches the trend, and never a mood not yet read', () => {
    expect(holds({ field: 'mood_trend', operator: 'in', values: ['worsening'] }, facts('angry', 'worsening'))).toBe(true);
    expect(holds({ field: 'mood_trend', operator: 'in', values: ['worsening'] }, facts('angry', 'steady'))).toBe(false);
    expect(holds({ field: 'mood', operator: 'not_in', values: ['happy'] }, facts(null))).toBe(false);
    expect(holds({ field: 'mood', operator: 'worse_than', values: ['happy'] }, facts(null))).toBe(false);
    expect(holds({ field: 'mood_trend', operator: 'not_in', values: ['improving'] }, facts(null, null))).toBe(false);
  });
});
