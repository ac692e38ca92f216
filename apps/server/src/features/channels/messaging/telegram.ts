/**
 * Telegram, through a bot (Telegram Bot API, https://core.telegram.org/bots/api):
 * - Rapport registers its webhook itself (setWebhook, with a secret_token it generated); Telegram
 *   then sends that token in X-Telegram-Bot-Api-Secret-Token with every update, which is how an
 *   update is known to be Telegram's ("Setting a webhook", secret_token).
 * - An update's `message` from a private chat is a customer message; its id is unique per chat,
 *   so the chat id and message id make the idempotency key. Groups and channels are ignored.
 * - Files are fetched with getFile and then /file/bot<token>/<file_path>.
 * - Replies go by sendMessage (text, 4096 characters a message) and sendDocument / sendPhoto
 *   (the file uploaded as multipart). Bots get no delivery or read receipts: a reply is "sent".
 */
import { timingSafeEqual } from 'node:crypto';
import type { AppContext } from '../../../core/context.js';
import { callProvider, type ProviderAnswer } from './http.js';
import { header, ProviderError, type InboundMessage, type MediaRef, type Provider, type ProviderInbox } from './provider.js';

const TEXT_MAX = 4096;

interface TelegramFile {
  file_id: string;
  file_name?: string;
  mime_type?: string;
  file_size?: number;
}

interface TelegramMessage {
  message_id: number;
  from?: { id: number; is_bot?: boolean; first_name?: string; last_name?: string; username?: string };
  chat: { id: number; type: string };
  text?: string;
  caption?: string;
  photo?: TelegramFile[];
  document?: TelegramFile;
  voice?: TelegramFile;
  audio?: TelegramFile;
  video?: TelegramFile;
  sticker?: { emoji?: string };
  location?: { latitude: number; longitude: number };
  contact?: { phone_number: string; first_name?: string };
}

const api = (ctx: AppContext, token: string, method: string) => `${ctx.config.telegramApiUrl}/bot${token}/${method}`;

const sameSecret = (a: string | undefined, b: string | undefined) => {
  if (!a || !b) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/** Telegram's answer to a call: `{ ok, result }` or `{ ok: false, error_code, description }`. */
function resultOf<T>(answer: ProviderAnswer, what: string): T {
  const body = answer.json as { ok?: boolean; result?: T; error_code?: number; description?: string; parameters?: { retry_after?: number } } | null;
  if (body?.ok) return body.result as T;
  const code = body?.error_code ?? answer.status;
  const said = body?.description ?? `HTTP ${answer.status}`;
  if (code === 401 || code === 404) throw new ProviderError(`Telegram refused the bot token (${said}); paste the token @BotFather gave you again.`, true, true);
  if (code === 429 || code >= 500) throw new ProviderError(`Telegram is busy (${said}); trying again shortly.`, false);
  throw new ProviderError(`Telegram refused ${what}: ${said}.`, true);
}

function mediaOf(m: TelegramMessage): MediaRef[] {
  const out: MediaRef[] = [];
  // Telegram sends one photo in several sizes, smallest first: the largest is the photo.
  if (m.photo?.length) out.push({ id: m.photo[m.photo.length - 1].file_id, fileName: 'photo.jpg' });
  for (const f of [m.document, m.voice, m.audio, m.video]) if (f) out.push({ id: f.file_id, fileName: f.file_name, contentType: f.mime_type });
  return out;
}

function noteOf(m: TelegramMessage): string | undefined {
  if (m.location) return `Shared a location: ${m.location.latitude}, ${m.location.longitude}`;
  if (m.contact) return `Shared a contact: ${m.contact.first_name ?? ''} ${m.contact.phone_number}`.replace(/\s+/g, ' ');
  if (m.sticker) return `Sent a sticker ${m.sticker.emoji ?? ''}`.trim();
  return undefined;
}

/** Splits a long reply at line breaks or spaces into messages Telegram takes. */
export function splitText(text: string, max = TEXT_MAX): string[] {
  const parts: string[] = [];
  let rest = text;
  while (rest.length > max) {
    const window = rest.slice(0, max);
    const cut = Math.max(window.lastIndexOf('\n'), window.lastIndexOf(' '));
    const at = cut > max / 2 ? cut : max;
    parts.push(rest.slice(0, at).trimEnd());
    rest = rest.slice(at).trimStart();
  }
  if (rest || !parts.length) parts.push(rest);
  return parts;
}

export const telegram: Provider = {
  channel: 'telegram',
  label: 'Telegram',
  docs: ['https://core.telegram.org/bots/api#setwebhook', 'https://core.telegram.org/bots/api#update', 'https://core.telegram.org/bots/api#sendmessage', 'https://core.telegram.org/bots/api#getfile'],
  addressKind: 'handle',
  webhookHelp: 'Nothing to paste: Rapport registers this webhook with Telegram itself when the inbox is saved.',
  fields: [
    { name: 'bot_token', label: 'Bot token', secret: true, pattern: '^\\d{5,}:[A-Za-z0-9_-]{30,}$', problem: 'must be the token @BotFather gave you, such as 123456789:AAE…', placeholder: '123456789:AAE…', help: 'Create a bot with @BotFather in Telegram and paste the token it answers.' },
    { name: 'webhook_secret', label: 'Webhook secret', secret: true, generated: true, help: 'Made by Rapport; Telegram sends it with every update.' },
  ],

  verify(inbox, req) {
    return sameSecret(header(req, 'x-telegram-bot-api-secret-token'), inbox.settings.webhook_secret);
  },

  parse(_inbox, req) {
    const update = JSON.parse(req.rawBody.toString('utf8')) as { update_id?: number; message?: TelegramMessage };
    if (typeof update !== 'object' || update === null || typeof update.update_id !== 'number') throw new Error('The body is not a Telegram update (no update_id).');
    const m = update.message;
    const messages: InboundMessage[] = [];
    // Edits, channel posts, a bot's own messages, groups: not a customer writing to the bot.
    if (m && m.chat?.type === 'private' && !m.from?.is_bot) {
      const name = [m.from?.first_name, m.from?.last_name].filter(Boolean).join(' ') || (m.from?.username ? `@${m.from.username}` : '');
      messages.push({ externalId: `${m.chat.id}:${m.message_id}`, from: String(m.chat.id), name, text: m.text ?? m.caption ?? '', media: mediaOf(m), note: noteOf(m) });
    }
    return { messages, receipts: [] };
  },

  async mediaUrl(ctx, inbox, media) {
    const token = inbox.settings.bot_token;
    const file = resultOf<{ file_path?: string }>(await callProvider(`${api(ctx, token, 'getFile')}?file_id=${encodeURIComponent(media.id ?? '')}`, { what: 'Telegram' }), 'the file');
    if (!file.file_path) throw new ProviderError('Telegram has no file for it (too large for bots, over 20 MB).', true);
    return { url: `${ctx.config.telegramApiUrl}/file/bot${token}/${file.file_path}`, headers: {} };
  },

  async send(ctx, inbox, out) {
    const token = inbox.settings.bot_token;
    let last: string | undefined;
    for (const part of out.text.trim() ? splitText(out.text) : []) {
      const sent = resultOf<{ message_id: number }>(
        await callProvider(api(ctx, token, 'sendMessage'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ chat_id: out.to, text: part }), what: 'Telegram' }),
        'the reply',
      );
      last = `${out.to}:${sent.message_id}`;
    }
    for (const file of out.files) {
      const form = new FormData();
      form.set('chat_id', out.to);
      const photo = file.contentType.startsWith('image/') && file.contentType !== 'image/gif';
      form.set(photo ? 'photo' : 'document', new Blob([new Uint8Array(await file.bytes())], { type: file.contentType }), file.fileName);
      const sent = resultOf<{ message_id: number }>(await callProvider(api(ctx, token, photo ? 'sendPhoto' : 'sendDocument'), { method: 'POST', body: form, what: 'Telegram' }), `the file ${file.fileName}`);
      last = `${out.to}:${sent.message_id}`;
    }
    if (!last) throw new ProviderError('The reply is empty.', true);
    return { externalId: last };
  },

  async test(ctx, settings) {
    if (!settings.bot_token) return 'Give the bot token to try.';
    try {
      const me = resultOf<{ username?: string; is_bot?: boolean }>(await callProvider(api(ctx, settings.bot_token, 'getMe'), { what: 'Telegram' }), 'the token');
      return me.is_bot === false ? 'This token is not a bot’s.' : null;
    } catch (err) {
      return (err as Error).message;
    }
  },

  async connect(ctx, inbox: ProviderInbox, webhookUrl) {
    resultOf<boolean>(
      await callProvider(api(ctx, inbox.settings.bot_token, 'setWebhook'), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ url: webhookUrl, secret_token: inbox.settings.webhook_secret, allowed_updates: ['message'] }),
        what: 'Telegram',
      }),
      'the webhook',
    );
  },
};
