/**
 * Attachments as the rest of Rapport may store and offer them: a file name that is only a name
 * (no folders, no "../", no control or direction-override characters, never empty), a plain
 * lower-case content type, and the Content-ID an inline image is referenced by.
 */
import type { Attachment } from 'mailparser';
import type { ParsedAttachment } from './parse.js';

const EXTENSIONS: Record<string, string> = {
  'image/png': 'png', 'image/jpeg': 'jpg', 'image/gif': 'gif', 'image/webp': 'webp', 'image/svg+xml': 'svg',
  'image/bmp': 'bmp', 'image/tiff': 'tif', 'application/pdf': 'pdf', 'application/zip': 'zip',
  'text/plain': 'txt', 'text/html': 'html', 'text/csv': 'csv', 'text/calendar': 'ics',
  'message/rfc822': 'eml', 'text/rfc822-headers': 'txt', 'message/delivery-status': 'txt',
  'application/msword': 'doc', 'application/vnd.ms-excel': 'xls',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
};

const MAX_NAME = 200;

export function contentTypeOf(value: string | undefined): string {
  const type = (value ?? '').trim().toLowerCase();
  return /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/.test(type) ? type : 'application/octet-stream';
}

/** A file name safe to store and to offer for download, whatever the sender wrote. */
export function safeFilename(name: string | undefined, contentType: string): string {
  const base = (name ?? '')
    // C0/C1 controls, and the bidi overrides that make "gpj.exe" read as "exe.jpg".
    // eslint-disable-next-line no-control-regex -- matching control characters is the point
    .replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '')
    .split(/[/\\]/)
    .pop() ?? '';
  // Leading dots would make a hidden file, or be what remains of "..".
  let clean = base.replace(/^[\s.]+/, '').replace(/[\s.]+$/, '');
  if (clean.length > MAX_NAME) {
    const dot = clean.lastIndexOf('.');
    const extension = dot > 0 && clean.length - dot <= 16 ? clean.slice(dot) : '';
    clean = clean.slice(0, MAX_NAME - extension.length) + extension;
  }
  if (clean !== '') return clean;
  return `attachment.${EXTENSIONS[contentType] ?? 'bin'}`;
}

export function toParsedAttachment(attachment: Attachment): ParsedAttachment {
  const contentType = contentTypeOf(attachment.contentType);
  const contentId = attachment.cid ? attachment.cid.replace(/[<>\s]/g, '') || null : null;
  return {
    filename: safeFilename(attachment.filename, contentType),
    contentType,
    size: attachment.content.length,
    content: attachment.content,
    contentId,
    // An image referenced from the HTML; a part with a Content-ID that says "attachment" is a file.
    inline: contentId !== null && attachment.contentDisposition !== 'attachment',
  };
}
