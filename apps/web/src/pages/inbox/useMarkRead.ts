import { useEffect, useRef } from 'react';
import { api } from '../../api/client';

/**
 * An open thread on a visible page is being read: it is marked read, so its unread count clears
 * and the customer's messages say "Seen" in the widget. `unreadSeq` is the newest customer message
 * not yet read (0 when none); a page in the background marks nothing until it is looked at.
 */
export function useMarkRead(conversationId: string, unreadSeq: number, unreadCount: number): void {
  const marked = useRef('');
  useEffect(() => {
    if (unreadSeq === 0 && unreadCount === 0) return;
    const key = `${conversationId}:${unreadSeq}:${unreadCount}`;
    const mark = () => {
      if (document.visibilityState !== 'visible' || marked.current === key) return;
      marked.current = key;
      api.post(`/conversations/${conversationId}/read`).catch(() => {
        marked.current = ''; // tried again on the next change or when the page is shown again
      });
    };
    mark();
    document.addEventListener('visibilitychange', mark);
    return () => document.removeEventListener('visibilitychange', mark);
  }, [conversationId, unreadSeq, unreadCount]);
}
