/**
 * AI assist: the workspace's OpenAI-compatible endpoint (admins), a connection test, and for
 * agents a reply draft and a summary of a conversation they may see. The API key is write-only.
 * A model that fails answers 502 `ai_unavailable` with what went wrong in Rapport's words — never
 * the upstream body.
 */
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../../core/context.js';
import { scoped } from '../../core/db/tenant.js';
import { AppError, notFound } from '../../core/errors.js';
import { member } from '../../core/http/auth.js';
import { IdParams, Obj, errors } from '../../core/http/schema.js';
import type { Api } from '../../core/http/types.js';
import { createLimiter } from '../../core/rate-limit.js';
import { allowListOf } from '../channels/api/webhook-target.js';
import { findConversation, messages } from '../conversations/conversations.queries.js';
import { aiEndpointOf, aiSettingsOf, complete } from './ai.store.js';
import { checkBaseUrl } from './llm-client.js';
import { draftPrompt, summaryPrompt, type TranscriptLine } from './prompts.js';

const tags = ['ai assist'];

const AiSettings = Type.Object({
  enabled: Type.Boolean(),
  base_url: Type.String({ description: 'OpenAI-compatible base URL, such as https://api.openai.com/v1 (POST {base_url}/chat/completions)' }),
  model: Type.String(),
  api_key_set: Type.Boolean({ description: 'Whether an API key is stored (it is never shown)' }),
});

const AiSettingsBody = Obj({
  enabled: Type.Optional(Type.Boolean()),
  base_url: Type.Optional(Type.String({ maxLength: 500 })),
  model: Type.Optional(Type.String({ maxLength: 200 })),
  api_key: Type.Optional(Type.String({ maxLength: 500, description: 'Write-only; an empty string removes the stored key' })),
});

const Assist = Type.Object({ text: Type.String() });

/** The last messages of a conversation as the model reads them: public ones and notes, no system lines. */
const TRANSCRIPT_MESSAGES = 40;

export function aiRoutes(app: Api, ctx: AppContext): void {
  const { db } = ctx;
  const perUser = createLimiter(`${ctx.config.redisPrefix}rl:ai-user`, 30, 60, ctx.redis);

  app.get('/api/v1/ai/settings', { config: { access: 'admin' }, schema: { tags, summary: "The workspace's AI assist endpoint", response: { 200: AiSettings, ...errors(401, 403) } } }, async (request) =>
    aiSettingsOf(db, member(request).accountId),
  );

  app.get(
    '/api/v1/ai/status',
    { config: { access: 'agent' }, schema: { tags, summary: 'Whether AI assist is on in this workspace (for the draft and summary buttons)', response: { 200: Type.Object({ enabled: Type.Boolean() }), ...errors(401, 403) } } },
    async (request) => ({ enabled: (await aiEndpointOf(db, ctx, member(request).accountId)) !== null }),
  );

  app.put(
    '/api/v1/ai/settings',
    { config: { access: 'admin' }, schema: { tags, summary: 'Set up AI assist: any OpenAI-compatible endpoint (fields left out keep their value)', body: AiSettingsBody, response: { 200: AiSettings, ...errors(400, 401, 403, 422) } } },
    async (request) => {
      const { accountId } = member(request);
      const b = request.body;
      const current = await scoped(db, accountId).selectFrom('ai_settings').select(['enabled', 'base_url', 'model', 'api_key_sealed']).executeTakeFirst();
      const next = {
        enabled: b.enabled ?? current?.enabled ?? false,
        base_url: b.base_url?.trim().replace(/\/+$/, '') ?? current?.base_url ?? '',
        model: b.model?.trim() ?? current?.model ?? '',
        api_key_sealed: b.api_key === undefined ? (current?.api_key_sealed ?? null) : b.api_key.trim() ? ctx.box.seal(b.api_key.trim()) : null,
      };
      const problems: Array<{ field: string; message: string }> = [];
      if (next.base_url) {
        const why = await checkBaseUrl(next.base_url, allowListOf(ctx.config.aiAllowPrivateHosts));
        if (why) problems.push({ field: 'base_url', message: why });
      }
      if (next.enabled && !next.base_url) problems.push({ field: 'base_url', message: 'is needed to switch AI assist on' });
      if (next.enabled && !next.model) problems.push({ field: 'model', message: 'is needed to switch AI assist on' });
      if (problems.length) throw new AppError('invalid_ai_settings', `The ${problems[0].field.replace('_', ' ')} ${problems[0].message}.`, problems);
      await scoped(db, accountId)
        .insertInto('ai_settings', { ...next, updated_at: new Date() })
        .onConflict((oc) => oc.column('account_id').doUpdateSet({ ...next, updated_at: new Date() }))
        .execute();
      return aiSettingsOf(db, accountId);
    },
  );

  app.post(
    '/api/v1/ai/settings/test',
    {
      config: { access: 'admin' },
      schema: { tags, summary: 'Send one short request to the configured model; answers whether it replied', response: { 200: Type.Object({ ok: Type.Boolean(), message: Type.String() }), ...errors(401, 403, 422, 429) } },
    },
    async (request) => {
      const { accountId, userId } = member(request);
      await perUser.hit(userId, 'Too many AI requests; wait a minute.');
      const endpoint = await aiEndpointOf(db, ctx, accountId);
      if (!endpoint) throw new AppError('ai_not_configured');
      const result = await complete(ctx, endpoint, [{ role: 'user', content: 'Reply with the single word: ready' }], 5);
      return result.ok ? { ok: true, message: 'The model answered.' } : { ok: false, message: result.reason };
    },
  );

  /** The conversation as the model reads it, if the caller may see it. */
  async function transcriptOf(request: Parameters<typeof member>[0], id: string): Promise<{ lines: TranscriptLine[]; agentName: string }> {
    const auth = member(request);
    const conversation = await findConversation(db, auth, id);
    if (!conversation) throw notFound('Conversation');
    const rows = await messages(db, auth.accountId).where('messages.conversation_id', '=', id).where('messages.kind', '=', 'text').orderBy('messages.seq', 'desc').limit(TRANSCRIPT_MESSAGES).execute();
    const lines = rows.reverse().map((m) => ({
      who: m.direction === 'incoming' ? 'Customer' : m.private ? `Note by ${m.user_name ?? 'the team'}` : m.user_name ? `Agent ${m.user_name}` : 'Bot',
      text: m.content.slice(0, 2000),
    }));
    const me = await scoped(db, auth.accountId).selectFrom('memberships').innerJoin('users as u', 'u.id', 'memberships.user_id').select('u.name').where('memberships.user_id', '=', auth.userId).executeTakeFirst();
    return { lines, agentName: me?.name ?? '' };
  }

  async function assist(request: Parameters<typeof member>[0], id: string, kind: 'draft' | 'summary') {
    const { accountId, userId } = member(request);
    const { lines, agentName } = await transcriptOf(request, id);
    await perUser.hit(userId, 'Too many AI requests; wait a minute.');
    const endpoint = await aiEndpointOf(db, ctx, accountId);
    if (!endpoint) throw new AppError('ai_not_configured');
    if (!lines.length) throw new AppError('invalid_state', 'This conversation has no messages yet.');
    const result = await complete(ctx, endpoint, kind === 'draft' ? draftPrompt(lines, agentName) : summaryPrompt(lines), kind === 'draft' ? 500 : 300);
    if (!result.ok) {
      request.log.warn({ reason: result.reason }, 'AI assist failed');
      throw new AppError('ai_unavailable', result.reason);
    }
    return { text: result.text.slice(0, 4000) };
  }

  app.post(
    '/api/v1/conversations/:id/ai/draft',
    { config: { access: 'agent' }, schema: { tags, summary: 'A draft of the next reply, written by the workspace’s model (nothing is sent)', params: IdParams, response: { 200: Assist, ...errors(401, 403, 404, 422, 429, 502) } } },
    async (request) => assist(request, request.params.id, 'draft'),
  );

  app.post(
    '/api/v1/conversations/:id/ai/summary',
    { config: { access: 'agent' }, schema: { tags, summary: 'A short summary of the conversation, written by the workspace’s model', params: IdParams, response: { 200: Assist, ...errors(401, 403, 404, 422, 429, 502) } } },
    async (request) => assist(request, request.params.id, 'summary'),
  );
}
