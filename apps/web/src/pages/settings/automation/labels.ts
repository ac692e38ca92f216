// Words for the parts of rules and macros, shared by the editors and the lists.
import type { Action, Condition, Trigger } from '../../../api/automation';

export const triggerOptions: Array<{ value: Trigger['type']; label: string }> = [
  { value: 'conversation_created', label: 'A conversation is created' },
  { value: 'message_received', label: 'A customer writes' },
  { value: 'status_changed', label: 'The status changes' },
  { value: 'assignee_changed', label: 'The assignee changes' },
  { value: 'priority_changed', label: 'The priority changes' },
  { value: 'tags_changed', label: 'The tags change' },
  { value: 'sla_warning', label: 'An SLA target is about to be missed' },
  { value: 'sla_breached', label: 'An SLA target is missed' },
  { value: 'mood_changed', label: 'The customer’s mood changes' },
  { value: 'time_in_state', label: 'A conversation stays in a state for a while' },
];

export const stateOptions = [
  { value: 'pending', label: 'Pending' },
  { value: 'open', label: 'Open' },
  { value: 'open_unassigned', label: 'Open and unassigned' },
  { value: 'snoozed', label: 'Snoozed' },
];

export const statusOptions = [
  { value: 'open', label: 'Open' },
  { value: 'pending', label: 'Pending' },
  { value: 'snoozed', label: 'Snoozed' },
  { value: 'resolved', label: 'Resolved' },
];

export const priorityOptions = [
  { value: 'low', label: 'Low' },
  { value: 'normal', label: 'Normal' },
  { value: 'high', label: 'High' },
  { value: 'urgent', label: 'Urgent' },
];

export const conditionFields: Array<{ value: Condition['field']; label: string }> = [
  { value: 'message', label: 'Message' },
  { value: 'channel', label: 'Channel' },
  { value: 'inbox', label: 'Inbox' },
  { value: 'tags', label: 'Tags' },
  { value: 'priority', label: 'Priority' },
  { value: 'status', label: 'Status' },
  { value: 'assignee', label: 'Assignee' },
  { value: 'contact', label: 'Contact attribute' },
  { value: 'business_hours', label: 'Business hours' },
  { value: 'mood', label: 'Customer mood' },
  { value: 'mood_trend', label: 'Mood trend' },
];

export const operatorOptions: Record<Condition['field'], Array<{ value: string; label: string }>> = {
  message: [
    { value: 'contains_any', label: 'contains any of' },
    { value: 'contains_none', label: 'contains none of' },
  ],
  channel: [
    { value: 'in', label: 'is one of' },
    { value: 'not_in', label: 'is none of' },
  ],
  inbox: [
    { value: 'in', label: 'is one of' },
    { value: 'not_in', label: 'is none of' },
  ],
  tags: [
    { value: 'has_any', label: 'has any of' },
    { value: 'has_all', label: 'has all of' },
    { value: 'has_none', label: 'has none of' },
  ],
  priority: [
    { value: 'in', label: 'is one of' },
    { value: 'not_in', label: 'is none of' },
  ],
  status: [
    { value: 'in', label: 'is one of' },
    { value: 'not_in', label: 'is none of' },
  ],
  assignee: [
    { value: 'unassigned', label: 'is nobody' },
    { value: 'assigned', label: 'is someone' },
  ],
  contact: [
    { value: 'equals', label: 'equals' },
    { value: 'contains', label: 'contains' },
    { value: 'is_set', label: 'is set' },
    { value: 'is_not_set', label: 'is not set' },
  ],
  business_hours: [
    { value: 'within', label: 'within' },
    { value: 'outside', label: 'outside' },
  ],
  mood: [
    { value: 'in', label: 'is one of' },
    { value: 'not_in', label: 'is none of' },
    { value: 'worse_than', label: 'is worse than' },
  ],
  mood_trend: [
    { value: 'in', label: 'is one of' },
    { value: 'not_in', label: 'is none of' },
  ],
};

export const channelOptions = ['webchat', 'email', 'api', 'sms', 'whatsapp', 'messenger', 'instagram', 'telegram', 'phone'];
/** Worst first, as "is worse than" reads them; negative and positive keep rules saved before four moods readable. */
export const moodOptions = [
  { value: 'angry', label: 'Angry' },
  { value: 'frustrated', label: 'Frustrated' },
  { value: 'neutral', label: 'Neutral' },
  { value: 'happy', label: 'Happy' },
  { value: 'negative', label: 'Negative (angry or frustrated)' },
  { value: 'positive', label: 'Positive (happy)' },
];
export const moodTrendOptions = [
  { value: 'worsening', label: 'Getting worse' },
  { value: 'improving', label: 'Getting better' },
  { value: 'steady', label: 'Steady' },
];

export const actionOptions: Array<{ value: Action['type']; label: string }> = [
  { value: 'add_tags', label: 'Add tags' },
  { value: 'remove_tags', label: 'Remove tags' },
  { value: 'assign', label: 'Assign to' },
  { value: 'assign_team', label: 'Move to team' },
  { value: 'set_priority', label: 'Set priority' },
  { value: 'set_status', label: 'Set status' },
  { value: 'snooze', label: 'Snooze' },
  { value: 'reply', label: 'Reply to the customer' },
  { value: 'note', label: 'Add a private note' },
  { value: 'webhook', label: 'Send a webhook' },
];

export function describeWait(minutes: number): string {
  if (minutes % 1440 === 0) return `${minutes / 1440} day${minutes === 1440 ? '' : 's'}`;
  if (minutes % 60 === 0) return `${minutes / 60} hour${minutes === 60 ? '' : 's'}`;
  return `${minutes} minute${minutes === 1 ? '' : 's'}`;
}

export function describeTrigger(t: Trigger): string {
  if (t.type === 'time_in_state') return `${stateOptions.find((s) => s.value === t.state)?.label ?? t.state} for ${describeWait(t.minutes)}`;
  if (t.type === 'status_changed' && t.to) return `The status changes to ${t.to}`;
  return triggerOptions.find((o) => o.value === t.type)?.label ?? t.type;
}

export const actionLabel = (type: string) => actionOptions.find((a) => a.value === type)?.label ?? type;

/** A new row of each kind, with what it needs filled with a sensible start. */
export function blankAction(type: Action['type']): Action {
  switch (type) {
    case 'assign':
      return { type, user_id: null };
    case 'assign_team':
      return { type, team_id: null };
    case 'add_tags':
    case 'remove_tags':
      return { type, tags: [] };
    case 'set_priority':
      return { type, priority: 'high' };
    case 'set_status':
      return { type, status: 'resolved' };
    case 'snooze':
      return { type, minutes: 60 };
    case 'reply':
    case 'note':
      return { type, body: '' };
    case 'webhook':
      return { type, webhook_id: '' };
  }
}

export function blankCondition(field: Condition['field']): Condition {
  switch (field) {
    case 'assignee':
      return { field, operator: 'unassigned' };
    case 'business_hours':
      return { field, operator: 'outside' };
    case 'contact':
      return { field, attribute: 'email', operator: 'contains', value: '' };
    case 'mood':
      return { field, operator: 'worse_than', values: ['neutral'] };
    case 'mood_trend':
      return { field, operator: 'in', values: ['worsening'] };
    case 'message':
      return { field, operator: 'contains_any', values: [] };
    case 'tags':
      return { field, operator: 'has_any', values: [] };
    default:
      return { field, operator: 'in', values: [] } as Condition;
  }
}

/** "actions[1].priority" (the server's path) → "actions.1.priority" (the form's). */
export const formPath = (field: string) => field.replace(/\[(\d+)\]/g, '.$1');
