/**
 * Variables in canned responses, macros and rule replies: `{{contact.first_name}}` and the like,
 * filled in on the server from the conversation, its contact and the agent. Values go in as
 * plain text (messages are text everywhere they are shown), so a contact named `<img onerror>`
 * stays a name. An unknown variable is refused when the text is saved, not left in a reply.
 */
export const VARIABLES = {
  'contact.first_name': "The contact's first name",
  'contact.name': "The contact's full name",
  'contact.email': "The contact's email address",
  'agent.name': 'The name of the agent (for a rule: the assignee)',
  'conversation.id': "The conversation's id",
} as const;
export type Variable = keyof typeof VARIABLES;
export type VariableValues = Partial<Record<Variable, string | null>>;

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;

const isVariable = (name: string): name is Variable => Object.prototype.hasOwnProperty.call(VARIABLES, name);

/** The `{{…}}` placeholders of a text that are not variables, in order, each once. */
export function unknownVariables(text: string): string[] {
  const unknown = new Set<string>();
  for (const [, name] of text.matchAll(PLACEHOLDER)) if (!isVariable(name)) unknown.add(name);
  return [...unknown];
}

/** The text with each variable replaced by its value (a missing value: nothing). */
export function renderTemplate(text: string, values: VariableValues): string {
  return text.replace(PLACEHOLDER, (whole, name: string) => (isVariable(name) ? (values[name] ?? '') : whole));
}

/** The first word of a name ("Ana María López" → "Ana"). */
export const firstName = (name: string | null | undefined): string => (name ?? '').trim().split(/\s+/)[0] ?? '';

export function variablesOf(input: { conversationId: string; contactName: string | null; contactEmail: string | null; agentName: string | null }): VariableValues {
  return {
    'contact.first_name': firstName(input.contactName),
    'contact.name': input.contactName ?? '',
    'contact.email': input.contactEmail ?? '',
    'agent.name': input.agentName ?? '',
    'conversation.id': input.conversationId,
  };
}

/** A sentence naming the unknown variables and the known ones, for a 422. */
export function unknownVariablesMessage(unknown: string[]): string {
  const list = unknown.map((u) => `{{${u}}}`).join(', ');
  return `uses ${unknown.length === 1 ? 'an unknown variable' : 'unknown variables'} ${list}; use ${Object.keys(VARIABLES)
    .map((v) => `{{${v}}}`)
    .join(', ')}`;
}
