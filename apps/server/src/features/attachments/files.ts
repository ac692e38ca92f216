/**
 * What a file really is, decided by its bytes and never by its name or declared type: an
 * allow-list of kinds, image dimensions checked before anyone renders them, and a display name
 * that cannot smuggle paths, control characters or reversed text.
 */
import { fileTypeFromBuffer } from 'file-type';
import { imageSize } from 'image-size';
import { AppError } from '../../core/errors.js';

/** Kinds a conversation may carry. Images in `INLINE` may be shown in an <img>; the rest download. */
const ALLOWED: Record<string, string> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/gif': 'gif',
  'image/webp': 'webp',
  'application/pdf': 'pdf',
  'application/zip': 'zip',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'pptx',
  'application/vnd.oasis.opendocument.text': 'odt',
  'application/vnd.oasis.opendocument.spreadsheet': 'ods',
  'video/mp4': 'mp4',
  'audio/mpeg': 'mp3',
  'audio/x-m4a': 'm4a',
  'audio/mp4': 'm4a',
  'text/plain': 'txt',
  'text/csv': 'csv',
};
const INLINE = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);

/** For a file input's `accept`: what the server will take. */
export const ACCEPT = [...Object.keys(ALLOWED), '.txt', '.csv', '.docx', '.xlsx', '.pptx', '.odt', '.ods', '.m4a'].join(',');

/** Images are decoded by browsers; a tiny file claiming 100k × 100k pixels must not reach one. */
export const MAX_PIXELS = 40_000_000;
const MAX_SIDE = 20_000;

export interface Sniffed {
  contentType: string;
  inline: boolean;
  width: number | null;
  height: number | null;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
/** Markup a browser might render if it ever sniffed past our headers. */
const MARKUP = /<\s*(!doctype|html|head|body|script|svg|iframe|object|embed|meta|\?xml)\b/i;

/** A file with no magic number is allowed only as plain UTF-8 text that is not markup. */
function asText(bytes: Buffer, fileName: string): string | undefined {
  if (bytes.includes(0)) return undefined;
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return undefined;
  }
  if (MARKUP.test(text.slice(0, 4096))) return undefined;
  return /\.csv$/i.test(fileName) ? 'text/csv' : 'text/plain';
}

export async function sniff(bytes: Buffer, fileName: string): Promise<Sniffed> {
  if (bytes.length === 0) throw new AppError('validation_failed', 'This file is empty.', [{ field: 'file', message: 'must not be empty' }]);
  const detected = await fileTypeFromBuffer(bytes);
  const contentType = detected ? detected.mime : asText(bytes, fileName);
  if (!contentType || !ALLOWED[contentType]) throw new AppError('file_type_not_allowed');
  if (!INLINE.has(contentType)) return { contentType, inline: false, width: null, height: null };
  let size: { width?: number; height?: number };
  try {
    size = imageSize(bytes);
  } catch {
    throw new AppError('file_type_not_allowed', 'This image is damaged or incomplete and cannot be sent.');
  }
  const width = size.width ?? 0;
  const height = size.height ?? 0;
  if (!width || !height) throw new AppError('file_type_not_allowed', 'This image is damaged or incomplete and cannot be sent.');
  if (width > MAX_SIDE || height > MAX_SIDE || width * height > MAX_PIXELS) throw new AppError('image_too_large');
  return { contentType, inline: true, width, height };
}

// C0/C1 controls (NUL, CR, LF…), bidirectional overrides and isolates, zero-width characters.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;
const MAX_NAME = 180;

/**
 * The name a file is shown and downloaded under. The stored object has a generated key, so this
 * is only ever display text: no folders, no control or direction characters, a sane length that
 * keeps the extension, and never empty.
 */
export function displayName(raw: string, contentType: string): string {
  const base = raw.split(/[\\/]/).pop() ?? '';
  let name = base.replace(/[\t\n\r]+/g, ' ').replace(UNSAFE, '').replace(/\s+/g, ' ').trim().replace(/^\.+/, '');
  if (!name) name = `file.${ALLOWED[contentType] ?? 'bin'}`;
  if ([...name].length > MAX_NAME) {
    const dot = name.lastIndexOf('.');
    const ext = dot > 0 && name.length - dot <= 10 ? name.slice(dot) : '';
    name = [...name.slice(0, name.length - ext.length)].slice(0, MAX_NAME - ext.length).join('') + ext;
  }
  return name;
}
