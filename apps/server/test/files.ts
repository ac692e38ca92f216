/** Small real files for upload tests, and a multipart/form-data body as a browser would send it. */
import { randomBytes } from 'node:crypto';
import { pngClaiming, samplePdf, samplePng } from '../../widget/tools/sample-files.js';

/** A real PNG of the given size; a huge size gives a file that only claims it (a "pixel bomb"). */
export const png = (width = 2, height = 2): Buffer => (width * height > 4_000_000 ? pngClaiming(width, height) : samplePng(width, height));

export const pdf = samplePdf;

/** The body a browser sends for a form with one file (a " in the name written as %22, as browsers do). */
export function multipart(fileName: string, bytes: Buffer, contentType = 'application/octet-stream', field = 'file'): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----rapport${randomBytes(8).toString('hex')}`;
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${fileName.replace(/"/g, '%22')}"\r\nContent-Type: ${contentType}\r\n\r\n`, 'utf8');
  const payload = Buffer.concat([head, bytes, Buffer.from(`\r\n--${boundary}--\r\n`)]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}
