/** Forty common emoji with names in the visitor's languages (no emoji dataset), and how the picker's arrow keys move. */
export const COLUMNS = 8;

// emoji, English name, German name
export const EMOJI: [string, string, string][] = [
  ['😀', 'Grinning face', 'Grinsendes Gesicht'],
  ['😂', 'Tears of joy', 'Tränen vor Lachen'],
  ['🙂', 'Slight smile', 'Leichtes Lächeln'],
  ['😊', 'Smiling face', 'Lächelndes Gesicht'],
  ['😉', 'Wink', 'Zwinkern'],
  ['😍', 'Heart eyes', 'Herzaugen'],
  ['🥰', 'Smiling with hearts', 'Lächeln mit Herzen'],
  ['😎', 'Sunglasses', 'Sonnenbrille'],
  ['🤔', 'Thinking', 'Nachdenklich'],
  ['😅', 'Sweat smile', 'Verlegenes Lachen'],
  ['🙃', 'Upside-down face', 'Umgedrehtes Gesicht'],
  ['😐', 'Neutral face', 'Neutrales Gesicht'],
  ['😕', 'Confused', 'Verwirrt'],
  ['😮', 'Surprised', 'Überrascht'],
  ['😢', 'Crying', 'Weinend'],
  ['😭', 'Sobbing', 'Heulend'],
  ['😡', 'Angry', 'Wütend'],
  ['😴', 'Sleeping', 'Schlafend'],
  ['🤗', 'Hug', 'Umarmung'],
  ['🤩', 'Star-struck', 'Begeistert'],
  ['👍', 'Thumbs up', 'Daumen hoch'],
  ['👎', 'Thumbs down', 'Daumen runter'],
  ['👏', 'Clapping', 'Applaus'],
  ['🙏', 'Thank you', 'Danke'],
  ['👋', 'Waving hand', 'Winkende Hand'],
  ['👌', 'OK hand', 'OK-Zeichen'],
  ['✌️', 'Victory hand', 'Victory-Zeichen'],
  ['💪', 'Flexed biceps', 'Bizeps'],
  ['🤝', 'Handshake', 'Handschlag'],
  ['👀', 'Eyes', 'Augen'],
  ['❤️', 'Red heart', 'Rotes Herz'],
  ['🎉', 'Party popper', 'Konfetti'],
  ['✨', 'Sparkles', 'Funkeln'],
  ['🔥', 'Fire', 'Feuer'],
  ['⭐', 'Star', 'Stern'],
  ['✅', 'Check mark', 'Häkchen'],
  ['❌', 'Cross mark', 'Kreuz'],
  ['❓', 'Question mark', 'Fragezeichen'],
  ['💡', 'Light bulb', 'Glühbirne'],
  ['📦', 'Package', 'Paket'],
];

/** Where the arrow keys move in the grid; null for keys the grid does not handle. */
export function moveIn(index: number, key: string, count: number, columns = COLUMNS): number | null {
  const next =
    key === 'ArrowRight' ? index + 1 : key === 'ArrowLeft' ? index - 1 : key === 'ArrowDown' ? index + columns : key === 'ArrowUp' ? index - columns : key === 'Home' ? 0 : key === 'End' ? count - 1 : null;
  if (next == null) return null;
  return next < 0 || next >= count ? index : next;
}
