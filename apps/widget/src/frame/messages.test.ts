import { describe, expect, it } from 'vitest';
import type { ServerMessage } from './api.js';
import { fromQueue, fromServer, lastSeq, merge } from './messages.js';

const server = (seq: number, over: Partial<ServerMessage> = {}): ServerMessage => ({
  id: `m${seq}`,
  seq,
  direction: 'outgoing',
  content: `message ${seq}`,
  status: 'sent',
  client_message_id: null,
  author: { type: 'user', name: 'Ada', avatar_url: null },
  created_at: new Date(1_700_000_000_000 + seq * 1000).toISOString(),
  ...over,
});

describe('merge', () => {
  it('orders by sequence number and keeps unsent messages last', () => {
    const pending = fromQueue({ client_message_id: 'c1', content: 'hi', created_at: new Date(0).toISOString() });
    const list = merge([pending], [fromServer(server(2)), fromServer(server(1))]);
    expect(list.map((m) => m.key)).toEqual(['m1', 'm2', 'c1']);
    expect(lastSeq(list)).toBe(2);
  });

  it('never duplicates: history, realtime and the send answer of the same message are one', () => {
    const local = fromQueue({ client_message_id: 'c1', content: 'hi', created_at: new Date().toISOString() });
    const echo = fromServer(server(3, { id: 'x', direction: 'incoming', client_message_id: 'c1', content: 'hi' }));
    let list = merge([], [local]);
    list = merge(list, [echo]);
    list = merge(list, [echo]);
    list = merge(list, [fromServer(server(3, { id: 'x', direction: 'incoming', client_message_id: 'c1', content: 'hi' }))]);
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ key: 'c1', id: 'x', seq: 3, state: 'sent' });
  });

  it('keeps the server copy when a stale local failure arrives after it', () => {
    const echo = fromServer(server(1, { client_message_id: 'c1', direction: 'incoming' }));
    const list = merge([echo], [fromQueue({ client_message_id: 'c1', content: 'x', created_at: echo.created_at }, 'failed')]);
    expect(list[0].state).toBe('sent');
  });
});

describe('attachments', () => {
  const photo = { id: 'a1', file_name: 'photo.png', content_type: 'image/png', byte_size: 2048, width: 10, height: 10, inline: true, url: '/api/v1/widget/attachments/a1?sig=x' };

  it('keep a queued file message the same through the server echo', () => {
    const local = fromQueue({ client_message_id: 'c1', content: '', created_at: new Date().toISOString(), attachments: [photo] });
    expect(local.attachments).toEqual([photo]);
    const list = merge([local], [fromServer(server(1, { direction: 'incoming', client_message_id: 'c1', content: '', attachments: [photo] }))]);
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ key: 'c1', id: 'm1', attachments: [photo] });
  });

  it('are an empty list on messages from a server that sends none', () => {
    expect(fromServer(server(1)).attachments).toEqual([]);
  });
});
