/**
 * Addresses and header text going out, checked by our own code before anything reaches the mail
 * library: one plain mailbox per address (no quoted local parts, comments, groups or lists, which
 * is how `"a@evil.com"@tenant.com` tricks work), and names and subjects without line breaks, so
 * nothing a customer or an agent typed can add a header.
 */

// A dot-atom local part and a domain of letters, digits and hyphens: what real mailboxes use.
const LOCAL = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const LABEL = /^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$/;

export type AddressCheck = { ok: true; address: string } | { ok: false; message: string };

export function checkAddress(raw: string): AddressCheck {
  const value = raw.trim();
  if (/[\r\n\0]/.test(value)) return { ok: false, message: 'must be on one line' };
  if (value.length > 254) return { ok: false, message: 'is too long for an email address' };
  const at = value.lastIndexOf('@');
  if (at <= 0 || at === value.length - 1) return { ok: false, message: 'must be an address such as name@example.com' };
  const local = value.slice(0, at);
  const domain = value.slice(at + 1).toLowerCase();
  if (local.length > 64 || !LOCAL.test(local)) return { ok: false, message: 'must be a plain address such as name@example.com (no quotes, spaces or brackets)' };
  const labels = domain.split('.');
  if (labels.length < 2 || !labels.every((l) => LABEL.test(l)) || /^\d+$/.test(labels[labels.length - 1])) return { ok: false, message: 'must have a domain such as example.com' };
  return { ok: true, address: `${local}@${domain}`.toLowerCase() };
}

/** A display name or a subject as one line of plain text: line breaks and control characters become spaces. */
export function headerText(value: string, max = 250): string {
  return value
    // eslint-disable-next-line no-control-regex -- control characters are exactly what must go
    .replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, max);
}

/** "Re: " once, however many the customer's client stacked up. */
export function replySubject(subject: string): string {
  const bare = headerText(subject).replace(/^((re|aw|sv|fw|fwd|wg)\s*(\[\d+\])?\s*:\s*)+/i, '');
  return bare ? `Re: ${bare}` : 'Re: your message';
}
