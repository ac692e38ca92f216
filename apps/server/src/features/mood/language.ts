/**
 * The language of a customer's text, as ISO 639-1. franc-min (trigram profiles of the 80-odd most
 * spoken languages, ~230 KB, no download) answers for texts long enough to judge; it answers
 * ISO 639-3, mapped here. Short texts ("Thanks!", "ok", "Danke dir") defeat trigram statistics, so
 * for those a few very common words of the languages customers write to us most decide, and
 * anything else is honestly unknown (null) rather than a guess.
 */
import { franc } from 'franc-min';

const ISO_639_1: Record<string, string> = {
  eng: 'en', deu: 'de', fra: 'fr', spa: 'es', ita: 'it', nld: 'nl', por: 'pt', pol: 'pl', ces: 'cs', ron: 'ro', hun: 'hu', swe: 'sv', tur: 'tr', rus: 'ru', ukr: 'uk', bel: 'be', bul: 'bg',
  srp: 'sr', hrv: 'hr', bos: 'bs', ind: 'id', zlm: 'ms', vie: 'vi', jav: 'jv', sun: 'su', tgl: 'tl', ceb: 'ceb', swh: 'sw', hau: 'ha', yor: 'yo', ibo: 'ig', zul: 'zu', som: 'so', kin: 'rw', run: 'rn',
  lin: 'ln', nya: 'ny', plt: 'mg', kaz: 'kk', uzn: 'uz', azj: 'az', arb: 'ar', urd: 'ur', pes: 'fa', pbu: 'ps', hin: 'hi', mar: 'mr', npi: 'ne', ben: 'bn', pan: 'pa', guj: 'gu', tam: 'ta', tel: 'te', kan: 'kn',
  mal: 'ml', ori: 'or', sin: 'si', tha: 'th', lao: 'lo', khm: 'km', mya: 'my', kat: 'ka', hye: 'hy', ell: 'el', heb: 'he', amh: 'am', cmn: 'zh', jpn: 'ja', kor: 'ko', ckb: 'ku',
};

/** Words common enough that two of them (or one in a very short text) name the language. */
const HINTS: Record<string, string[]> = {
  en: ['the', 'and', 'is', 'it', 'you', 'my', 'to', 'thanks', 'thank', 'please', 'not', 'this', 'what', 'how', 'can', 'ok', 'hi', 'hello', 'yes', 'no', 'great', 'i', 'im', 'for', 'of', 'still', 'again', 'where', 'when', 'why'],
  de: ['der', 'die', 'das', 'und', 'ist', 'ich', 'nicht', 'danke', 'bitte', 'mein', 'meine', 'wie', 'wo', 'was', 'ja', 'nein', 'hallo', 'dir', 'schon', 'noch', 'wieder', 'mit', 'sie', 'ihr', 'gut', 'toll'],
  fr: ['le', 'la', 'les', 'et', 'est', 'je', 'merci', 'bonjour', 'pas', 'mon', 'ma', 'vous', 'oui', 'non', 'pour', 'rien', 'où', 'ça'],
  es: ['el', 'los', 'las', 'y', 'es', 'yo', 'gracias', 'hola', 'mi', 'por', 'favor', 'sí', 'nada', 'dónde', 'qué', 'pedido'],
  nl: ['de', 'het', 'en', 'ik', 'niet', 'bedankt', 'dank', 'je', 'mijn', 'wel', 'geen', 'niks', 'hallo', 'hoe'],
  it: ['il', 'lo', 'gli', 'e', 'è', 'io', 'grazie', 'ciao', 'buongiorno', 'mio', 'non', 'per', 'perché'],
};
const HINT_OF = new Map<string, string[]>();
for (const [lang, words] of Object.entries(HINTS)) for (const w of words) HINT_OF.set(w, [...(HINT_OF.get(w) ?? []), lang]);

/** Texts at least this long (letters, after links and numbers are removed) go to the trigram detector. */
const TRIGRAM_MIN = 25;

function hinted(words: string[]): string | null {
  const votes = new Map<string, number>();
  for (const w of words) for (const lang of HINT_OF.get(w) ?? []) votes.set(lang, (votes.get(lang) ?? 0) + 1 / (HINT_OF.get(w)?.length ?? 1));
  const ranked = [...votes.entries()].sort((a, b) => b[1] - a[1]);
  if (!ranked.length) return null;
  const [best, second] = ranked;
  if (second && second[1] === best[1]) return null;
  return best[1] >= 1 || words.length <= 3 ? best[0] : null;
}

export function detectLanguage(text: string): string | null {
  const cleaned = text
    .replace(/https?:\/\/\S+|\S+@\S+|[#\d][\w-]*/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  const letters = cleaned.replace(/[^\p{L}\s]/gu, '').trim();
  if (letters.length >= TRIGRAM_MIN) {
    const code = franc(cleaned, { minLength: TRIGRAM_MIN });
    if (code !== 'und' && ISO_639_1[code]) return ISO_639_1[code];
  }
  const words = letters.toLowerCase().split(/\s+/).filter(Boolean);
  return hinted(words);
}
