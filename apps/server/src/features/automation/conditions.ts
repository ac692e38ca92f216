/**
 * Whether a rule's conditions hold for a conversation: pure, given the facts the engine gathered
 * (the conversation, its contact, the message that fired it, whether the inbox is open). Unknown
 * facts (no message, no mood) never match, so a rule does not act on a guess.
 */
import type { Condition } from './automation.schema.js';

export interface Facts {
  channel: string;
  inboxId: string;
  /** The customer's message that fired the rule; null for other triggers. */
  message: string | null;
  tags: string[];
  priority: string;
  status: string;
  assigneeId: string | null;
  contact: { name: string | null; email: string | null; phone: string | null; company: string | null; attributes: Record<string, unknown> };
  withinBusinessHours: boolean;
  /** The conversation's mood (angry, frustrated, neutral, happy); null before a customer message was read. */
  mood: string | null;
  /** Where that mood is heading (worsening, improving, steady); null likewise. */
  moodTrend: string | null;
}

const SEVERITY: Record<string, number> = { happy: 0, neutral: 1, frustrated: 2, angry: 3 };
/** A rule's mood values as moods: negative and positive are what rules saved before four moods said. */
const moodsOf = (values: string[]) => values.flatMap((v) => (v === 'negative' ? ['angry', 'frustrated'] : v === 'positive' ? ['happy'] : [v]));

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A word or phrase at the start of a word, ignoring case: "refund" finds "Refunds?" but not "nonrefundable". */
export function mentions(text: string, phrase: string): boolean {
  const words = phrase.trim().split(/\s+/).map(escape).join('\\s+');
  if (!words) return false;
  return new RegExp(`(?<![\\p{L}\\p{N}])${words}`, 'iu').test(text);
}

function contactValue(facts: Facts, attribute: string): string | null {
  const c = facts.contact;
  const known: Record<string, string | null> = { name: c.name, email: c.email, phone: c.phone, company: c.company };
  const raw = attribute in known ? known[attribute] : c.attributes[attribute];
  if (raw === null || raw === undefined || raw === '') return null;
  return typeof raw === 'string' ? raw : typeof raw === 'number' || typeof raw === 'boolean' ? String(raw) : JSON.stringify(raw);
}

function holds(c: Condition, facts: Facts): boolean {
  switch (c.field) {
    case 'channel':
      return c.values.includes(facts.channel) === (c.operator === 'in');
    case 'inbox':
      return c.values.includes(facts.inboxId) === (c.operator === 'in');
    case 'priority':
      return (c.values as string[]).includes(facts.priority) === (c.operator === 'in');
    case 'status':
      return (c.values as string[]).includes(facts.status) === (c.operator === 'in');
    case 'message': {
      if (facts.message === null) return false;
      const found = c.values.some((w) => mentions(facts.message!, w));
      return c.operator === 'contains_any' ? found : !found;
    }
    case 'tags': {
      const tags = new Set(facts.tags.map((t) => t.toLowerCase()));
      const wanted = c.values.map((t) => t.toLowerCase());
      if (c.operator === 'has_all') return wanted.every((t) => tags.has(t));
      const any = wanted.some((t) => tags.has(t));
      return c.operator === 'has_any' ? any : !any;
    }
    case 'assignee':
      return (facts.assigneeId !== null) === (c.operator === 'assigned');
    case 'contact': {
      const value = contactValue(facts, c.attribute);
      switch (c.operator) {
        case 'is_set':
          return value !== null;
        case 'is_not_set':
          return value === null;
        case 'equals':
          return value !== null && value.toLowerCase() === (c.value ?? '').toLowerCase();
        case 'contains':
          return value !== null && !!c.value && value.toLowerCase().includes(c.value.toLowerCase());
      }
      return false;
    }
    case 'business_hours':
      return facts.withinBusinessHours === (c.operator === 'within');
    case 'mood': {
      if (facts.mood === null || !(facts.mood in SEVERITY)) return false;
      const moods = moodsOf(c.values);
      if (c.operator === 'worse_than') return moods.every((m) => SEVERITY[facts.mood!] > (SEVERITY[m] ?? Infinity));
      return moods.includes(facts.mood) === (c.operator === 'in');
    }
    case 'mood_trend':
      return facts.moodTrend !== null && (c.values as string[]).includes(facts.moodTrend) === (c.operator === 'in');
  }
}

/** A condition in words, for the run log. */
export function describeCondition(c: Condition): string {
  const op = c.operator.replace(/_/g, ' ');
  if (c.field === 'assignee') return `assignee: ${op}`;
  if (c.field === 'business_hours') return `${op} business hours`;
  if (c.field === 'contact') return `contact ${c.attribute} ${op}${c.value !== undefined && (c.operator === 'equals' || c.operator === 'contains') ? ` "${c.value}"` : ''}`;
  return `${c.field} ${op} ${c.values.join(', ')}`;
}

export interface Evaluation {
  matched: boolean;
  /** The conditions that did not hold, in words. */
  unmet: string[];
}

/** All conditions (match: all) or at least one (match: any); no conditions always match. */
export function evaluateConditions(conditions: Condition[], facts: Facts, match: 'all' | 'any' = 'all'): Evaluation {
  if (conditions.length === 0) return { matched: true, unmet: [] };
  const unmet = conditions.filter((c) => !holds(c, facts)).map(describeCondition);
  const matched = match === 'all' ? unmet.length === 0 : unmet.length < conditions.length;
  return { matched, unmet };
}
