/**
 * New messages become notifications for the conversation's followers and assignee: a reactor
 * (core/reactions.ts), so each message is counted once and in order (the unread notification
 * shows the latest), and none is lost if a node stops between the message and its notification.
 */
import type { Reactor } from '../../core/reactions.js';
import { notifyNewMessage } from './notify.js';

interface MessageEvent {
  id?: string;
  kind?: string;
  direction?: string;
  private?: boolean;
  content?: string;
  attachments?: unknown[];
  author?: { type: string; id: string; name: string } | null;
}

export const notificationsReactor: Reactor = {
  name: 'notifications',
  events: ['message.created'],
  async react(trx, _ctx, event) {
    const message = (event.payload as { message?: MessageEvent }).message;
    if (!event.conversationId || !message?.id || message.kind === 'system') return;
    const author = message.author;
    const name = author?.name || (message.direction === 'incoming' ? 'the customer' : 'A teammate');
    const what = message.direction === 'incoming' ? `New message from ${name}` : message.private ? `${name} added a note` : `${name} replied`;
    const files = message.attachments?.length ?? 0;
    const body = message.content || (files ? `${files === 1 ? 'A file' : `${files} files`}` : '');
    await notifyNewMessage(trx, event.accountId, event.id, { conversationId: event.conversationId, messageId: message.id, authorUserId: author?.type === 'user' ? author.id : null, what, body });
  },
};
