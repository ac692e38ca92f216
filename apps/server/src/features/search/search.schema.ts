/** Request and response schemas of search, the conversation export and the search language. */
import { Type } from '@sinclair/typebox';
import { Nullable, Obj, Timestamp, Uuid } from '../../core/http/schema.js';
import { ChannelFilter, Conversation, FromBound, Status, Tag, ToBound } from '../conversations/conversations.schema.js';

/** The filters search and the export share with the conversation list, and a few more. */
export const filterFields = {
  status: Type.Optional(Type.Union([Status, Type.Literal('all')])),
  inbox_id: Type.Optional(Uuid),
  team_id: Type.Optional(Uuid),
  assignee: Type.Optional(Type.Union([Type.Literal('me'), Type.Literal('unassigned'), Type.Literal('any'), Uuid], { description: 'me, unassigned, any, or a user id (as in the conversation list)' })),
  assignee_id: Type.Optional(Type.Union([Type.Literal('me'), Type.Literal('unassigned'), Uuid], { description: 'The same as assignee' })),
  tag: Type.Optional(Tag),
  channel: Type.Optional(ChannelFilter),
  from: Type.Optional(FromBound),
  to: Type.Optional(ToBound),
};

export const SearchType = Type.Union([Type.Literal('conversations'), Type.Literal('messages'), Type.Literal('contacts')]);

export const SearchQuery = Obj({
  q: Type.String({ minLength: 1, maxLength: 200, description: 'Words to find; every word must match, the last also as the start of a word' }),
  type: Type.Optional(Type.Union([SearchType], { default: 'conversations' })),
  ...filterFields,
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, default: 20 })),
});

export const ExportQuery = Obj({
  q: Type.Optional(Type.String({ maxLength: 200, description: 'Only conversations matching these words (as in search)' })),
  ...filterFields,
  sort: Type.Optional(Type.Union([Type.Literal('newest'), Type.Literal('oldest'), Type.Literal('waiting')])),
});

export const Snippet = Type.Object(
  {
    text: Type.String(),
    highlights: Type.Array(Type.Object({ start: Type.Integer(), end: Type.Integer() }), { description: 'Ranges of text to highlight, as UTF-16 offsets (JavaScript string indices), end exclusive' }),
  },
  { description: 'Plain text around the match; never HTML' },
);

export const SearchHit = Type.Object({
  type: Type.Union([Type.Literal('conversation'), Type.Literal('message'), Type.Literal('contact')]),
  field: Type.String({ description: 'Where the match is: subject, message, contact, name…' }),
  snippet: Snippet,
  conversation: Nullable(Conversation),
  message: Nullable(
    Type.Object({
      id: Uuid,
      seq: Type.Integer(),
      direction: Type.Union([Type.Literal('incoming'), Type.Literal('outgoing')]),
      private: Type.Boolean(),
      author_name: Nullable(Type.String()),
      created_at: Timestamp,
    }),
  ),
  contact: Nullable(Type.Object({ id: Uuid, name: Type.String(), email: Nullable(Type.String()), phone: Nullable(Type.String()), company: Nullable(Type.String()), created_at: Timestamp })),
});

export const SearchLanguage = Obj({ language: Type.String({ minLength: 1, maxLength: 40, pattern: '^[a-z_]+$', description: "A text search configuration of the database (english, german, simple…); 'simple' matches words as written" }) });
export const SearchLanguageAnswer = Type.Object({ language: Type.String(), available: Type.Array(Type.String()) });
