/**
 * What the mood model reads in a text: words (with negation marked), word pairs, letter 4-grams
 * (they survive typos and German compounds: "Kundenservice" shares "serv" with "service") and a
 * handful of cues that a few hundred examples cannot teach on their own: a small polarity lexicon
 * in the languages we have data for, ALL CAPS, repeated "!" and "?", emoji, "again / still" and
 * sarcasm ("great, another…", "thanks for nothing").
 *
 * Training (train/train.ts) and classifying (model.ts) both call `featuresOf`, so the two can never
 * read a text differently.
 */

/** Words that turn what follows around ("not happy", "nicht zufrieden", "pas content"). */
const NEGATORS = new Set([
  'not', 'no', 'never', 'nothing', 'nobody', 'none', 'neither', 'nor', 'cannot', 'without', 'hardly',
  'dont', 'doesnt', 'didnt', 'isnt', 'wasnt', 'arent', 'werent', 'cant', 'couldnt', 'wont', 'wouldnt', 'havent', 'hasnt', 'hadnt', 'shouldnt', 'aint',
  'nicht', 'kein', 'keine', 'keinen', 'keinem', 'keiner', 'nie', 'niemals', 'nichts', 'ohne',
  'pas', 'jamais', 'rien', 'aucun', 'aucune', 'nunca', 'nada', 'niet', 'geen', 'nooit', 'non', 'mai',
]);

/** Clear words of approval; a negator before one counts it as disapproval. */
const POSITIVE = new Set([
  'thank', 'thanks', 'thx', 'thnx', 'ty', 'great', 'excellent', 'perfect', 'perfectly', 'awesome', 'amazing', 'fantastic', 'brilliant', 'wonderful', 'lovely', 'love', 'loved', 'happy', 'glad', 'pleased', 'delighted',
  'satisfied', 'impressed', 'helpful', 'appreciate', 'appreciated', 'recommend', 'best', 'superb', 'super', 'nice', 'good', 'kind', 'friendly', 'quick', 'fast', 'smoothly', 'solved', 'resolved', 'sorted', 'works', 'working', 'cheers', 'legend', 'rock', 'star', 'relief', 'grateful',
  'danke', 'dank', 'vielen', 'toll', 'super', 'klasse', 'prima', 'perfekt', 'spitze', 'zufrieden', 'begeistert', 'freundlich', 'schnell', 'gelöst', 'geholfen', 'großartig', 'wunderbar', 'bestens', 'einwandfrei', 'freue', 'klappt', 'funktioniert', 'empfehlen', 'top',
  'merci', 'parfait', 'génial', 'geniaux', 'géniaux', 'formidable', 'satisfait', 'gracias', 'perfecto', 'genial', 'excelente', 'contento', 'fantástico', 'grazie', 'perfetto', 'eccellente', 'bedankt', 'geweldig',
]);

/** Clear words of displeasure. */
const NEGATIVE = new Set([
  'bad', 'terrible', 'awful', 'horrible', 'worst', 'poor', 'broken', 'broke', 'useless', 'annoying', 'annoyed', 'disappointed', 'disappointing', 'frustrated', 'frustrating', 'angry', 'furious', 'livid', 'fuming', 'upset', 'unhappy',
  'problem', 'issue', 'error', 'wrong', 'missing', 'damaged', 'delayed', 'late', 'waiting', 'crash', 'crashes', 'crashing', 'fails', 'failed', 'lost', 'stolen', 'ruined', 'unacceptable', 'ridiculous', 'pathetic', 'incompetent', 'hopeless', 'joke', 'disgrace', 'disgraceful', 'shame', 'ashamed', 'garbage', 'rubbish',
  'schlecht', 'schlechteste', 'kaputt', 'enttäuscht', 'ärgerlich', 'nervig', 'nervt', 'fehler', 'falsch', 'falsche', 'verspätet', 'beschädigt', 'zerstört', 'frechheit', 'unverschämt', 'katastrophe', 'schande', 'inakzeptabel', 'schrott', 'sauer', 'stinksauer', 'leider', 'schade', 'mühsam',
  'inadmissible', 'déçu', 'honteux', 'pire', 'arnaque', 'agaçant', 'inaceptable', 'peor', 'estafa', 'vergüenza', 'molesto', 'decepcionado', 'inaccettabile', 'peggior', 'vergognoso', 'deluso', 'belachelijk', 'slechtste', 'schandalig', 'teleurgesteld',
]);

/** Words that go beyond displeasure: threats, accusations, insults. */
const HOSTILE = new Set([
  'scam', 'fraud', 'theft', 'thieves', 'steal', 'stealing', 'liars', 'lies', 'lying', 'lawyer', 'court', 'sue', 'chargeback', 'illegal', 'disgusting', 'outrageous', 'clowns', 'rip', 'con', 'damn', 'hell', 'ass', 'crap', 'shit', 'fuck', 'fucking', 'idiots', 'morons', 'complaint', 'press', 'authorities',
  'betrug', 'abzocke', 'anwalt', 'gericht', 'anzeige', 'diebstahl', 'lügen', 'verarschen', 'verarscht', 'schnauze', 'verbraucherzentrale', 'schämen',
  'vol', 'avocat', 'escroquerie', 'robo', 'abogado', 'incompetentes', 'incompétents', 'truffa',
]);

/** Words that say something goes on and on. */
const REPEAT = new Set(['again', 'still', 'another', 'twice', 'third', 'fourth', 'fifth', 'yet', 'wieder', 'immer', 'nochmal', 'erneut', 'encore', 'toujours', 'sigue', 'otra', 'vez', 'nog', 'steeds', 'ancora']);

const INTENSIFIERS = new Set(['very', 'so', 'really', 'extremely', 'totally', 'absolutely', 'completely', 'utterly', 'seriously', 'sehr', 'total', 'absolut', 'völlig', 'echt', 'wirklich', 'très', 'vraiment', 'muy', 'molto', 'heel', 'erg', 'zo']);

const THANKS = /\b(thank|thanks|thx|thnx|cheers|danke|dank|merci|gracias|grazie|bedankt)\b/iu;

/** "Great, another…", "thanks for nothing", "na toll": praise that means the opposite. */
const SARCASM = [
  /\b(thanks?|danke|merci|gracias|bedankt)\s+(for|für|pour|por|voor)\s+(nothing|nichts|rien|nada|niks)\b/iu,
  /\b(oh|yeah|wow|na)\s*,?\s*(great|wonderful|fantastic|brilliant|perfect|lovely|sure|amazing|toll|super|klasse)\b/iu,
  /\b(great|wonderful|fantastic|brilliant|perfect|lovely|amazing|super|toll|klasse|bravo|congratulations|glückwunsch)\b[^.!?]{0,4}[,.!]*\s*(another|again|more|noch|schon wieder|wieder|just|einfach)\b/iu,
  /\blove how\b|\bwell done\b.*\b(charged|lost|broke)|\bgood job\b.*\b(lost|broke|charged)\b/iu,
  /\b(really|very)\s+helpful\s+to\b|\bthanks a lot\b.*\b(ruin|wrong|twice|again)/iu,
  /\bsure,\s*(take|blame)\b/iu,
  /"(fix|we're looking into it|premium support|express|within 24 hours)"|«[^»]+»/iu,
];

const POSITIVE_EMOJI = /[😀😃😄😁😊🙂😍🥰😘👍🙏🎉❤💙💚💯🤩☺🥳✨👌]|:\)|:-\)|:D|<3/u;
const NEGATIVE_EMOJI = /[😡🤬😠😤😞😢😭👎💩🙄😒😩😫🤦]|:\(|:-\(/u;

/** Lower case, accents kept (they tell German and French words apart), apostrophes dropped ("don't" → "dont"). */
export function wordsOf(text: string): string[] {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/['’`]/g, '')
    .split(/[^\p{L}\p{N}*]+/u)
    .filter(Boolean);
}

/** Clauses end at these; a negation reaches no further. */
const CLAUSE = /[.!?;:,]+|\s-\s|\bbut\b|\baber\b|\bmais\b|\bpero\b/iu;

export type Features = Map<string, number>;

const add = (f: Features, name: string, value = 1) => f.set(name, (f.get(name) ?? 0) + value);

/** The features of one text, each with its value (counts kept small so no one feature shouts). */
export function featuresOf(text: string): Features {
  const f: Features = new Map();
  let pos = 0;
  let neg = 0;
  let hostile = 0;
  let repeat = 0;
  let intense = 0;
  let negations = 0;
  let wordCount = 0;
  for (const clause of text.split(CLAUSE)) {
    const words = wordsOf(clause);
    wordCount += words.length;
    let negatedFor = 0;
    for (let i = 0; i < words.length; i++) {
      const w = words[i];
      const negated = negatedFor > 0;
      if (NEGATORS.has(w)) {
        negatedFor = 3;
        negations++;
      } else if (negatedFor > 0) negatedFor--;
      f.set(`w:${negated ? '!' : ''}${w}`, 1);
      if (i > 0) f.set(`b:${words[i - 1]}_${w}`, 1);
      if (w.length >= 3 && !/^\d+$/.test(w)) {
        const padded = `<${w}>`;
        for (let k = 0; k + 4 <= padded.length; k++) f.set(`c:${padded.slice(k, k + 4)}`, 1);
      }
      if (POSITIVE.has(w)) {
        if (negated) neg++;
        else pos++;
      }
      if (NEGATIVE.has(w)) {
        if (negated) pos += 0.5;
        else neg++;
      }
      if (HOSTILE.has(w)) hostile++;
      if (REPEAT.has(w)) repeat++;
      if (INTENSIFIERS.has(w)) intense++;
    }
  }
  const cap = (n: number, max = 3) => Math.min(n, max);
  if (pos) add(f, 'lex:positive', cap(pos));
  if (neg) add(f, 'lex:negative', cap(neg));
  if (pos && neg) add(f, 'lex:mixed');
  if (hostile) add(f, 'lex:hostile', cap(hostile, 2));
  if (repeat) add(f, 'cue:repeat', cap(repeat, 2));
  if (intense) add(f, 'cue:intensifier', cap(intense, 2));
  if (negations) add(f, 'cue:negation', cap(negations, 2));
  if (THANKS.test(text)) add(f, 'cue:thanks');
  if (SARCASM.some((re) => re.test(text))) add(f, 'cue:sarcasm');

  const shouted = (text.match(/\b\p{Lu}{3,}\b/gu) ?? []).filter((w) => !/^[A-Z]{2,5}\d*$/.test(w) || w.length > 4).length;
  if (shouted) add(f, 'cue:caps', cap(shouted, 3));
  if (text.length > 12 && text === text.toUpperCase() && /\p{Lu}/u.test(text)) add(f, 'cue:all_caps');
  const bangs = (text.match(/!/g) ?? []).length;
  if (bangs) add(f, 'cue:exclaim');
  if (/!{2,}|[!?]{3,}/.test(text)) add(f, 'cue:exclaim_many');
  if (/\?/.test(text)) add(f, 'cue:question');
  if (/\?{2,}/.test(text)) add(f, 'cue:question_many');
  if (POSITIVE_EMOJI.test(text)) add(f, 'cue:emoji_positive');
  if (NEGATIVE_EMOJI.test(text)) add(f, 'cue:emoji_negative');
  if (/\.{3,}|…/.test(text)) add(f, 'cue:ellipsis');
  add(f, wordCount <= 4 ? 'len:short' : wordCount >= 30 ? 'len:long' : 'len:medium');
  add(f, 'bias');
  return f;
}
