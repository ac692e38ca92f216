/** "Request a callback": a phone number and when to call; the team sees it as a callback task. */
import { useRef, useState } from 'preact/hooks';
import { ApiError } from './api.js';
import { newId, type Chat } from './chat.js';
import { fill, type Strings } from './i18n.js';

type Phase = 'closed' | 'open' | 'sending' | 'done';

export function CallbackRequest({ chat, t }: { chat: Chat; t: Strings }) {
  const [phase, setPhase] = useState<Phase>('closed');
  const [phone, setPhone] = useState('');
  const [later, setLater] = useState(false);
  const [time, setTime] = useState('');
  const [error, setError] = useState<{ field: 'phone' | 'time' | 'form'; text: string } | null>(null);
  const [done, setDone] = useState('');
  // One id per request: sending again after a lost answer never asks twice.
  const requestId = useRef(newId());

  if (phase === 'done') {
    return (
      <div class="rp-away" role="status">
        {done}
      </div>
    );
  }
  if (phase === 'closed') {
    return (
      <div class="rp-callback-bar">
        <button type="button" class="rp-link" aria-expanded="false" onClick={() => setPhase('open')}>
          {t.callback}
        </button>
      </div>
    );
  }

  const submit = async (e: Event) => {
    e.preventDefault();
    if (phase === 'sending') return;
    if (!phone.trim()) return setError({ field: 'phone', text: t.callbackPhoneInvalid });
    if (later && !time.trim()) return setError({ field: 'time', text: t.callbackTimeMissing });
    setError(null);
    setPhase('sending');
    try {
      const answer = await chat.requestCallback({ phone: phone.trim(), preferred_time: later ? time.trim() : 'asap', client_request_id: requestId.current });
      setDone(fill(t.callbackDone, { phone: answer.phone, when: answer.preferred_time === 'asap' ? t.callbackDoneAsap : answer.preferred_time }));
      setPhase('done');
    } catch (err) {
      const status = err instanceof ApiError ? err.status : 0;
      const field = status === 400 && err instanceof ApiError && err.message.includes('phone') ? 'phone' : 'form';
      setError({ field, text: field === 'phone' ? t.callbackPhoneInvalid : status === 429 ? t.callbackTooMany : t.callbackFailed });
      setPhase('open');
    }
  };

  const describedBy = (field: 'phone' | 'time') => (error?.field === field ? 'rp-callback-error' : undefined);
  return (
    <form class="rp-away rp-callback" onSubmit={submit} noValidate aria-labelledby="rp-callback-title">
      <p id="rp-callback-title" class="rp-callback-title">
        {t.callback}
      </p>
      <label for="rp-callback-phone">{t.callbackPhone}</label>
      <input
        id="rp-callback-phone"
        type="tel"
        autocomplete="tel"
        inputMode="tel"
        maxLength={40}
        placeholder="+49 151 23456789"
        aria-invalid={error?.field === 'phone' ? true : undefined}
        aria-describedby={describedBy('phone')}
        value={phone}
        onInput={(e) => setPhone((e.target as HTMLInputElement).value)}
      />
      <fieldset>
        <legend>{t.callbackWhen}</legend>
        <label class="rp-choice">
          <input type="radio" name="rp-callback-when" checked={!later} onChange={() => setLater(false)} /> {t.callbackAsap}
        </label>
        <label class="rp-choice">
          <input type="radio" name="rp-callback-when" checked={later} onChange={() => setLater(true)} /> {t.callbackLater}
        </label>
      </fieldset>
      {later && (
        <>
          <label for="rp-callback-time">{t.callbackTime}</label>
          <input
            id="rp-callback-time"
            type="text"
            maxLength={100}
            placeholder={t.callbackTimeHint}
            aria-invalid={error?.field === 'time' ? true : undefined}
            aria-describedby={describedBy('time')}
            value={time}
            onInput={(e) => setTime((e.target as HTMLInputElement).value)}
          />
        </>
      )}
      {error && (
        <p id="rp-callback-error" class="rp-away-error" role="alert">
          {error.text}
        </p>
      )}
      <div class="rp-away-row rp-callback-actions">
        <button type="button" class="rp-secondary" onClick={() => (setPhase('closed'), setError(null))}>
          {t.callbackCancel}
        </button>
        <button type="submit" disabled={phase === 'sending'}>
          {t.callbackSend}
        </button>
      </div>
    </form>
  );
}
