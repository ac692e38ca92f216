/**
 * The messaging channels over HTTP: the providers' setup forms (for the app's guided settings), a
 * connection test before saving, and the webhooks the providers post to. A webhook is read only
 * after its signature (or secret token) checks out against the raw body: a bad one is answered 401
 * and nothing is stored or fetched (SECURITY 21). Providers deliver at least once, so every
 * message is stored once per provider id, and a retry after an error on our side is welcome.
 */
import type { FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../../../core/context.js';
import { AppError } from '../../../core/errors.js';
import { member } from '../../../core/http/auth.js';
import { Nullable, Obj, Uuid, errors } from '../../../core/http/schema.js';
import type { Api } from '../../../core/http/types.js';
import { loadProviderInbox, ProviderSettingsInput, settingsToTest } from './inbox.js';
import { receiveMessage, receiveReceipt } from './inbound.js';
import { PROVIDERS, providerOf } from './providers.js';
import { isMessagingChannel, MESSAGING_CHANNELS, type InboundRequest } from './provider.js';

const ChannelName = Type.Union(MESSAGING_CHANNELS.map((c) => Type.Literal(c)));

const Field = Type.Object({
  name: Type.String(),
  label: Type.String(),
  secret: Type.Boolean(),
  optional: Type.Boolean(),
  generated: Type.Boolean(),
  pattern: Nullable(Type.String()),
  problem: Nullable(Type.String()),
  placeholder: Nullable(Type.String()),
  one_of: Nullable(Type.String({ description: 'Fields with the same value are alternatives: at least one of them is required' })),
  help: Type.String(),
});

const ChannelInfo = Type.Object({
  channel: Type.String(),
  label: Type.String(),
  fields: Type.Array(Field),
  address_kind: Type.String({ description: 'phone: the customer is their phone number on every channel; handle: an id of this inbox' }),
  reply_window_hours: Nullable(Type.Integer()),
  templates: Type.Boolean({ description: 'Whether a closed reply window can be reopened with an approved template (WhatsApp)' }),
  webhook_help: Type.String(),
  docs: Type.Array(Type.String()),
});

/** Webhooks larger than this are not a provider's. */
const WEBHOOK_BODY_LIMIT = 1024 * 1024;

export function messagingRoutes(app: Api, ctx: AppContext): void {
  app.get('/api/v1/channels', { config: { access: 'agent' }, schema: { tags: ['inboxes'], summary: 'The messaging channels Rapport can connect, with the fields of their setup forms', response: { 200: Type.Object({ data: Type.Array(ChannelInfo) }), ...errors(401, 403) } } }, async () => ({
    data: Object.values(PROVIDERS).map((p) => ({
      channel: p.channel,
      label: p.label,
      fields: p.fields.map((f) => ({ name: f.name, label: f.label, secret: !!f.secret, optional: !!f.optional, generated: !!f.generated, pattern: f.pattern ?? null, problem: f.problem ?? null, placeholder: f.placeholder ?? null, one_of: f.oneOf ?? null, help: f.help })),
      address_kind: p.addressKind,
      reply_window_hours: p.replyWindowHours ?? null,
      templates: !!p.replyWindowHours && p.templates !== false,
      webhook_help: p.webhookHelp,
      docs: p.docs,
    })),
  }));

  app.post(
    '/api/v1/inboxes/channel-test',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['inboxes'],
        summary: "Try a messaging provider's settings before saving them (signs in to its API). A secret left out is taken from the inbox named by inbox_id",
        body: Obj({ channel: ChannelName, settings: ProviderSettingsInput, inbox_id: Type.Optional(Uuid) }),
        response: { 200: Type.Object({ ok: Type.Boolean(), error: Nullable(Type.String()) }), ...errors(400, 401, 403, 404, 429) },
      },
    },
    async (request) => {
      const auth = member(request);
      await ctx.limiters.connectionTestsPerUser.hit(auth.userId, 'You are testing connections too fast; wait a moment.');
      const provider = providerOf(request.body.channel);
      const settings = await settingsToTest(ctx, auth.accountId, request.body.channel, request.body.settings, request.body.inbox_id);
      const error = await provider.test(ctx, settings);
      return { ok: error === null, error };
    },
  );

  app.register(async (raw) => {
    // Signatures are over the bytes as sent: the body is kept raw, whatever its type, and parsed by the adapter.
    raw.removeAllContentTypeParsers();
    raw.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: WEBHOOK_BODY_LIMIT }, (_request, body, done) => done(null, body));
    const scope = raw.withTypeProvider<TypeBoxTypeProvider>();
    const Params = Type.Object({ channel: Type.String({ maxLength: 20 }), key: Type.String({ maxLength: 100 }) });

    const inboundOf = (request: FastifyRequest): InboundRequest => ({
      method: request.method === 'GET' ? 'GET' : 'POST',
      url: `${ctx.config.publicUrl}${request.url}`,
      headers: request.headers,
      query: Object.fromEntries(Object.entries((request.query ?? {}) as Record<string, unknown>).map(([k, v]) => [k, String(v)])),
      rawBody: Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0),
    });

    const inboxFor = async (params: { channel: string; key: string }) => {
      const inbox = isMessagingChannel(params.channel) && PROVIDERS[params.channel] ? await loadProviderInbox(ctx, { channel: params.channel, inboundKey: params.key }) : undefined;
      if (!inbox) throw new AppError('not_found', 'No inbox has this webhook address; copy it again from the inbox settings.');
      return inbox;
    };

    // Meta checks a webhook address with a GET before it posts to it (hub.challenge).
    scope.get('/webhooks/:channel/:key', { config: { access: 'public' }, schema: { hide: true, params: Params } }, async (request, reply) => {
      const inbox = await inboxFor(request.params);
      const answer = providerOf(inbox.channel).challenge?.(inbox, inboundOf(request));
      if (answer === undefined) throw new AppError('invalid_signature', 'The verify token does not match this inbox; paste the one shown in its settings.');
      return reply.type('text/plain').send(answer);
    });

    scope.post('/webhooks/:channel/:key', { config: { access: 'public' }, schema: { hide: true, params: Params } }, async (request, reply) => {
      const inbox = await inboxFor(request.params);
      const provider = providerOf(inbox.channel);
      const req = inboundOf(request);
      if (!provider.verify(inbox, req)) {
        request.log.warn({ inbox: inbox.id, channel: inbox.channel }, 'webhook refused: bad signature');
        throw new AppError('invalid_signature');
      }
      if (provider.handle) {
        const answer = await provider.handle(ctx, inbox, req);
        return reply.type(answer.type).send(answer.body);
      }
      let parsed;
      try {
        parsed = provider.parse(inbox, req);
      } catch (err) {
        throw new AppError('validation_failed', `This is not a ${provider.label} webhook: ${(err as Error).message}`);
      }
      for (const message of parsed.messages) await receiveMessage(ctx, provider, inbox, message);
      for (const receipt of parsed.receipts) await receiveReceipt(ctx, inbox, receipt);
      if (parsed.answer) return reply.type(parsed.answer.type).send(parsed.answer.body);
      return reply.send({ ok: true });
    });
  });
}
