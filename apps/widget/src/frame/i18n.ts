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
  attach: 'Attach a file',
  emoji: 'Emoji',
  uploading: 'Uploading',
  uploadFailed: 'The file could not be sent.',
  uploadOffline: 'You are offline. Files can be sent when the connection is back.',
  tooLarge: 'This file is too large; files can be up to {size}.',
  typeRefused: 'This kind of file cannot be sent. Send an image, a PDF, a text file or an office document.',
  dismiss: 'Dismiss',
  typing: '{name} is typing…',
  seen: 'Seen',
  away: 'We’re away.',
  backToday: 'Back today at {time}.',
  backTomorrow: 'Back tomorrow at {time}.',
  backWeekday: 'Back {day} at {time}.',
  backDate: 'Back on {day} at {time}.',
  emailPrompt: 'Leave your email and we’ll reply there.',
  email: 'Email',
  emailSave: 'Save',
  emailSaved: 'Thanks! We’ll reply to {email}.',
  emailInvalid: 'That does not look like an email address.',
  emailFailed: 'Your email could not be saved. Please try again.',
  callback: 'Request a callback',
  callbackPhone: 'Your phone number',
  callbackWhen: 'When should we call?',
  callbackAsap: 'As soon as possible',
  callbackLater: 'At another time',
  callbackTime: 'Which time suits you?',
  callbackTimeHint: 'Such as “tomorrow after 5 pm”',
  callbackSend: 'Call me back',
  callbackCancel: 'Cancel',
  callbackDone: 'Thanks! We will call you at {phone}, {when}.',
  callbackDoneAsap: 'as soon as possible',
  callbackPhoneInvalid: 'This number cannot be called. Write it with the country code, such as +49 151 23456789.',
  callbackTimeMissing: 'Say when we should call you.',
  callbackFailed: 'Your request could not be sent. Please try again.',
  callbackTooMany: 'You have already asked for a callback; we will call you.',
  replyAsap: 'We will reply as soon as we can',
  replyMinutes: 'We typically reply in a few minutes',
  replyHour: 'We typically reply in under an hour',
  replyHours: 'We typically reply within a few hours',
  replyDay: 'We typically reply within a day',
  helpTitle: 'Find an answer',
  helpSuggested: 'Articles that may help',
  helpSearch: 'Search help articles',
  helpPlaceholder: 'Search our help articles…',
  helpResults: 'Help articles',
  helpSearching: 'Searching…',
  helpNone: 'No articles found. Write to us below.',
  helpFailed: 'Articles could not be loaded.',
  helpLoading: 'Loading the article…',
  helpBack: 'Back',
  helpOpenFull: 'Open in the help center',
  helpAsk: 'Did this answer your question?',
  helpYes: 'Yes, thanks',
  helpNo: 'No, chat with us',
  helpThanks: 'Thanks! Glad it helped.',
  quickReplies: 'Quick replies',
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
  attach: 'Datei anhängen',
  emoji: 'Emoji',
  uploading: 'Wird hochgeladen',
  uploadFailed: 'Die Datei konnte nicht gesendet werden.',
  uploadOffline: 'Sie sind offline. Dateien können gesendet werden, sobald die Verbindung wieder besteht.',
  tooLarge: 'Diese Datei ist zu groß; Dateien dürfen bis zu {size} groß sein.',
  typeRefused: 'Diese Art von Datei kann nicht gesendet werden. Senden Sie ein Bild, ein PDF, eine Textdatei oder ein Office-Dokument.',
  dismiss: 'Verwerfen',
  typing: '{name} schreibt…',
  seen: 'Gesehen',
  away: 'Wir sind gerade nicht da.',
  backToday: 'Zurück heute um {time}.',
  backTomorrow: 'Zurück morgen um {time}.',
  backWeekday: 'Zurück am {day} um {time}.',
  backDate: 'Zurück am {day} um {time}.',
  emailPrompt: 'Hinterlassen Sie Ihre E-Mail-Adresse, dann antworten wir dorthin.',
  email: 'E-Mail',
  emailSave: 'Speichern',
  emailSaved: 'Danke! Wir antworten an {email}.',
  emailInvalid: 'Das sieht nicht wie eine E-Mail-Adresse aus.',
  emailFailed: 'Ihre E-Mail-Adresse konnte nicht gespeichert werden. Bitte versuchen Sie es erneut.',
  callback: 'Rückruf anfordern',
  callbackPhone: 'Ihre Telefonnummer',
  callbackWhen: 'Wann sollen wir anrufen?',
  callbackAsap: 'So bald wie möglich',
  callbackLater: 'Zu einer anderen Zeit',
  callbackTime: 'Welche Zeit passt Ihnen?',
  callbackTimeHint: 'Zum Beispiel „morgen nach 17 Uhr“',
  callbackSend: 'Zurückrufen',
  callbackCancel: 'Abbrechen',
  callbackDone: 'Danke! Wir rufen Sie unter {phone} an, {when}.',
  callbackDoneAsap: 'so bald wie möglich',
  callbackPhoneInvalid: 'Diese Nummer ist nicht erreichbar. Schreiben Sie sie mit Ländervorwahl, etwa +49 151 23456789.',
  callbackTimeMissing: 'Sagen Sie uns, wann wir anrufen sollen.',
  callbackFailed: 'Ihre Anfrage konnte nicht gesendet werden. Bitte versuchen Sie es erneut.',
  callbackTooMany: 'Sie haben bereits einen Rückruf angefordert; wir rufen Sie an.',
  replyAsap: 'Wir antworten so schnell wie möglich',
  replyMinutes: 'Wir antworten meist in wenigen Minuten',
  replyHour: 'Wir antworten meist in unter einer Stunde',
  replyHours: 'Wir antworten meist in wenigen Stunden',
  replyDay: 'Wir antworten meist innerhalb eines Tages',
  helpTitle: 'Antwort finden',
  helpSuggested: 'Artikel, die helfen könnten',
  helpSearch: 'Hilfeartikel durchsuchen',
  helpPlaceholder: 'Hilfeartikel durchsuchen…',
  helpResults: 'Hilfeartikel',
  helpSearching: 'Suche läuft…',
  helpNone: 'Keine Artikel gefunden. Schreiben Sie uns unten.',
  helpFailed: 'Die Artikel konnten nicht geladen werden.',
  helpLoading: 'Der Artikel wird geladen…',
  helpBack: 'Zurück',
  helpOpenFull: 'Im Hilfe-Center öffnen',
  helpAsk: 'Hat das Ihre Frage beantwortet?',
  helpYes: 'Ja, danke',
  helpNo: 'Nein, mit uns chatten',
  helpThanks: 'Danke! Schön, dass es geholfen hat.',
  quickReplies: 'Schnellantworten',
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

/** Puts values into a string's {placeholders}. */
export const fill = (template: string, values: Record<string, string>) => template.replace(/\{(\w+)\}/g, (_, k: string) => values[k] ?? '');

/** "We're away. Back Monday at 9:00 AM", in the visitor's own time zone. */
export function awayText(t: Strings, locale: string, nextOpenAt: string | null | undefined, now = new Date()): string {
  const at = nextOpenAt ? new Date(nextOpenAt) : null;
  if (!at || Number.isNaN(at.getTime())) return t.away;
  const time = new Intl.DateTimeFormat(locale, { hour: 'numeric', minute: '2-digit' }).format(at);
  const midnight = (d: Date) => new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
  const days = Math.round((midnight(at) - midnight(now)) / 86_400_000);
  let back: string;
  if (days <= 0) back = fill(t.backToday, { time });
  else if (days === 1) back = fill(t.backTomorrow, { time });
  else if (days < 7) back = fill(t.backWeekday, { day: new Intl.DateTimeFormat(locale, { weekday: 'long' }).format(at), time });
  else back = fill(t.backDate, { day: new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'long' }).format(at), time });
  return `${t.away} ${back}`;
}
