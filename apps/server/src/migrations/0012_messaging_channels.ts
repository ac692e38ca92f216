/**
 * Messaging channels (SMS, WhatsApp, Messenger, Instagram, Telegram) and the phone inbox: the key
 * in the URL a provider posts its webhooks to, the customer's address on the channel that a
 * conversation's replies go to (a phone number, a chat id, a page-scoped id), when the customer
 * last wrote (providers such as WhatsApp only take free-form replies within a window after that),
 * and calls as entries of a conversation.
 */
export default /* sql */ `
alter table inboxes add column inbound_key text;
create unique index inboxes_inbound_key_key on inboxes (inbound_key);

alter table conversations
  add column channel_address text,
  add column last_incoming_at timestamptz;
create index conversations_channel_address_idx on conversations (inbox_id, channel_address, last_message_at desc) where channel_address is not null;
update conversations c set last_incoming_at = (select max(m.created_at) from messages m where m.conversation_id = c.id and m.direction = 'incoming' and m.kind = 'text');

alter table messages drop constraint messages_kind_check;
alter table messages add constraint messages_kind_check check (kind in ('text', 'system', 'call'));
`;
