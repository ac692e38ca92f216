/**
 * A call as a conversation entry: one message of kind `call` whose `content_attributes.call`
 * says what happened (direction, outcome, duration, who took it, the voicemail's recording and
 * transcription), updated in place as the provider reports each step. Its content is a plain
 * sentence, so lists, search and notifications read it like any message.
 *
 * Outcomes only move forward: ringing → answered → completed, or ringing → missed → voicemail
 * (a late or repeated callback never turns a voicemail back into a missed call). A callback
 * request from the widget is an entry of its own kind: "requested".
 */
export type CallStatus = 'ringing' | 'answered' | 'completed' | 'missed' | 'voicemail' | 'no_answer' | 'requested';
export type CallDirection = 'inbound' | 'outbound';

export interface StoredCall {
  /** The provider's id of the call (Twilio's CallSid); null for calls logged by hand and callback requests. */
  sid: string | null;
  direction: CallDirection;
  status: CallStatus;
  duration_seconds: number | null;
  from: string | null;
  to: string | null;
  agent: { id: string; name: string } | null;
  /** The attachment id of the voicemail's recording. */
  recording: string | null;
  recording_sid: string | null;
  /** Why the recording could not be kept, when it could not. */
  recording_error: string | null;
  transcription: string | null;
  notes: string | null;
  /** When the call took place, when logged afterwards (else the entry's own time). */
  at: string | null;
  /** Logged by an agent rather than reported by the provider. */
  logged_by_hand: boolean;
  /** For a callback request: when the customer would like to be called ("asap", a time, or their words). */
  preferred_time: string | null;
  /** Set once the callback task was opened for this call, so it is opened once. */
  callback_opened: boolean;
}

export const emptyCall = (over: Partial<StoredCall>): StoredCall => ({
  sid: null,
  direction: 'inbound',
  status: 'ringing',
  duration_seconds: null,
  from: null,
  to: null,
  agent: null,
  recording: null,
  recording_sid: null,
  recording_error: null,
  transcription: null,
  notes: null,
  at: null,
  logged_by_hand: false,
  preferred_time: null,
  callback_opened: false,
  ...over,
});

export function callOf(attributes: Record<string, unknown>): StoredCall | null {
  const c = attributes.call as Partial<StoredCall> | undefined;
  if (!c || typeof c !== 'object') return null;
  return emptyCall(c);
}

/** The call as the API answers it (the bookkeeping fields stay inside). */
export function presentCall(attributes: Record<string, unknown>) {
  const c = callOf(attributes);
  if (!c) return null;
  return {
    sid: c.sid,
    direction: c.direction,
    status: c.status,
    duration_seconds: c.duration_seconds,
    from: c.from,
    to: c.to,
    agent: c.agent,
    recording: c.recording,
    recording_error: c.recording_error,
    transcription: c.transcription,
    notes: c.notes,
    at: c.at,
    logged_by_hand: c.logged_by_hand,
    preferred_time: c.preferred_time,
  };
}

const BRANCH: Record<CallStatus, { branch: 'answered' | 'missed' | 'none'; rank: number }> = {
  ringing: { branch: 'none', rank: 0 },
  answered: { branch: 'answered', rank: 1 },
  completed: { branch: 'answered', rank: 2 },
  missed: { branch: 'missed', rank: 1 },
  voicemail: { branch: 'missed', rank: 2 },
  no_answer: { branch: 'missed', rank: 1 },
  requested: { branch: 'none', rank: 0 },
};

/** The outcome after a report: forward only, and never from one branch into the other. */
export function advance(current: CallStatus, reported: CallStatus): CallStatus {
  const from = BRANCH[current];
  const to = BRANCH[reported];
  if (from.branch === 'none') return reported;
  return from.branch === to.branch && to.rank > from.rank ? reported : current;
}

/** A missed call or a voicemail from a customer asks for a callback. */
export const wantsCallback = (c: StoredCall): boolean => c.direction === 'inbound' && (c.status === 'missed' || c.status === 'voicemail');

/** 42 → "0:42", 3725 → "1:02:05". */
export function duration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${rest}` : `${m}:${rest}`;
}

/** The entry's text: what an agent would say about the call in one sentence. */
export function sentenceOf(c: StoredCall): string {
  const customer = (c.direction === 'inbound' ? c.from : c.to) ?? 'an unknown number';
  const length = c.duration_seconds !== null ? ` (${duration(c.duration_seconds)})` : '';
  const notes = c.notes ? `: ${c.notes}` : '';
  switch (c.status) {
    case 'requested':
      return `Callback requested to ${customer}${c.preferred_time ? `, ${c.preferred_time === 'asap' ? 'as soon as possible' : `preferred time: ${c.preferred_time}`}` : ''}${notes}`;
    case 'ringing':
      return c.direction === 'inbound' ? `Incoming call from ${customer}` : `Calling ${customer}`;
    case 'answered':
    case 'completed':
      return `${c.direction === 'inbound' ? `Call from ${customer}` : `Call to ${customer}`}${length}${notes}`;
    case 'missed':
      return c.direction === 'inbound' ? `Missed call from ${customer}${notes}` : `No answer from ${customer}${notes}`;
    case 'no_answer':
      return `No answer from ${customer}${notes}`;
    case 'voicemail':
      if (c.direction === 'outbound') return `Left a voicemail for ${customer}${length}${notes}`;
      return c.transcription ? `Voicemail${length}: ${c.transcription}` : `Voicemail${length} from ${customer}${notes}`;
  }
}
