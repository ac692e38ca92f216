/** The widget's words. English and German; the visitor's browser language picks one. */
const en = {
  open: 'Open chat',
  close: 'Close chat',
  chat: 'Chat',
  message: 'Message',
  placeholder: 'Write a message…',
  send: 'Send',
  sending: 'Sending…',
  sent: 'Sent',
  failed: 'Not sent',
  retry: 'Retry',
  you: 'You',
  messages: 'Messages',
  tooFast: 'You are sending messages too fast; wait a moment.',
  offline: 'You are offline. Your messages will be sent when the connection is back.',
  reconnecting: 'Reconnecting…',
  connecting: 'Connecting…',
  unavailable: 'The chat is unavailable right now. Please try again later.',
  empty: 'Ask us anything. We will reply here.',
  conversation: 'Conversation',
  newMessage: 'New message',
  replyAsap: 'We will reply as soon as we can',
  replyMinutes: 'We typically reply in a few minutes',
  replyHour: 'We typically reply in under an hour',
  replyHours: 'We typically reply within a few hours',
  replyDay: 'We typically reply within a day',
};

export type Strings = typeof en;

const de: Strings = {
  open: 'Chat öffnen',
  close: 'Chat schließen',
  chat: 'Chat',
  message: 'Nachricht',
  placeholder: 'Nachricht schreiben…',
  send: 'Senden',
  sending: 'Wird gesendet…',
  sent: 'Gesendet',
  failed: 'Nicht gesendet',
  retry: 'Erneut senden',
  you: 'Sie',
  messages: 'Nachrichten',
  tooFast: 'Sie senden zu schnell Nachrichten; bitte warten Sie einen Moment.',
  offline: 'Sie sind offline. Ihre Nachrichten werden gesendet, sobald die Verbindung wieder besteht.',
  reconnecting: 'Verbindung wird wiederhergestellt…',
  connecting: 'Verbindung wird hergestellt…',
  unavailable: 'Der Chat ist gerade nicht verfügbar. Bitte versuchen Sie es später erneut.',
  empty: 'Fragen Sie uns etwas. Wir antworten hier.',
  conversation: 'Unterhaltung',
  newMessage: 'Neue Nachricht',
  replyAsap: 'Wir antworten so schnell wie möglich',
  replyMinutes: 'Wir antworten meist in wenigen Minuten',
  replyHour: 'Wir antworten meist in unter einer Stunde',
  replyHours: 'Wir antworten meist in wenigen Stunden',
  replyDay: 'Wir antworten meist innerhalb eines Tages',
};

const dictionaries: Record<string, Strings> = { en, de };

/** The first of the browser's languages we speak, else English. */
export function pickLocale(languages: readonly string[]): string {
  for (const tag of languages) {
    const base = tag.toLowerCase().split('-')[0];
    if (dictionaries[base]) return base;
  }
  return 'en';
}

export function strings(locale: string): Strings {
  return dictionaries[locale] ?? en;
}

/**
 * The header's reply-time line. The server's sentence is English; other languages say the same
 * from the number of minutes.
 */
export function replyTime(t: Strings, locale: string, reply: { typical_minutes: number | null; text: string } | undefined): string {
  if (!reply) return '';
  if (locale === 'en' && reply.text) return reply.text;
  const m = reply.typical_minutes;
  if (m == null) return t.replyAsap;
  // The server's thresholds: up to 5 minutes, an hour, a day.
  if (m <= 5) return t.replyMinutes;
  if (m <= 60) return t.replyHour;
  if (m <= 24 * 60) return t.replyHours;
  return t.replyDay;
}
