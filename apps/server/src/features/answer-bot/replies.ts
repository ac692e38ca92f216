/**
 * The answer bot's words, and what it makes of the customer's: pure, so every channel behaves the
 * same (the widget's quick-reply buttons just send their label as a message, which reads as the
 * same "yes" or "no" a customer on SMS or email would type).
 */

/** What the bot says, in the customer's language where it speaks it (the widget's: English and German). */
const WORDS = {
  en: {
    yes: 'Yes, thanks',
    no: 'No, I need a person',
    handover: "I'll get a person from the team to help you. They will reply here shortly.",
    unsure: "I'm not sure I have the right answer to that, so I won't guess.",
    thanks: 'Glad that helped! If there is anything else, just write here.',
    source: 'From our help center:',
    ask: 'Did that answer your question?',
  },
  de: {
    yes: 'Ja, danke',
    no: 'Nein, ich brauche einen Menschen',
    handover: 'Ich hole jemanden aus dem Team dazu. Sie antworten Ihnen hier in Kürze.',
    unsure: 'Bei dieser Frage bin ich mir nicht sicher, deshalb rate ich nicht.',
    thanks: 'Schön, dass das geholfen hat! Wenn noch etwas ist, schreiben Sie einfach hier.',
    source: 'Aus unserem Hilfe-Center:',
    ask: 'Hat das Ihre Frage beantwortet?',
  },
} as const;

export type BotWords = (typeof WORDS)[keyof typeof WORDS];

/** The bot's words for a language tag ('de-AT' → German); English otherwise. */
export const wordsFor = (language: string | undefined): BotWords => (language?.toLowerCase().split('-')[0] === 'de' ? WORDS.de : WORDS.en);

/** The labels of the widget's buttons under an answer (English); sending one is typing it. */
export const QUICK_REPLIES = { yes: WORDS.en.yes, no: WORDS.en.no } as const;

export type CustomerIntent = 'yes' | 'no' | 'person' | 'question';

const fold = (text: string) =>
  text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}' ]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();

// Asking for a person, in English and German (the widget's languages), anywhere in a short message.
const PERSON = /\b(agent|human|person|people|someone|somebody|representative|operator|staff|real person|mensch(en)?|mitarbeiter(in)?|berater(in)?|jemand(en)?)\b/;
const YES = /^(y|yes|yeah|yep|yup|ok|okay|sure|thanks|thank you|thx|ty|great|perfect|that helped|it helped|helpful|solved|ja|jawohl|danke|super|hat geholfen|perfekt)( (thanks|thank you|that helped|it did|it helped|danke|das hat geholfen|so much|a lot))*$/;
const NO = /^(n|no|nope|nah|not really|no it did not|no it didn't|didn't help|did not help|that didn't help|not helpful|wrong|nein|leider nicht|nicht wirklich|hat nicht geholfen)( (thanks|thank you|danke))?$/;

/**
 * What a customer's message means to the bot. `awaiting`: the bot asked "did that help?" and this
 * may be the answer; otherwise "yes" and "no" are just words of a question. Asking for a person
 * wins over everything (also "no, I need a person").
 */
export function intentOf(text: string, awaiting: boolean): CustomerIntent {
  const t = fold(text);
  if (!t) return 'question';
  const words = t.split(' ').length;
  if (t === fold(WORDS.en.no) || t === fold(WORDS.de.no) || (words <= 12 && PERSON.test(t))) return 'person';
  if (awaiting && (t === fold(WORDS.en.yes) || t === fold(WORDS.de.yes) || YES.test(t))) return 'yes';
  if (awaiting && NO.test(t)) return 'no';
  return 'question';
}

/** The handover message when the admin wrote none (in English; customers get it in their language). */
export const DEFAULT_HANDOVER = WORDS.en.handover;

/** At most this much of a passage is quoted; a longer one ends at a sentence or word and says so. */
export const QUOTE_MAX = 600;

export function quote(passage: string): string {
  const text = passage.replace(/\s+/g, ' ').trim();
  if (text.length <= QUOTE_MAX) return text;
  const cut = text.slice(0, QUOTE_MAX);
  const sentence = cut.lastIndexOf('. ');
  const end = sentence > QUOTE_MAX / 2 ? sentence + 1 : cut.lastIndexOf(' ');
  return `${cut.slice(0, end > 0 ? end : QUOTE_MAX).trim()} …`;
}

/** The bot's answer: the passage (or the model's wording of it), the article it comes from with its link, and the question. */
export function answerText(a: { text: string; title: string; url: string }, words: BotWords = WORDS.en): string {
  return `${a.text}\n\n${words.source} “${a.title}” ${a.url}\n\n${words.ask}`;
}
