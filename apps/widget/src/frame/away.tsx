/** Outside business hours: when the team is back (in the visitor's language and time), and a form to leave an email. */
import { useState } from 'preact/hooks';
import { ApiError, type InboxInfo } from './api.js';
import type { Chat } from './chat.js';
import { fill, type Strings } from './i18n.js';

/** The team is away: the session said so and its next opening has not come yet. */
export function isAway(inbox: InboxInfo | null, now = Date.now()): boolean {
  const a = inbox?.availability;
  if (!a || a.open) return false;
  return !a.next_open_at || Date.parse(a.next_open_at) > now;
}

/** "Leave your email and we'll reply there": one field, saved on the visitor's own contact. */
export function EmailForm({ chat, t, left }: { chat: Chat; t: Strings; left: string | null | undefined }) {
  const [email, setEmail] = useState('');
  const [error, setError] = useState('');
  const [saving, setSaving] = useState(false);
  if (left) {
    return (
      <div class="rp-away" role="status">
        {fill(t.emailSaved, { email: left })}
      </div>
    );
  }
  const submit = async (e: Event) => {
    e.preventDefault();
    if (!email.trim() || saving) return;
    setSaving(true);
    setError('');
    try {
      await chat.leaveEmail(email.trim());
    } catch (err) {
      const status = err instanceof ApiError ? err.status : 0;
      setError(status === 422 ? t.emailInvalid : status === 429 ? t.tooFast : t.emailFailed);
    } finally {
      setSaving(false);
    }
  };
  return (
    <form class="rp-away" onSubmit={submit} noValidate>
      <p id="rp-email-prompt">{t.emailPrompt}</p>
      <div class="rp-away-row">
        <label class="rp-sr" for="rp-email">
          {t.email}
        </label>
        <input
          id="rp-email"
          type="email"
          autocomplete="email"
          maxLength={254}
          placeholder="name@example.com"
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? 'rp-email-prompt rp-email-error' : 'rp-email-prompt'}
          value={email}
          onInput={(e) => setEmail((e.target as HTMLInputElement).value)}
        />
        <button type="submit" disabled={saving || !email.trim()}>
          {t.emailSave}
        </button>
      </div>
      {error && (
        <p id="rp-email-error" class="rp-away-error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
