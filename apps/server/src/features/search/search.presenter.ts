/** The JSON of search hits: the conversation as the list shows it, the snippet as text and ranges. */
import { presentConversation } from '../conversations/conversations.presenter.js';
import type { ContactHit, ConversationHit, MessageHit } from './search.queries.js';
import { snippetOf } from './search-text.js';

export interface Lexemes {
  query: string[];
  plain: string[];
}

export function presentConversationHit(h: ConversationHit, words: Lexemes) {
  return { type: 'conversation' as const, field: h.field, snippet: snippetOf(h.text, h.field === 'contact' ? words.plain : words.query), conversation: presentConversation(h.row), message: null, contact: null };
}

export function presentMessageHit(h: MessageHit, words: Lexemes) {
  return {
    type: 'message' as const,
    field: 'message',
    snippet: snippetOf(h.text, words.query),
    conversation: presentConversation(h.conversation),
    message: { id: h.id, seq: h.seq, direction: h.direction, private: h.private, author_name: h.author_name, created_at: h.created_at.toISOString() },
    contact: null,
  };
}

export function presentContactHit(h: ContactHit, words: Lexemes) {
  return {
    type: 'contact' as const,
    field: 'contact',
    snippet: snippetOf([h.name, h.email, h.phone, h.company].filter(Boolean).join(' · '), words.plain),
    conversation: null,
    message: null,
    contact: { id: h.id, name: h.name, email: h.email, phone: h.phone, company: h.company, created_at: h.created_at.toISOString() },
  };
}
