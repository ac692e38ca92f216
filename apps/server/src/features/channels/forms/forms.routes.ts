/**
 * Contact forms. Each email inbox may publish a form (`/forms/{key}`, a page that works without
 * JavaScript, and the same page framed on any site with `?embed=1`); a submission opens a
 * conversation in that inbox, answered by email, with a confirmation email if the inbox wants
 * one. Against robots and floods: a honeypot field, a signed time stamp (too fast is a robot),
 * limits per address and per sender IP (SECURITY 18), and a double submit is one conversation.
 */
import { randomBytes } from 'node:crypto';
import formbody from '@fastify/formbody';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyReply } from 'fastify';
import type { AppContext } from '../../../core/context.js';
import { scoped, unscoped } from '../../../core/db/tenant.js';
import { AppError, notFound } from '../../../core/errors.js';
import { member } from '../../../core/http/auth.js';
import { IdParams, errors } from '../../../core/http/schema.js';
import type { Api } from '../../../core/http/types.js';
import { insertMessage } from '../../conversations/commands/post-message.js';
import { queueDelivery } from '../deliveries.js';
import { checkAddress, headerText } from '../email/addresses.js';
import { contactFor } from '../email/ingest.js';
import { configOf, fieldsOf, FormConfigInput, type FormConfig } from './form-config.js';
import { renderClosed, renderForm, renderThanks } from './form-page.js';

const MIN_SECONDS = 2;
const MAX_AGE_S = 86_400;

const FormSettings = Type.Composite([FormConfigInput, Type.Object({ url: Type.Union([Type.String(), Type.Null()]), embed_snippet: Type.Union([Type.String(), Type.Null()]) })]);

interface FormInbox {
  id: string;
  account_id: string;
  email_address: string | null;
  form_key: string | null;
  form_config: Record<string, unknown>;
}

export function formsRoutes(app: Api, ctx: AppContext): void {
  const urlOf = (key: string) => `${ctx.config.publicUrl}/forms/${key}`;
  const present = (row: { form_key: string | null; form_config: Record<string, unknown> }) => ({
    ...configOf(row.form_config),
    url: row.form_key ? urlOf(row.form_key) : null,
    embed_snippet: row.form_key ? `<iframe src="${urlOf(row.form_key)}?embed=1" title="Contact form" style="width:100%;min-height:720px;border:0" loading="lazy"></iframe>` : null,
  });

  async function emailInbox(accountId: string, id: string) {
    const row = await scoped(ctx.db, accountId).selectFrom('inboxes').select(['id', 'channel', 'form_key', 'form_config']).where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound('Inbox');
    if (row.channel !== 'email') throw new AppError('invalid_state', 'Contact forms belong to email inboxes: their answers go out by email.');
    return row;
  }

  app.get('/api/v1/inboxes/:id/form', { config: { access: 'admin' }, schema: { tags: ['inboxes'], summary: "The email inbox's contact form: its fields, its page and the snippet to embed it", params: IdParams, response: { 200: FormSettings, ...errors(401, 403, 404, 422) } } }, async (request) =>
    present(await emailInbox(member(request).accountId, request.params.id)),
  );

  app.put(
    '/api/v1/inboxes/:id/form',
    { config: { access: 'admin' }, schema: { tags: ['inboxes'], summary: 'Set up or change the contact form of an email inbox (enabled publishes its page)', params: IdParams, body: FormConfigInput, response: { 200: FormSettings, ...errors(400, 401, 403, 404, 422) } } },
    async (request) => {
      const auth = member(request);
      const row = await emailInbox(auth.accountId, request.params.id);
      const keys = request.body.fields.map((f) => f.key);
      const clash = keys.find((k, i) => keys.indexOf(k) !== i || ['name', 'email', 'subject', 'message', 'website', 'stamp'].includes(k));
      if (clash) throw new AppError('validation_failed', `The field key "${clash}" is used twice or by a built-in field.`, [{ field: 'fields', message: `key ${clash} is taken` }]);
      const bad = request.body.fields.find((f) => f.type === 'select' && !f.options?.length);
      if (bad) throw new AppError('validation_failed', `The choice field "${bad.label}" needs options.`, [{ field: 'fields', message: `${bad.key} needs options` }]);
      const updated = await scoped(ctx.db, auth.accountId)
        .updateTable('inboxes')
        .set({ form_config: JSON.stringify(request.body), form_key: row.form_key ?? `fm_${randomBytes(12).toString('base64url')}` })
        .where('id', '=', row.id)
        .returning(['form_key', 'form_config'])
        .executeTakeFirstOrThrow();
      return present(updated);
    },
  );

  // The public pages: a key names its workspace, so the lookup spans workspaces by design.
  const byKey = (key: string): Promise<FormInbox | undefined> =>
    unscoped(ctx.db).selectFrom('inboxes').select(['id', 'account_id', 'email_address', 'form_key', 'form_config']).where('form_key', '=', key).where('channel', '=', 'email').executeTakeFirst();
  // When the page was shown, and a nonce: one page view is one submission (Send pressed twice),
  // while two people who open the form in the same second still send two.
  const stampNow = (key: string) => {
    const t = String(Math.floor(Date.now() / 1000));
    const nonce = randomBytes(9).toString('base64url');
    return `${t}.${nonce}.${ctx.box.sign('form', `${key}:${t}:${nonce}`)}`;
  };
  const html = (reply: FastifyReply, status: number, body: string) =>
    reply
      .code(status)
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      // Any site may show the form in a frame; it posts only to us.
      .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors *")
      .send(body);

  app.register(async (plain) => {
    // Form posts (application/x-www-form-urlencoded) are parsed for these routes only.
    await plain.register(formbody, { bodyLimit: 64 * 1024 });
    const scope = plain.withTypeProvider<TypeBoxTypeProvider>();
    const Key = Type.Object({ key: Type.String({ maxLength: 100 }) });
    const Embed = Type.Object({ embed: Type.Optional(Type.String({ maxLength: 5 })) });

    scope.get('/forms/:key', { config: { access: 'public' }, schema: { hide: true, params: Key, querystring: Embed } }, async (request, reply) => {
      const embed = request.query.embed === '1';
      const inbox = await byKey(request.params.key);
      const config = inbox && configOf(inbox.form_config);
      if (!inbox || !config?.enabled) return html(reply, 404, renderClosed(embed));
      return html(reply, 200, renderForm({ config, action: `/forms/${inbox.form_key}${embed ? '?embed=1' : ''}`, stamp: stampNow(inbox.form_key!), embed }));
    });

    scope.post('/forms/:key', { config: { access: 'public' }, schema: { hide: true, params: Key, querystring: Embed, body: Type.Record(Type.String(), Type.Unknown()) } }, async (request, reply) => {
      const embed = request.query.embed === '1';
      const inbox = await byKey(request.params.key);
      const config = inbox && configOf(inbox.form_config);
      if (!inbox || !config?.enabled) return html(reply, 404, renderClosed(embed));
      const values = Object.fromEntries(Object.entries(request.body).map(([k, v]) => [k, typeof v === 'string' ? v : ''])) as Record<string, string>;
      const again = (status: number, errors: Record<string, string>) =>
        html(reply, status, renderForm({ config, action: `/forms/${inbox.form_key}${embed ? '?embed=1' : ''}`, stamp: stampNow(inbox.form_key!), values, errors, embed }));

      // Robots: the field people never see is filled, or the form came back faster than anyone types.
      // They are told "thank you" and nothing is stored.
      const stamp = checkStamp(ctx, inbox.form_key!, values.stamp ?? '');
      if ((values.website ?? '').trim() !== '' || stamp === 'too-fast') return html(reply, 200, renderThanks(config, embed));
      if (stamp === 'invalid') return again(400, { form: 'The form had expired; check your message and send it again.' });

      const errors = validate(config, values);
      if (Object.keys(errors).length) return again(400, errors);
      try {
        await ctx.limiters.formsPerIp.hit(`${inbox.id}:${request.ip}`, 'Too many messages from here; please try again later.');
        await ctx.limiters.formsPerAddress.hit(`${inbox.id}:${values.email.trim().toLowerCase()}`, 'Too many messages from this address; please try again later.');
        await ctx.limiters.formsPerInbox.hit(inbox.id, 'This form is receiving too many messages right now; please try again in an hour or write to us by email.');
      } catch (err) {
        if (err instanceof AppError && err.code === 'rate_limited') return again(429, { form: err.message });
        throw err;
      }
      await submitForm(ctx, inbox, config, values, values.stamp!);
      return html(reply, 200, renderThanks(config, embed));
    });
  });
}

function checkStamp(ctx: AppContext, key: string, stamp: string): 'ok' | 'too-fast' | 'invalid' {
  const [t, nonce, sig] = stamp.split('.');
  if (!t || !nonce || !sig || !/^\d{1,12}$/.test(t) || !/^[\w-]{12}$/.test(nonce) || !ctx.box.verify('form', `${key}:${t}:${nonce}`, sig)) return 'invalid';
  const age = Date.now() / 1000 - Number(t);
  if (age < MIN_SECONDS) return 'too-fast';
  return age > MAX_AGE_S ? 'invalid' : 'ok';
}

function validate(config: FormConfig, values: Record<string, string>): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const field of fieldsOf(config)) {
    const value = (values[field.key] ?? '').trim();
    if (field.required && !value) errors[field.key] = `Fill in ${field.label.toLowerCase()}.`;
    else if (value.length > (field.type === 'textarea' ? 10_000 : 300)) errors[field.key] = `${field.label} is too long.`;
    else if (value && field.type === 'email' && !checkAddress(value).ok) errors[field.key] = 'Enter an email address such as name@example.com.';
    else if (value && field.type === 'select' && !(field.options ?? []).includes(value)) errors[field.key] = `Choose one of the options for ${field.label.toLowerCase()}.`;
  }
  return errors;
}

/** The submission as a conversation from the customer, and the confirmation email queued with it. */
async function submitForm(ctx: AppContext, inbox: FormInbox, config: FormConfig, values: Record<string, string>, stamp: string): Promise<void> {
  const address = (checkAddress(values.email) as { address: string }).address;
  const contactId = await contactFor(ctx, inbox.account_id, address, values.name ?? '');
  const extra = fieldsOf(config).filter((f) => !['name', 'email', 'subject', 'message'].includes(f.key) && values[f.key]?.trim());
  const content = [values.message.trim(), ...(extra.length ? ['', ...extra.map((f) => `${f.label}: ${values[f.key].trim()}`)] : [])].join('\n');
  const subject = headerText(values.subject, 200);
  // The address is the sender's word only: past the workspace's hourly cap, no confirmation goes to it.
  const confirm = config.confirmation && (await ctx.limiters.formConfirmationsPerWorkspace.hit(inbox.account_id).then(() => true, () => false));
  try {
    await ctx.db.transaction().execute(async (trx) => {
      const ws = scoped(trx, inbox.account_id);
      const conversation = await ws.insertInto('conversations', { inbox_id: inbox.id, contact_id: contactId, subject, participants: [address] }).returning('id').executeTakeFirstOrThrow();
      const message = await insertMessage(trx, inbox.account_id, {
        conversationId: conversation.id,
        content,
        author: { type: 'contact', id: contactId },
        contentAttributes: {
          form: Object.fromEntries(fieldsOf(config).map((f) => [f.label, (values[f.key] ?? '').trim()])),
          ...(config.confirmation && !confirm ? { confirmation_skipped: 'More confirmations than this workspace sends in an hour: none was sent for this message.' } : {}),
        },
      });
      // A second press of Send (the same signed stamp) is the same submission.
      await ws.insertInto('external_messages', { inbox_id: inbox.id, external_id: `form:${stamp}`, conversation_id: conversation.id, message_id: message.id, direction: 'incoming' }).execute();
      if (confirm) {
        const confirmation = await insertMessage(trx, inbox.account_id, {
          conversationId: conversation.id,
          content: `Thank you for your message. It has arrived and we will answer by email.\n\nYour message:\n${values.message.trim()}`,
          author: { type: 'system' },
          kind: 'text',
          status: 'pending',
        });
        await queueDelivery(ctx, trx, 'email', { accountId: inbox.account_id, messageId: confirmation.id });
      }
    });
  } catch (err) {
    if ((err as { code?: string }).code === '23505') return; // the first press won
    throw err;
  }
  ctx.outbox.kick();
  ctx.jobs.notify('email.send');
}

