import { describe, expect, it } from 'vitest';
import { ACTION_VARIANTS, CONDITION_VARIANTS } from './automation.schema.js';
import { checkList, checkVariant } from './check.js';
import { evaluateConditions, mentions, type Facts } from './conditions.js';
import { renderTemplate, unknownVariables, variablesOf } from './variables.js';
import type { Condition } from './automation.schema.js';

const facts = (over: Partial<Facts> = {}): Facts => ({
  channel: 'web_chat',
  inboxId: '00000000-0000-4000-8000-000000000001',
  message: 'Hello, I would like a Refund for order 42',
  tags: ['vip'],
  priority: 'normal',
  status: 'open',
  assigneeId: null,
  contact: { name: 'Ana López', email: 'ana@example.com', phone: null, company: null, attributes: { language: 'es', plan: 'pro' } },
  withinBusinessHours: true,
  mood: null,
  moodTrend: null,
  ...over,
});

describe('conditions', () => {
  it('finds words at the start of a word, ignoring case', () => {
    expect(mentions('Can I get a REFUND?', 'refund')).toBe(true);
    expect(mentions('refunds please', 'refund')).toBe(true);
    expect(mentions('this is nonrefundable', 'refund')).toBe(false);
    expect(mentions('where is my   order', 'my order')).toBe(true);
    expect(mentions('a (weird) [regex]', '[regex]')).toBe(true);
    expect(mentions('anything', '  ')).toBe(false);
  });

  it('matches each field and operator', () => {
    const cases: Array<[Condition, boolean]> = [
      [{ field: 'channel', operator: 'in', values: ['web_chat', 'email'] }, true],
      [{ field: 'channel', operator: 'not_in', values: ['web_chat'] }, false],
      [{ field: 'inbox', operator: 'in', values: ['00000000-0000-4000-8000-000000000001'] }, true],
      [{ field: 'message', operator: 'contains_any', values: ['refund', 'cancel'] }, true],
      [{ field: 'message', operator: 'contains_none', values: ['refund'] }, false],
      [{ field: 'tags', operator: 'has_any', values: ['VIP', 'x'] }, true],
      [{ field: 'tags', operator: 'has_all', values: ['vip', 'x'] }, false],
      [{ field: 'tags', operator: 'has_none', values: ['x'] }, true],
      [{ field: 'priority', operator: 'in', values: ['high', 'urgent'] }, false],
      [{ field: 'status', operator: 'in', values: ['open'] }, true],
      [{ field: 'assignee', operator: 'unassigned' }, true],
      [{ field: 'assignee', operator: 'assigned' }, false],
      [{ field: 'contact', attribute: 'email', operator: 'contains', value: '@EXAMPLE.com' }, true],
      [{ field: 'contact', attribute: 'plan', operator: 'equals', value: 'Pro' }, true],
      [{ field: 'contact', attribute: 'company', operator: 'is_set' }, false],
      [{ field: 'contact', attribute: 'phone', operator: 'is_not_set' }, true],
      [{ field: 'business_hours', operator: 'within' }, true],
      [{ field: 'business_hours', operator: 'outside' }, false],
      [{ field: 'mood', operator: 'in', values: ['negative'] }, false],
    ];
    for (const [condition, expected] of cases) expect({ condition, result: evaluateConditions([condition], facts()).matched }).toEqual({ condition, result: expected });
  });

  it('never matches words or a mood it does not know', () => {
    expect(evaluateConditions([{ field: 'message', operator: 'contains_none', values: ['refund'] }], facts({ message: null })).matched).toBe(false);
    expect(evaluateConditions([{ field: 'mood', operator: 'in', values: ['negative'] }], facts({ mood: 'angry' })).matched).toBe(true);
  });

  it('needs all conditions, or any with match: any, and says which did not hold', () => {
    const conditions: Condition[] = [
      { field: 'message', operator: 'contains_any', values: ['refund'] },
      { field: 'priority', operator: 'in', values: ['urgent'] },
    ];
    expect(evaluateConditions(conditions, facts())).toEqual({ matched: false, unmet: ['priority in urgent'] });
    expect(evaluateConditions(conditions, facts(), 'any').matched).toBe(true);
    expect(evaluateConditions([], facts()).matched).toBe(true);
  });
});

describe('variables', () => {
  const values = variablesOf({ conversationId: 'c-1', contactName: 'Ana María López', contactEmail: 'ana@example.com', agentName: 'Sam' });

  it('fills in the known variables, with or without spaces', () => {
    expect(renderTemplate('Hi {{contact.first_name}}, {{ agent.name }} here ({{conversation.id}}) for {{contact.name}} <{{contact.email}}>', values)).toBe('Hi Ana, Sam here (c-1) for Ana María López <ana@example.com>');
  });

  it('keeps values as text: markup in a name is not interpreted, nor are variables inside a value', () => {
    const hostile = variablesOf({ conversationId: 'c', contactName: '<img src=x onerror=alert(1)> {{agent.name}}', contactEmail: null, agentName: 'Sam' });
    expect(renderTemplate('Hello {{contact.name}}!', hostile)).toBe('Hello <img src=x onerror=alert(1)> {{agent.name}}!');
    expect(renderTemplate('{{contact.email}}', hostile)).toBe('');
  });

  it('names unknown variables once each', () => {
    expect(unknownVariables('{{contact.age}} {{ contact.first_name }} {{contact.age}} {{}} {{agent.name}}')).toEqual(['contact.age', '']);
    expect(unknownVariables('no variables {here}')).toEqual([]);
  });
});

describe('rule and macro checks', () => {
  it('names the exact field of a bad action', () => {
    const errors = checkList([{ type: 'add_tags', tags: ['refund'] }, { type: 'set_priority', priority: 'highest' }], 'actions', 'type', ACTION_VARIANTS);
    expect(errors).toEqual([{ field: 'actions[1].priority', message: expect.stringContaining('') }]);
  });

  it('names the discriminant when the kind is unknown, and extra or missing fields', () => {
    expect(checkVariant({ type: 'explode' }, 'actions[0]', 'type', ACTION_VARIANTS)).toEqual([{ field: 'actions[0].type', message: expect.stringContaining('must be one of assign,') }]);
    expect(checkVariant('assign', 'actions[0]', 'type', ACTION_VARIANTS)).toEqual([{ field: 'actions[0]', message: 'must be an object' }]);
    expect(checkVariant({ type: 'assign', user_id: null, role: 'owner' }, 'actions[2]', 'type', ACTION_VARIANTS)).toEqual([{ field: 'actions[2].role', message: 'is not an allowed field' }]);
    expect(checkVariant({ type: 'snooze' }, 'actions[0]', 'type', ACTION_VARIANTS)).toEqual([{ field: 'actions[0].minutes', message: 'is required' }]);
    expect(checkVariant({ field: 'tags', operator: 'has_any', values: ['ok', 'not ok'] }, 'conditions[0]', 'field', CONDITION_VARIANTS)).toEqual([{ field: 'conditions[0].values[1]', message: 'has an invalid format' }]);
    expect(checkVariant({ field: 'message', operator: 'contains_any', values: [{ $regex: '.' }] }, 'conditions[0]', 'field', CONDITION_VARIANTS)[0].field).toBe('conditions[0].values[0]');
  });

  it('refuses unknown variables in a reply or note, naming the body', () => {
    const errors = checkList([{ type: 'reply', body: 'Hi {{contact.age}}' }], 'actions', 'type', ACTION_VARIANTS);
    expect(errors).toEqual([{ field: 'actions[0].body', message: expect.stringContaining('{{contact.age}}') }]);
  });
});
