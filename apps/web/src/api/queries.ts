// React Query hooks and keys for the data the app reads.
import { keepPreviousData, useInfiniteQuery, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useMemo } from 'react';
import { api, ApiError } from './client';
import type {
  ApiToken,
  AttachmentLimits,
  AuditEvent,
  ChannelInfo,
  Contact,
  ContactDetail,
  ContactForm,
  Conversation,
  Inbox,
  Invitation,
  Me,
  Member,
  Message,
  Page,
  Presence,
  Team,
} from './types';

export const keys = {
  me: ['me'] as const,
  users: ['users'] as const,
  teams: ['teams'] as const,
  invitations: ['invitations'] as const,
  tokens: ['tokens'] as const,
  audit: ['audit-events'] as const,
  contacts: ['contacts'] as const,
  contact: (id: string) => ['contacts', id, 'detail'] as const,
  inboxes: ['inboxes'] as const,
  inbox: (id: string) => ['inboxes', id] as const,
  /** Under the inbox, so what refreshes an inbox refreshes its contact form too. */
  inboxForm: (id: string) => ['inboxes', id, 'form'] as const,
  /** Everything about conversations: the lists, each one's detail and messages. */
  conversations: ['conversations'] as const,
  conversationList: (query: string) => ['conversations', 'list', query] as const,
  conversation: (id: string) => ['conversations', id, 'detail'] as const,
  messages: (id: string) => ['conversations', id, 'messages'] as const,
  /** Under "conversations", so whatever refreshes conversations refreshes these too. */
  contactConversations: (contactId: string) => ['conversations', 'contact', contactId] as const,
  /** Who of the team is online, away or offline; kept current by presence.updated events. */
  presence: ['presence'] as const,
  attachmentLimits: ['attachments', 'limits'] as const,
  /** Under "conversations": tagging a conversation refreshes the suggestions. */
  tags: ['conversations', 'tags'] as const,
  /** The messaging channels the server can connect, with their setup forms. */
  channels: ['channels'] as const,
};

/** The signed-in user, or null when signed out. */
export function useMe() {
  return useQuery({
    queryKey: keys.me,
    queryFn: async (): Promise<Me | null> => {
      try {
        return await api.get<Me>('/me');
      } catch (err) {
        if (err instanceof ApiError && err.status === 401) return null;
        throw err;
      }
    },
    staleTime: 60_000,
  });
}

function useList<T>(key: readonly unknown[], path: string, enabled = true, live?: { every: number }) {
  return useQuery({
    queryKey: key,
    queryFn: async () => (await api.get<Page<T>>(path)).data,
    enabled,
    // A live list is asked again on a timer and whenever it is shown.
    ...(live ? { refetchInterval: live.every, staleTime: 0 } : {}),
  });
}

export const useUsers = () => useList<Member>(keys.users, '/users');
export const useTeams = () => useList<Team>(keys.teams, '/teams');
export const useInvitations = () => useList<Invitation>(keys.invitations, '/invitations');
export const useTokens = () => useList<ApiToken>(keys.tokens, '/tokens');
/** A cursor-paginated list: pages load on demand ("Load more"). */
function usePagedList<T>(key: readonly unknown[], path: string, keepPrevious = false) {
  const query = useInfiniteQuery({
    // A list whose filters change keeps showing the last answer until the new one arrives.
    placeholderData: keepPrevious ? keepPreviousData : undefined,
    queryKey: key,
    queryFn: ({ pageParam }) =>
      api.get<Page<T>>(`${path}${pageParam ? `${path.includes('?') ? '&' : '?'}cursor=${encodeURIComponent(pageParam)}` : ''}`),
    initialPageParam: '',
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
  const items = useMemo(() => query.data?.pages.flatMap((p) => p.data), [query.data]);
  return { ...query, items };
}

export const useContacts = () => usePagedList<Contact>(keys.contacts, '/contacts');
/** Conversations matching a query string of server-side filters (e.g. "assignee=me&status=open"). */
export const useConversations = (query = '') =>
  usePagedList<Conversation>(keys.conversationList(query), `/conversations${query ? `?${query}` : ''}`, true);

/** One conversation, always fresh from the server; `placeholder` (e.g. the list's copy) shows meanwhile. */
export const useConversation = (id: string | undefined, placeholder?: Conversation) =>
  useQuery({
    queryKey: keys.conversation(id ?? ''),
    queryFn: () => api.get<Conversation>(`/conversations/${id ?? ''}`),
    enabled: Boolean(id),
    placeholderData: placeholder,
    retry: false,
  });

/**
 * The conversation as the app last loaded it, without asking the server (the page that shows it
 * keeps it fresh): for parts of the thread that need its channel or reply window.
 */
export const useHeldConversation = (id: string) =>
  useQuery({
    queryKey: keys.conversation(id),
    queryFn: () => api.get<Conversation>(`/conversations/${id}`),
    enabled: false,
  }).data;

/** Adds messages to a thread in sequence order, once each. */
export function mergeMessages(current: Message[], incoming: Message[]): Message[] {
  const seen = new Set(current.map((m) => m.id));
  const added = incoming.filter((m) => !seen.has(m.id));
  if (added.length === 0) return current;
  return [...current, ...added].sort((a, b) => a.seq - b.seq);
}

/** Puts the newer copy of a message (its status changed, say) in place of the held one, or adds it. */
export function replaceMessage(current: Message[], message: Message): Message[] {
  if (!current.some((m) => m.id === message.id)) return mergeMessages(current, [message]);
  return current.map((m) => (m.id === message.id ? message : m));
}

/**
 * Threads whose messages' statuses may have changed unseen (a "read" receipt missed while the
 * socket was down): their next load fetches everything again instead of only what is new.
 */
export const staleThreads = new Set<string>();

/**
 * Fetched messages laid over the thread as it is *now* (not as it was when the fetch began): a
 * live event that landed meanwhile (a "read" receipt, say) is not undone by an older answer.
 * A status only moves forward to "read".
 */
function reconcile(now: Message[], fetched: Message[]): Message[] {
  const byId = new Map(now.map((m) => [m.id, m]));
  for (const m of fetched) {
    const held = byId.get(m.id);
    byId.set(m.id, held?.status === 'read' && m.status !== 'read' ? { ...m, status: 'read' } : m);
  }
  return [...byId.values()].sort((a, b) => a.seq - b.seq);
}

async function loadMessages(queryClient: QueryClient, id: string): Promise<Message[]> {
  // A message's text never changes once written: a refetch asks only for those after the ones held.
  // Sequence numbers run 1, 2, 3…; a gap (a message added straight to the cache, say) is asked for
  // again. Only a stale thread (see above) is fetched whole, its statuses taken from the server.
  const whole = staleThreads.delete(id);
  const held = whole ? [] : (queryClient.getQueryData<Message[]>(keys.messages(id)) ?? []);
  let after = 0;
  while (after < held.length && held[after].seq === after + 1) after++;
  let fetched: Message[] = [];
  for (let pages = 0; pages < 100; pages++) {
    const page = await api.get<Page<Message>>(`/conversations/${id}/messages?after=${after}&limit=500`);
    fetched = [...fetched, ...page.data];
    const next = page.next_cursor ? Number(page.next_cursor) : NaN;
    if (!Number.isFinite(next) || next <= after) break;
    after = next;
  }
  return reconcile(queryClient.getQueryData<Message[]>(keys.messages(id)) ?? [], fetched);
}

export function useMessages(id: string | undefined) {
  const queryClient = useQueryClient();
  return useQuery({
    queryKey: keys.messages(id ?? ''),
    queryFn: () => loadMessages(queryClient, id ?? ''),
    enabled: Boolean(id),
  });
}

/** `live`: asked again every minute and on every mount, as an email inbox's connection state changes unannounced. */
export const useInboxes = (live = false) => useList<Inbox>(keys.inboxes, '/inboxes', true, live ? { every: 60_000 } : undefined);
export function useInbox(id: string | undefined) {
  const queryClient = useQueryClient();
  return useQuery({
    queryKey: keys.inbox(id ?? ''),
    queryFn: async () => {
      const inbox = await api.get<Inbox>(`/inboxes/${id ?? ''}`);
      // The list holds the same inbox: what this answer says (a failing connection, say) holds there too.
      queryClient.setQueryData<Inbox[]>(keys.inboxes, (list) => list?.map((i) => (i.id === inbox.id ? inbox : i)));
      return inbox;
    },
    enabled: Boolean(id),
    retry: false,
    // An email inbox's connection state changes unannounced: soon after new settings, then now and then.
    // An API inbox's changes with each reply delivered (or not) to its webhook: now and then.
    refetchInterval: (query) => {
      const inbox = query.state.data;
      if (inbox?.channel === 'api') return 60_000;
      // A messaging inbox's with each reply the provider takes or refuses.
      if (inbox?.inbound_webhook_url) return 60_000;
      if (inbox?.channel !== 'email') return false;
      return inbox.connection?.status === 'unknown' ? 5_000 : 60_000;
    },
  });
}

/** The messaging channels (Telegram, SMS, WhatsApp…) with the fields of their setup forms; they change only with the server. */
export const useChannels = () =>
  useQuery({
    queryKey: keys.channels,
    queryFn: async () => (await api.get<{ data: ChannelInfo[] }>('/channels')).data,
    staleTime: 10 * 60_000,
  });

/** One channel's setup form, once the list has loaded. */
export function useChannel(channel: string | undefined): { info: ChannelInfo | undefined; query: ReturnType<typeof useChannels> } {
  const query = useChannels();
  return { info: query.data?.find((c) => c.channel === channel), query };
}

/** An email inbox's contact form (admins only: agents are answered 403). */
export const useInboxForm = (id: string, enabled = true) =>
  useQuery({
    queryKey: keys.inboxForm(id),
    queryFn: () => api.get<ContactForm>(`/inboxes/${id}/form`),
    enabled,
    retry: false,
  });

/** One contact with identities, what the chat learnt about the visitor, and any unverified claim. */
export const useContact = (id: string | undefined) =>
  useQuery({
    queryKey: keys.contact(id ?? ''),
    queryFn: () => api.get<ContactDetail>(`/contacts/${id ?? ''}`),
    enabled: Boolean(id),
    retry: false,
  });

/** The contact's conversations in every inbox I may see, newest first. */
export const useContactConversations = (id: string | undefined) =>
  useList<Conversation>(keys.contactConversations(id ?? ''), `/contacts/${id ?? ''}/conversations`, Boolean(id));

export const useAuditEvents = () => usePagedList<AuditEvent>(keys.audit, '/audit-events');

export const usePresence = () =>
  useQuery({
    queryKey: keys.presence,
    queryFn: async () => (await api.get<Page<Presence>>('/presence')).data,
    staleTime: 5 * 60_000,
    retry: false,
  });

/** Tags in use on the conversations I may see, most used first: suggestions for the tag box. */
export const useTags = () =>
  useQuery({
    queryKey: keys.tags,
    queryFn: async () => (await api.get<{ data: Array<{ name: string; count: number }> }>('/tags')).data.map((t) => t.name),
    staleTime: 60_000,
    retry: false,
  });

/** How large a file may be and which types the server takes (for the file picker's `accept`). */
export const useAttachmentLimits = () =>
  useQuery({
    queryKey: keys.attachmentLimits,
    queryFn: () => api.get<AttachmentLimits>('/attachments/limits'),
    staleTime: Infinity,
    retry: false,
  });
