/**
 * Carries out the actions of a rule or a macro on one conversation, inside the caller's
 * transaction, through the same commands an agent's clicks use: one change of the conversation
 * (assignee, team, tags, priority, status, snooze: its checks, system lines and event), then the
 * replies and notes in order (a reply on a channel that sends is stored pending with its send
 * queued, as an agent's is), then webhook deliveries. Answers what each action did.
 */
import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { AppContext } from '../../core/context.js';
import type { DB } from '../../core/db/schema.js';
import { scoped } from '../../core/db/tenant.js';
import { AppError, notFound } from '../../core/errors.js';
import type { JobName } from '../../core/jobs.js';
import { queueDelivery, queueOf, sendsReplies } from '../channels/deliveries.js';
import { checkTextReply } from '../channels/messaging/providers.js';
import { checkReplyWindow } from '../channels/messaging/window.js';
import { applyConversationChanges, type Actor, type ConversationChanges } from '../conversations/commands/update-conversation.js';
import { insertMessage, type Author } from '../conversations/commands/post-message.js';
import { presentConversation } from '../conversations/conversations.presenter.js';
import { findConversation } from '../conversations/conversations.queries.js';
import type { WebhookBody } from '../webhooks/dispatch.js';
import type { Action } from './automation.schema.js';
import type { ActionOutcome } from './automation.presenter.js';
import { renderTemplate, variablesOf } from './variables.js';

export interface ActionRun {
  ctx: AppContext;
  trx: Transaction<DB>;
  /** Whose changes these are: the agent applying a macro, or the rule (named in the thread's system lines). */
  actor: Actor;
  /** Who writes replies and notes: the agent, or nobody in particular (a rule). */
  author: { type: 'user'; id: string } | { type: 'system' };
  conversationId: string;
  /**
   * A rule skips a reply the channel cannot carry now (a phone line, a closed reply window) and
   * goes on; an agent applying a macro is told instead.
   */
  lenient: boolean;
  /** For a webhook's body. */
  rule?: { id: string; name: string };
}

export interface ActionsResult {
  outcomes: ActionOutcome[];
  /** Queues to wake once the transaction has committed. */
  queues: JobName[];
}

export async function runActions(run: ActionRun, actions: readonly Action[]): Promise<ActionsResult> {
  const { trx, actor, conversationId } = run;
  const accountId = actor.accountId;
  await scoped(trx, accountId).selectFrom('conversations').select('id').where('id', '=', conversationId).forUpdate().execute();
  const current = await findConversation(trx, actor, conversationId);
  if (!current) throw notFound('Conversation');

  const outcomes: ActionOutcome[] = actions.map((a) => ({ type: a.type, outcome: 'done', detail: '' }));
  const changes: ConversationChanges = {};
  let tags = [...current.tags];
  actions.forEach((a, i) => {
    const o = outcomes[i];
    const same = (detail: string) => Object.assign(o, { outcome: 'skipped', detail });
    switch (a.type) {
      case 'assign':
        if ((changes.assignee_id !== undefined ? changes.assignee_id : current.assignee_id) === a.user_id) return same(a.user_id ? 'already assigned to them' : 'already unassigned');
        changes.assignee_id = a.user_id;
        o.detail = a.user_id ? `assigned to ${a.user_id}` : 'unassigned';
        return;
      case 'assign_team':
        if ((changes.team_id !== undefined ? changes.team_id : current.team_id) === a.team_id) return same(a.team_id ? 'already in that team' : 'already without a team');
        changes.team_id = a.team_id;
        o.detail = a.team_id ? `moved to team ${a.team_id}` : 'team removed';
        return;
      case 'add_tags': {
        const added = a.tags.map((t) => t.toLowerCase()).filter((t) => !tags.includes(t));
        if (!added.length) return same('already tagged');
        tags = [...tags, ...added];
        changes.tags = tags;
        o.detail = `added ${added.join(', ')}`;
        return;
      }
      case 'remove_tags': {
        const gone = a.tags.map((t) => t.toLowerCase()).filter((t) => tags.includes(t));
        if (!gone.length) return same('none of those tags were on it');
        tags = tags.filter((t) => !gone.includes(t));
        changes.tags = tags;
        o.detail = `removed ${gone.join(', ')}`;
        return;
      }
      case 'set_priority':
        if ((changes.priority ?? current.priority) === a.priority) return same(`already ${a.priority}`);
        changes.priority = a.priority;
        o.detail = `priority ${a.priority}`;
        return;
      case 'set_status':
        if ((changes.status ?? current.status) === a.status) return same(`already ${a.status}`);
        changes.status = a.status;
        delete changes.snoozed_until;
        o.detail = `status ${a.status}`;
        return;
      case 'snooze': {
        const until = new Date(Date.now() + a.minutes * 60_000).toISOString();
        changes.status = 'snoozed';
        changes.snoozed_until = until;
        o.detail = `snoozed until ${until}`;
        return;
      }
      default:
        return;
    }
  });
  if (Object.keys(changes).length) await applyConversationChanges(trx, actor, conversationId, changes);

  const queues = new Set<JobName>();
  const after = Object.keys(changes).length ? await findConversation(trx, actor, conversationId) : current;
  if (!after) throw notFound('Conversation');
  const values = variablesOf({
    conversationId,
    contactName: after.contact_name,
    contactEmail: after.contact_email,
    agentName: run.author.type === 'user' ? actor.name : after.assignee_name,
  });
  // Names, now that they are known, for the run log.
  actions.forEach((a, i) => {
    if (outcomes[i].outcome !== 'done') return;
    if (a.type === 'assign' && a.user_id) outcomes[i].detail = `assigned to ${after.assignee_name ?? a.user_id}`;
    if (a.type === 'assign_team' && a.team_id) outcomes[i].detail = `moved to the ${after.team_name ?? a.team_id} team`;
  });
  const author: Author = run.author.type === 'user' ? { type: 'user', id: run.author.id } : { type: 'system' };

  for (const [i, a] of actions.entries()) {
    const o = outcomes[i];
    if (a.type === 'reply') {
      try {
        checkTextReply(after.channel);
        checkReplyWindow(after.channel, after.last_incoming_at, false);
      } catch (err) {
        if (!run.lenient || !(err instanceof AppError)) throw err;
        Object.assign(o, { outcome: 'skipped', detail: err.message });
        continue;
      }
      const outbound = sendsReplies(after.channel);
      const message = await insertMessage(trx, accountId, { conversationId, content: renderTemplate(a.body, values), author, kind: 'text', ...(outbound ? { status: 'pending' as const } : {}) });
      if (outbound) {
        await queueDelivery(run.ctx, trx, after.channel, { accountId, messageId: message.id });
        queues.add(queueOf(after.channel)!);
      }
      o.detail = `replied (message ${message.id})`;
    } else if (a.type === 'note') {
      const message = await insertMessage(trx, accountId, { conversationId, content: renderTemplate(a.body, values), author, kind: 'text', private: true });
      o.detail = `note added (message ${message.id})`;
    } else if (a.type === 'webhook') {
      const hook = await scoped(trx, accountId).selectFrom('webhooks').select(['id', 'enabled']).where('id', '=', a.webhook_id).executeTakeFirst();
      if (!hook) throw new AppError('invalid_reference', 'The webhook this rule sends to no longer exists.', [{ field: 'webhook_id', message: 'not found' }]);
      if (!hook.enabled) {
        Object.assign(o, { outcome: 'skipped', detail: 'the webhook is switched off' });
        continue;
      }
      const id = randomUUID();
      const body: WebhookBody = { id, event: 'automation.rule' as WebhookBody['event'], created_at: new Date().toISOString(), data: { rule: run.rule ?? null, conversation: presentConversation(after) } };
      await scoped(trx, accountId).insertInto('webhook_deliveries', { id, webhook_id: hook.id, event: 'automation.rule', event_id: null, body: JSON.stringify(body) }).execute();
      await run.ctx.jobs.send('webhook.deliver', { accountId, deliveryId: id }, { id, trx });
      queues.add('webhook.deliver');
      o.detail = `delivery ${id} queued`;
    }
  }
  return { outcomes, queues: [...queues] };
}
