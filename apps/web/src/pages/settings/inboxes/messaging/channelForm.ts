// The guided form of a messaging inbox, built from the provider's fields (GET /channels): its
// values, the checks the browser can make (required, the field's pattern), and the API bodies.
// Settings sit under `settings.<name>`, the path the server names in its field errors.
import type { ChannelField, ChannelInfo, Inbox } from '../../../../api/types';

export interface ChannelInboxValues {
  name: string;
  member_ids: string[];
  settings: Record<string, string>;
}

/** The fields a person types (generated ones are made by Rapport when the inbox is saved). */
export const typedFields = (info: ChannelInfo): ChannelField[] => info.fields.filter((f) => !f.generated);

/** Whether the inbox already stores this secret (then a blank input keeps it). */
export const secretStored = (inbox: Inbox | null, field: ChannelField): boolean => Boolean(field.secret && inbox?.secrets_set?.includes(field.name));

export function initialValues(info: ChannelInfo, inbox: Inbox | null, memberIds: string[]): ChannelInboxValues {
  return {
    name: inbox?.name ?? '',
    member_ids: inbox?.member_ids ?? memberIds,
    // Secrets are never answered: their inputs start blank, which keeps the stored value.
    settings: Object.fromEntries(typedFields(info).map((f) => [f.name, f.secret ? '' : (inbox?.provider_settings?.[f.name] ?? '')])),
  };
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** A field's label inside a sentence: "Account SID" → "account SID", "Bot token" → "bot token". */
export const inSentence = (label: string): string =>
  label
    .split(' ')
    .map((word) => (/^[A-Z][a-z]/.test(word) ? word.charAt(0).toLowerCase() + word.slice(1) : word))
    .join(' ');

/** What is wrong with one value, or null; `stored` says a blank secret keeps the saved one. */
export function checkField(field: ChannelField, raw: string | undefined, stored: boolean): string | null {
  const value = (raw ?? '').trim();
  if (!value) return field.optional || stored ? null : `Enter the ${inSentence(field.label)}`;
  if (!field.pattern) return null;
  let pattern: RegExp;
  try {
    pattern = new RegExp(field.pattern);
  } catch {
    // A pattern this browser cannot read: the server checks it anyway.
    return null;
  }
  return pattern.test(value) ? null : capitalise(field.problem ?? 'is not in the expected form');
}

/** Every error the browser can find, keyed by form path (`settings.bot_token`); `settingsOnly` skips the name. */
export function checkValues(info: ChannelInfo, inbox: Inbox | null, values: ChannelInboxValues, settingsOnly = false): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!settingsOnly && !values.name.trim()) errors.name = 'Give the inbox a name';
  for (const field of typedFields(info)) {
    const problem = checkField(field, values.settings[field.name], secretStored(inbox, field));
    if (problem) errors[`settings.${field.name}`] = problem;
  }
  // Alternatives (a phone number or a messaging service): at least one of each group, said at the first.
  for (const group of new Set(typedFields(info).map((f) => f.one_of).filter((g): g is string => !!g))) {
    const alternatives = typedFields(info).filter((f) => f.one_of === group);
    const given = alternatives.some((f) => (values.settings[f.name] ?? '').trim() || secretStored(inbox, f) || (!f.secret && inbox?.provider_settings?.[f.name]));
    if (!given) errors[`settings.${alternatives[0].name}`] ??= `Enter the ${alternatives.map((f) => inSentence(f.label)).join(' or the ')}`;
  }
  return errors;
}

/**
 * The settings as the API takes them: values trimmed; a blank secret left out (the stored one
 * stays); on an edit, a blank optional value sent empty so the server clears it.
 */
export function settingsBody(info: ChannelInfo, values: ChannelInboxValues, editing: boolean): Record<string, string> {
  const out: Record<string, string> = {};
  for (const field of typedFields(info)) {
    const value = (values.settings[field.name] ?? '').trim();
    if (value) out[field.name] = value;
    else if (editing && field.optional && !field.secret) out[field.name] = '';
  }
  return out;
}

/** The body of POST /inboxes (creating) or PATCH /inboxes/:id (editing). */
export function inboxBody(info: ChannelInfo, values: ChannelInboxValues, creating: boolean) {
  const common = { name: values.name.trim(), member_ids: values.member_ids, settings: settingsBody(info, values, !creating) };
  return creating ? { channel: info.channel, ...common } : common;
}

/** The form's values flattened to the paths its inputs use, for matching the server's field errors. */
export function flatValues(values: ChannelInboxValues): Record<string, unknown> {
  return { name: values.name, member_ids: values.member_ids, ...Object.fromEntries(Object.entries(values.settings).map(([k, v]) => [`settings.${k}`, v])) };
}

/** "https://core.telegram.org/bots/api#setwebhook" → "core.telegram.org/bots/api#setwebhook". */
export const docLabel = (url: string): string => url.replace(/^https?:\/\//, '').replace(/\/$/, '');
