/**
 * One call to an OpenAI-compatible chat completions endpoint: POST {base}/chat/completions, as
 * specified at https://platform.openai.com/docs/api-reference/chat (self-hosted servers such as
 * vLLM, llama.cpp's server, Ollama and LocalAI speak the same). Plain fetch-like HTTP with the
 * rules every server-side request of a user-given URL follows (SECURITY 19): the address is
 * checked and pinned when connecting (features/channels/api/webhook-target.ts), private, loopback
 * and link-local targets are refused unless AI_ALLOW_PRIVATE_HOSTS names them, no redirect is
 * followed, the whole exchange has a time limit and the answer a size limit. An upstream error is
 * reported by status only: its body is never shown back (it may echo the key or internal detail).
 */
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { hostOf, isAllowedPrivate, pinnedLookup, resolveTarget, WebhookTargetRefused, type AllowList, type Resolver } from '../channels/api/webhook-target.js';

/** Limits of one call; tests lower the time limit instead of waiting. */
export const llmLimits = { timeoutMs: 20_000, maxResponseBytes: 256 * 1024, maxPromptChars: 24_000 };

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface LlmEndpoint {
  baseUrl: string;
  model: string;
  apiKey: string | null;
}

export interface ChatRequest extends LlmEndpoint {
  messages: ChatMessage[];
  maxTokens?: number;
  temperature?: number;
  allow: AllowList;
  resolve?: Resolver;
}

export type ChatResult = { ok: true; text: string } | { ok: false; reason: string; blocked?: boolean };

/** The chat completions URL of a base URL (`https://host/v1` → `https://host/v1/chat/completions`). */
export function completionsUrl(baseUrl: string): URL {
  const url = new URL(baseUrl);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/chat/completions`;
  url.search = '';
  url.hash = '';
  return url;
}

/** Why a base URL may not be used (null: it may), checked when it is saved and again at each call. */
export async function checkBaseUrl(raw: string, allow: AllowList, resolve?: Resolver): Promise<string | null> {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return 'must be a URL such as https://api.openai.com/v1';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must be an https:// URL';
  if (url.username || url.password) return 'must not contain a user name or password; give the API key in its own field';
  const host = hostOf(url);
  if (url.protocol === 'http:' && !isAllowedPrivate(host, allow)) return 'must be an https:// URL (plain http only for model servers named in AI_ALLOW_PRIVATE_HOSTS)';
  try {
    await resolveTarget(host, allow, resolve);
  } catch (err) {
    if (err instanceof WebhookTargetRefused) return `points at ${err.message}: only public internet addresses, or those named in AI_ALLOW_PRIVATE_HOSTS`;
    return `cannot be reached: ${(err as Error).message}`;
  }
  return null;
}

function failure(status: number): string {
  if (status === 401 || status === 403) return `The model server refused the API key (HTTP ${status}).`;
  if (status === 404) return 'The model server has no chat completions endpoint at this base URL, or does not know the model (HTTP 404).';
  if (status === 429) return 'The model server is rate limiting requests (HTTP 429).';
  if (status >= 300 && status < 400) return `The model server answered a redirect (HTTP ${status}), which Rapport does not follow; set the final base URL.`;
  return `The model server answered HTTP ${status}.`;
}

/** The assistant's text of a chat completion, or null when the answer is not one. */
export function textOfCompletion(body: unknown): string | null {
  const choices = (body as { choices?: Array<{ message?: { content?: unknown } }> } | null)?.choices;
  const content = Array.isArray(choices) ? choices[0]?.message?.content : undefined;
  return typeof content === 'string' ? content.trim() : null;
}

export async function chatCompletion(req: ChatRequest): Promise<ChatResult> {
  let url: URL;
  try {
    url = completionsUrl(req.baseUrl);
  } catch {
    return { ok: false, reason: 'The model server URL is not a URL.', blocked: true };
  }
  const host = hostOf(url);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { ok: false, reason: 'The model server URL must be https://.', blocked: true };
  if (url.protocol === 'http:' && !isAllowedPrivate(host, req.allow)) return { ok: false, reason: 'The model server URL is plain http://, which only servers named in AI_ALLOW_PRIVATE_HOSTS may use.', blocked: true };
  // An address written in the URL is never looked up, so it is checked here; a name is checked by the pinned lookup.
  if (isIP(host)) {
    try {
      await resolveTarget(host, req.allow);
    } catch (err) {
      if (err instanceof WebhookTargetRefused) return { ok: false, reason: `The model server URL points at ${err.message}, which Rapport does not connect to.`, blocked: true };
      throw err;
    }
  }
  let budget = llmLimits.maxPromptChars;
  const messages = req.messages.map((m) => {
    const content = m.content.slice(0, Math.max(0, budget));
    budget -= content.length;
    return { role: m.role, content };
  });
  const body = Buffer.from(JSON.stringify({ model: req.model, messages, max_tokens: req.maxTokens ?? 400, temperature: req.temperature ?? 0.2, stream: false }), 'utf8');
  const headers: Record<string, string> = { 'content-type': 'application/json', 'content-length': String(body.length), accept: 'application/json', 'user-agent': 'Rapport-AI/1' };
  if (req.apiKey) headers.authorization = `Bearer ${req.apiKey}`;
  const client = url.protocol === 'https:' ? https : http;

  return new Promise<ChatResult>((resolve) => {
    let settled = false;
    const finish = (result: ChatResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => finish({ ok: false, reason: `The model server did not answer within ${Math.round(llmLimits.timeoutMs / 100) / 10} seconds.` }), llmLimits.timeoutMs);
    // agent: false: a new connection each time, so no earlier DNS answer is reused.
    const request = client.request(url, { method: 'POST', headers, agent: false, lookup: pinnedLookup(req.allow, req.resolve) }, (res) => {
      const status = res.statusCode ?? 0;
      if (status < 200 || status >= 300) {
        // Only the status is reported; the body is drained unread.
        res.resume();
        return finish({ ok: false, reason: failure(status) });
      }
      const chunks: Buffer[] = [];
      let read = 0;
      res.on('data', (chunk: Buffer) => {
        read += chunk.length;
        if (read > llmLimits.maxResponseBytes) return finish({ ok: false, reason: `The model server's answer was larger than ${llmLimits.maxResponseBytes / 1024} KB.` });
        chunks.push(chunk);
      });
      res.on('end', () => {
        let parsed: unknown;
        try {
          parsed = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        } catch {
          return finish({ ok: false, reason: 'The model server did not answer with JSON.' });
        }
        const text = textOfCompletion(parsed);
        finish(text ? { ok: true, text } : { ok: false, reason: 'The model server answered without a message.' });
      });
      res.on('error', () => finish({ ok: false, reason: 'The connection to the model server broke off.' }));
    });
    request.on('error', (err: NodeJS.ErrnoException) => {
      if (err instanceof WebhookTargetRefused) return finish({ ok: false, reason: `The model server URL points at ${err.message}, which Rapport does not connect to.`, blocked: true });
      finish({ ok: false, reason: err.code === 'ECONNREFUSED' ? `Nothing answers at ${url.host}.` : `Could not reach the model server at ${url.host} (${err.code ?? 'network error'}).` });
    });
    request.end(body);
  });
}
