import type { EmailAddress, EmailDetails } from '../../../api/types';

/** "Ada Lovelace <ada@example.com>", or the bare address when there is no name. */
export function formatAddress(a: EmailAddress): string {
  return a.name && a.name !== a.address ? `${a.name} <${a.address}>` : a.address;
}

export const automatedLabels: Record<NonNullable<EmailDetails['automated']>, string> = {
  'auto-reply': 'Auto-reply',
  bounce: 'Bounce',
  bulk: 'Bulk mail',
};

const replyPrefix = /^\s*((re|fwd?|aw|wg|sv|vs|antw|tr)\s*(\[\d+\])?\s*:\s*)+/i;

/** Whether two subjects are the same thread's ("Re: Order 1042" is "Order 1042"). */
export function sameSubject(a: string | null | undefined, b: string | null | undefined): boolean {
  const bare = (s: string | null | undefined) => (s ?? '').replace(replyPrefix, '').replace(/\s+/g, ' ').trim().toLowerCase();
  return bare(a) === bare(b);
}
