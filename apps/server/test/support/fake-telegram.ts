/**
 * A local stand-in for the Telegram Bot API (https://core.telegram.org/bots/api), which cannot be
 * reached from the tests. It speaks the documented wire format:
 * - every method at /bot<token>/<method>, answering `{ ok: true, result }` or
 *   `{ ok: false, error_code, description }` (401 Unauthorized for an unknown token, 403 for a
 *   user who blocked the bot, 429 with parameters.retry_after when flooded);
 * - getMe, setWebhook (url, secret_token: Telegram then sends X-Telegram-Bot-Api-Secret-Token with
 *   each update), sendMessage (JSON), sendPhoto / sendDocument (multipart/form-data upload),
 *   getFile (file_path) and file downloads at /file/bot<token>/<file_path>;
 * - updates as Telegram posts them to the webhook (`update`, `message`, `chat`, `from`, `photo`
 *   sizes smallest first), built by `update()` for the tests to deliver.
 */
import http from 'node:http';

export interface SentMessage {
  method: string;
  chat_id: string;
  text?: string;
  file?: { field: string; name: string; type: string; size: number };
  message_id: number;
}

export interface FakeTelegram {
  url: string;
  token: string;
  webhook: { url: string; secret_token: string } | null;
  sent: SentMessage[];
  /** Files the bot can fetch by file_id. */
  files: Map<string, { path: string; bytes: Buffer }>;
  /** Chats whose user has blocked the bot: sends to them are refused with 403. */
  blocked: Set<string>;
  /** The next n calls answer 500 (Telegram having a bad moment). */
  failNext(n: number): void;
  /** An update as Telegram posts it, for a private chat. */
  update(opts: { chatId: number; messageId: number; text?: string; caption?: string; firstName?: string; lastName?: string; photoFileId?: string; document?: { file_id: string; file_name: string; mime_type: string } }): Record<string, unknown>;
  close(): Promise<void>;
}

export async function startFakeTelegram(token = '123456789:AAEfakefakefakefakefakefakefakefake'): Promise<FakeTelegram> {
  let nextId = 1000;
  let nextUpdate = 5000;
  let failures = 0;
  const fake: Omit<FakeTelegram, 'url' | 'close'> = {
    token,
    webhook: null,
    sent: [],
    files: new Map(),
    blocked: new Set(),
    failNext: (n) => {
      failures = n;
    },
    update({ chatId, messageId, text, caption, firstName = 'Mia', lastName, photoFileId, document }) {
      const message: Record<string, unknown> = {
        message_id: messageId,
        from: { id: chatId, is_bot: false, first_name: firstName, ...(lastName ? { last_name: lastName } : {}), language_code: 'en' },
        chat: { id: chatId, first_name: firstName, type: 'private' },
        date: Math.floor(Date.now() / 1000),
      };
      if (text !== undefined) message.text = text;
      if (caption !== undefined) message.caption = caption;
      if (photoFileId)
        message.photo = [
          { file_id: `${photoFileId}-small`, file_unique_id: 's', width: 90, height: 90, file_size: 1000 },
          { file_id: photoFileId, file_unique_id: 'l', width: 800, height: 800, file_size: 50_000 },
        ];
      if (document) message.document = { ...document, file_unique_id: 'd' };
      return { update_id: nextUpdate++, message };
    },
  };

  const answer = (res: http.ServerResponse, status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  const refuse = (res: http.ServerResponse, code: number, description: string) => answer(res, code, { ok: false, error_code: code, description });

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => void handle(Buffer.concat(chunks)));
    const handle = async (raw: Buffer) => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const file = /^\/file\/bot([^/]+)\/(.+)$/.exec(url.pathname);
      if (file) {
        if (file[1] !== token) return refuse(res, 401, 'Unauthorized');
        const found = [...fake.files.values()].find((f) => f.path === file[2]);
        if (!found) return refuse(res, 404, 'Not Found');
        return res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': found.bytes.length }).end(found.bytes);
      }
      const call = /^\/bot([^/]+)\/(\w+)$/.exec(url.pathname);
      if (!call) return refuse(res, 404, 'Not Found');
      if (call[1] !== token) return refuse(res, 401, 'Unauthorized');
      if (failures > 0) {
        failures--;
        return refuse(res, 500, 'Internal Server Error');
      }
      const method = call[2];
      const type = req.headers['content-type'] ?? '';
      let params: Record<string, unknown> = Object.fromEntries(url.searchParams);
      let upload: SentMessage['file'];
      if (type.startsWith('application/json')) params = { ...params, ...(JSON.parse(raw.toString('utf8')) as Record<string, unknown>) };
      else if (type.startsWith('multipart/form-data')) {
        const form = await new Request('http://fake/', { method: 'POST', headers: { 'content-type': type }, body: new Uint8Array(raw) }).formData();
        for (const [k, v] of form.entries()) {
          if (typeof v === 'string') params[k] = v;
          else upload = { field: k, name: v.name, type: v.type, size: v.size };
        }
      }
      switch (method) {
        case 'getMe':
          return answer(res, 200, { ok: true, result: { id: 123456789, is_bot: true, first_name: 'Shop bot', username: 'shop_bot' } });
        case 'setWebhook':
          if (typeof params.url !== 'string' || !params.url.startsWith('http')) return refuse(res, 400, 'Bad Request: bad webhook: An HTTPS URL must be provided for webhook');
          fake.webhook = { url: params.url, secret_token: String(params.secret_token ?? '') };
          return answer(res, 200, { ok: true, result: true, description: 'Webhook was set' });
        case 'getFile': {
          const f = fake.files.get(String(params.file_id));
          if (!f) return refuse(res, 400, 'Bad Request: invalid file_id');
          return answer(res, 200, { ok: true, result: { file_id: params.file_id, file_unique_id: 'u', file_size: f.bytes.length, file_path: f.path } });
        }
        case 'sendMessage':
        case 'sendPhoto':
        case 'sendDocument': {
          const chat = String(params.chat_id ?? '');
          if (!chat) return refuse(res, 400, 'Bad Request: chat_id is empty');
          if (fake.blocked.has(chat)) return refuse(res, 403, 'Forbidden: bot was blocked by the user');
          if (method === 'sendMessage' && (typeof params.text !== 'string' || !params.text)) return refuse(res, 400, 'Bad Request: message text is empty');
          if (method === 'sendMessage' && (params.text as string).length > 4096) return refuse(res, 400, 'Bad Request: message is too long');
          const message_id = nextId++;
          fake.sent.push({ method, chat_id: chat, ...(typeof params.text === 'string' ? { text: params.text } : {}), ...(upload ? { file: upload } : {}), message_id });
          return answer(res, 200, { ok: true, result: { message_id, chat: { id: Number(chat), type: 'private' }, date: Math.floor(Date.now() / 1000), ...(params.text ? { text: params.text } : {}) } });
        }
        default:
          return refuse(res, 404, 'Not Found: method not found');
      }
    };
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return Object.assign(fake, {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }) as FakeTelegram;
}
