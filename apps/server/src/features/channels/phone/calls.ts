/**
 * What a voice provider reports about a call becomes one call entry in the caller's conversation:
 * the caller is the contact of their phone number (the same one SMS, WhatsApp and the API know),
 * in their open conversation in this inbox or a new one when the last was resolved. Every report
 * names the call by the provider's id, so a repeated or concurrent report changes nothing twice
 * (external_messages has one row per call); the recording of a voicemail is downloaded like any
 * customer file (checked address, size cap, type by content) and kept with the entry.
 */
import { sql } from 'kysely';
import type { AppContext } from '../../../core/context.js';
import { scoped } from '../../../core/db/tenant.js';
import { AppError } from '../../../core/errors.js';
import { storeUpload, type AttachmentSummary } from '../../attachments/attachments.js';
import { checkPhone } from '../api/api.contacts.js';
import { contactForAddress, conversationForAddress } from '../messaging/inbound.js';
import { downloadMedia, MediaRefused } from '../messaging/http.js';
import type { ProviderInbox } from '../messaging/provider.js';
import { advance, emptyCall, type CallDirection, type CallStatus, type StoredCall } from './call.js';
import { insertCallEntry, updateCallEntry } from './call-entries.js';

export interface CallReport {
  /** The provider's id of the call. */
  sid: string;
  direction: CallDirection;
  /** The customer's number as the provider gives it, and the inbox's number. */
  customer: string;
  ours: string;
  callerName?: string;
  status?: CallStatus;
  /** The call is over: one still ringing was missed (the caller hung up), one answered is completed. */
  ended?: boolean;
  durationSeconds?: number;
  recording?: { sid: string; url: string; headers: Record<string, string>; durationSeconds?: number };
  transcription?: string;
}

const MAX_TRANSCRIPT = 5000;
const isUnique = (err: unknown) => (err as { code?: string }).code === '23505';

/** A caller without a number (withheld, "anonymous") is one caller of this inbox, not a phone identity. */
function callerAddress(raw: string): { kind: 'phone' | 'handle'; address: string } {
  const checked = checkPhone(raw);
  return checked.ok ? { kind: 'phone', address: checked.phone } : { kind: 'handle', address: 'withheld-number' };
}

function applyReport(call: StoredCall, report: CallReport): StoredCall {
  const ended = report.ended ? (call.status === 'ringing' ? 'missed' : call.status === 'answered' ? 'completed' : undefined) : undefined;
  const reported = report.status ?? ended;
  const status = reported ? advance(call.status, reported) : call.status;
  const next: StoredCall = { ...call, status };
  // The talk time of an answered call, from the first report that has it (the dial's, before the
  // whole call's, which counts the ringing too); a voicemail's length is its recording's.
  if (report.durationSeconds !== undefined && (status === 'answered' || status === 'completed') && call.duration_seconds === null) next.duration_seconds = report.durationSeconds;
  if (report.recording) {
    if (report.recording.durationSeconds !== undefined) next.duration_seconds = report.recording.durationSeconds;
    next.recording_sid = report.recording.sid;
  }
  if (report.transcription !== undefined) next.transcription = report.transcription.trim().slice(0, MAX_TRANSCRIPT) || null;
  return next;
}

/** Downloads the recording and stores it as the caller's file; a failure is kept as the reason, never thrown. */
async function fetchRecording(ctx: AppContext, inbox: ProviderInbox, contactId: string, recording: NonNullable<CallReport['recording']>): Promise<AttachmentSummary | string> {
  try {
    const { bytes } = await downloadMedia(ctx, recording.url, recording.headers);
    return await storeUpload(ctx.db, { accountId: inbox.account_id, inboxId: inbox.id, conversationId: null, uploader: { type: 'contact', id: contactId }, fileName: `voicemail-${recording.sid}.mp3`, bytes, quotaBytes: ctx.config.storageQuotaBytes });
  } catch (err) {
    if (err instanceof MediaRefused || err instanceof AppError) return `The recording could not be kept: ${err.message}`;
    return `The recording could not be downloaded (${(err as Error).message}).`;
  }
}

/** The call's entry, if one exists already. */
async function entryOf(ctx: AppContext, inbox: ProviderInbox, sid: string) {
  return scoped(ctx.db, inbox.account_id).selectFrom('external_messages').select(['message_id', 'conversation_id']).where('inbox_id', '=', inbox.id).where('external_id', '=', sid).executeTakeFirst();
}

/** Records one report of a call: the entry is made on the first, changed in place by the others. */
export async function recordCallReport(ctx: AppContext, inbox: ProviderInbox, report: CallReport): Promise<void> {
  const ws = scoped(ctx.db, inbox.account_id);
  const sid = report.sid.slice(0, 250);
  const { kind, address } = callerAddress(report.customer);
  const contactId = await contactForAddress(ctx, inbox, kind, address, report.callerName ?? '');

  let entry = await entryOf(ctx, inbox, sid);
  if (!entry) {
    const call = applyReport(emptyCall({ sid, direction: report.direction, from: report.direction === 'inbound' ? address : report.ours, to: report.direction === 'inbound' ? report.ours : address }), { ...report, recording: undefined });
    try {
      await ctx.db.transaction().execute(async (trx) => {
        const tws = scoped(trx, inbox.account_id);
        const { id: conversationId } = await conversationForAddress(trx, inbox, address, contactId, `${call.direction === 'inbound' ? 'Call from' : 'Call to'} ${address === 'withheld-number' ? 'a withheld number' : address}`);
        const stored = await insertCallEntry(trx, inbox.account_id, { conversationId, author: { type: 'contact', id: contactId }, call });
        await tws.insertInto('external_messages', { inbox_id: inbox.id, external_id: sid, conversation_id: conversationId, message_id: stored.id, direction: 'incoming' }).execute();
      });
      ctx.outbox.kick();
      if (!report.recording) return;
    } catch (err) {
      // A twin of this report made the entry first: this one is applied to it below.
      if (!isUnique(err)) throw err;
    }
    entry = await entryOf(ctx, inbox, sid);
  }
  if (!entry?.message_id) return;
  const messageId = entry.message_id;

  let recording: AttachmentSummary | undefined;
  let recordingError: string | undefined;
  if (report.recording) {
    const has = await ws.selectFrom('messages').select(sql<string | null>`content_attributes->'call'->>'recording'`.as('recording')).where('id', '=', messageId).executeTakeFirst();
    if (!has?.recording) {
      const kept = await fetchRecording(ctx, inbox, contactId, report.recording);
      if (typeof kept === 'string') recordingError = kept;
      else recording = kept;
    }
  }
  const result = await ctx.db.transaction().execute((trx) =>
    updateCallEntry(trx, inbox.account_id, messageId, (call) => ({ ...applyReport(call, report), ...(recordingError && !call.recording ? { recording_error: recordingError } : {}) }), recording),
  );
  // A twin report kept its own copy of the recording first: this one is not needed.
  if (recording && !result.recordingKept) await ws.deleteFrom('attachments').where('id', '=', recording.id).where('message_id', 'is', null).execute();
  if (result.changed) ctx.outbox.kick();
}
