/**
 * What a messaging provider adapter is (SMS and WhatsApp over Twilio, the WhatsApp Cloud API,
 * Messenger, Instagram, Telegram): the fields of its guided setup form, how it checks that a
 * webhook really comes from the provider (a signature over the raw body, a secret token), how it
 * reads the provider's webhook into customer messages and delivery receipts, and how it sends a
 * reply through the provider's API. Everything else (contacts, conversations, idempotency, media
 * downloads, the send queue, receipts, the realtime path) is shared: see inbound.ts and send.ts.
 */
import type { AppContext } from '../../../core/context.js';

export type MessagingChannel = 'sms' | 'whatsapp' | 'messenger' | 'instagram' | 'telegram';
export const MESSAGING_CHANNELS: readonly MessagingChannel[] = ['sms', 'whatsapp', 'messenger', 'instagram', 'telegram'];
export const isMessagingChannel = (channel: string): channel is MessagingChannel => (MESSAGING_CHANNELS as readonly string[]).includes(channel);

/** One field of a provider's setup form. */
export interface SettingField {
  name: string;
  label: string;
  /** Write-only: sealed with the inbox's other secrets, never answered (the answer says it is set). */
  secret?: boolean;
  optional?: boolean;
  /** Optional fields sharing this name are alternatives: at least one of them must be set (a sender number or a messaging service). */
  oneOf?: string;
  /** Made by Rapport when the inbox is created (a verify token to paste at the provider): shown, not typed. */
  generated?: boolean;
  /** A regular expression the value must match, and what to say when it does not. */
  pattern?: string;
  problem?: string;
  placeholder?: string;
  help: string;
}

/** An inbox of a messaging channel, with its settings and opened secrets. */
export interface ProviderInbox {
  id: string;
  account_id: string;
  name: string;
  channel: MessagingChannel;
  inbound_key: string;
  settings: Record<string, string>;
}

/** A webhook request as the provider sent it. */
export interface InboundRequest {
  method: 'GET' | 'POST';
  /** The URL the provider called, as configured there (PUBLIC_URL and the path): Twilio signs it. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  query: Record<string, string>;
  rawBody: Buffer;
}

/** A file the customer sent, to be downloaded (safely, within limits) and kept with the message. */
export interface MediaRef {
  /** A URL to fetch; or the provider's id of the file, which `mediaUrl` turns into one. */
  url?: string;
  id?: string;
  fileName?: string;
  contentType?: string;
}

export interface InboundMessage {
  /** The provider's id of the message: a second delivery of it is dropped. */
  externalId: string;
  /** The customer's address on the channel, where replies go (an E.164 number, a chat or page-scoped id). */
  from: string;
  /** The customer's name as the provider gives it, if it does. */
  name?: string;
  text: string;
  media: MediaRef[];
  /** A location, a contact card, a sticker: said in words when there is no text. */
  note?: string;
  /** Something the agents should know that the message means (an SMS unsubscribe): a system note after it. */
  systemNote?: string;
}

export type ReceiptStatus = 'sent' | 'delivered' | 'read' | 'failed';
export interface MessageReceipt {
  /** The provider's id of one of our replies. */
  externalId: string;
  status: ReceiptStatus;
  error?: string;
}
/** Every reply to this address sent up to a moment was delivered or read (Messenger's watermark). */
export interface WatermarkReceipt {
  upTo: Date;
  /** The customer's address in the inbox. */
  address: string;
  status: 'delivered' | 'read';
}
export type Receipt = MessageReceipt | WatermarkReceipt;

export interface ParsedWebhook {
  messages: InboundMessage[];
  receipts: Receipt[];
  /** What to answer the provider instead of an empty 200 (Twilio wants TwiML). */
  answer?: { type: string; body: string };
}

export interface OutgoingFile {
  /** A public URL the provider can fetch the file from (signed, expires with the link). */
  url: string;
  fileName: string;
  contentType: string;
  bytes: () => Promise<Buffer>;
}

export interface Outgoing {
  to: string;
  text: string;
  files: OutgoingFile[];
  /** A template message (WhatsApp outside the 24-hour window). */
  template?: { name: string; language: string; parameters: string[] };
}

/** A send the provider refused or that could not reach it. */
export class ProviderError extends Error {
  constructor(
    message: string,
    /** True when trying again will not help (a refusal); false when the provider was away. */
    public readonly permanent: boolean,
    /** True when the inbox's credentials were refused: the inbox is marked failing. */
    public readonly credentials = false,
  ) {
    super(message);
    this.name = 'ProviderError';
  }
}

export interface Provider {
  channel: MessagingChannel;
  /** For people: "SMS (Twilio)". */
  label: string;
  /** Where the provider documents its webhooks and send API (the fakes in the tests follow it too). */
  docs: string[];
  fields: SettingField[];
  /** A phone number is one identity across channels (SMS, WhatsApp, phone); a page-scoped or chat id belongs to this inbox. */
  addressKind: 'phone' | 'handle';
  /** Replies are free-form only within this many hours of the customer's last message (WhatsApp: 24). */
  replyWindowHours?: number;
  /** Replies later than this many hours into the window go tagged as a person's (Messenger's HUMAN_AGENT tag: after 24 of its 168 hours). */
  humanAgentTagAfterHours?: number;
  /** False when a closed window cannot be reopened by an approved template (Messenger); true or unset: it can (WhatsApp). */
  templates?: boolean;
  /** What the setup form says to do with the webhook URL. */
  webhookHelp: string;
  /** True when the request is the provider's, signed with this inbox's secret. Checked before anything is read or stored. */
  verify(inbox: ProviderInbox, req: InboundRequest): boolean;
  /** The answer to a subscription check (Meta's GET with hub.challenge), or undefined when it fails. */
  challenge?(inbox: ProviderInbox, req: InboundRequest): string | undefined;
  /** Reads a verified webhook; throws an Error with a message when the body is not what the provider sends. */
  parse(inbox: ProviderInbox, req: InboundRequest): ParsedWebhook;
  /** A downloadable URL (and the headers to fetch it with) for a media reference. */
  mediaUrl(ctx: AppContext, inbox: ProviderInbox, media: MediaRef): Promise<{ url: string; headers: Record<string, string> }>;
  /** Sends a reply; answers the provider's id of it. Throws ProviderError. */
  send(ctx: AppContext, inbox: ProviderInbox, out: Outgoing): Promise<{ externalId: string }>;
  /** Signs in with the settings and says what is wrong, in words; null when they work. */
  test(ctx: AppContext, settings: Record<string, string>): Promise<string | null>;
  /** Tells the provider where to post (Telegram's setWebhook), after the inbox is saved. */
  connect?(ctx: AppContext, inbox: ProviderInbox, webhookUrl: string): Promise<void>;
}

/** A header's single value (Node gives arrays for repeated ones). */
export const header = (req: InboundRequest, name: string): string | undefined => {
  const v = req.headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
};
