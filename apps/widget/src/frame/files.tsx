/** Files in the chat: attachments on messages, and the visitor's uploads on their way. File names are always text. */
import { fileUrl, type Attachment } from './api.js';
import type { Chat, Upload } from './chat.js';
import type { Strings } from './i18n.js';

const IMAGE_BOX = 240;

/** 1.2 MB, 340 KB, 12 bytes: in the visitor's language. */
export function formatSize(bytes: number, locale: string): string {
  const units = ['B', 'KB', 'MB', 'GB'];
  let n = bytes;
  let u = 0;
  while (n >= 1000 && u < units.length - 1) {
    n /= 1000;
    u++;
  }
  return `${n.toLocaleString(locale, { maximumFractionDigits: u && n < 10 ? 1 : 0 })} ${units[u]}`;
}

const fileIcon = (
  <svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true" focusable="false">
    <path fill="none" stroke="currentColor" stroke-width="1.8" stroke-linejoin="round" d="M14 3H7a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h10a2 2 0 0 0 2-2V8zM14 3v5h5" />
  </svg>
);

function Picture({ a }: { a: Attachment }) {
  const src = fileUrl(a);
  if (!src) return null;
  // Sized before it loads (no jump in the list), within a 240 px box, never stretched.
  const scale = a.width && a.height ? Math.min(1, IMAGE_BOX / a.width, IMAGE_BOX / a.height) : 0;
  const style = scale ? { width: `${Math.round(a.width! * scale)}px`, height: `${Math.round(a.height! * scale)}px` } : undefined;
  return (
    <a class="rp-picture" href={src} target="_blank" rel="noopener noreferrer">
      <img src={src} alt={a.file_name} style={style} loading="lazy" />
    </a>
  );
}

function FileLink({ a, locale }: { a: Attachment; locale: string }) {
  const href = fileUrl(a, true);
  if (!href) return null;
  return (
    <a class="rp-file" href={href} download={a.file_name} rel="noopener noreferrer">
      {fileIcon}
      <span class="rp-file-text">
        <span class="rp-file-name">{a.file_name}</span>
        <span class="rp-file-size">{formatSize(a.byte_size, locale)}</span>
      </span>
    </a>
  );
}

/** A message's files; `label` (who sent them) for screen readers when the message has no text saying so. */
export function Attachments({ list, locale, label }: { list: Attachment[]; locale: string; label?: string }) {
  return (
    <div class="rp-files">
      {label && <span class="rp-sr">{`${label}: `}</span>}
      {list.map((a) => (a.inline ? <Picture key={a.id} a={a} /> : <FileLink key={a.id} a={a} locale={locale} />))}
    </div>
  );
}

/** An upload in the visitor's column: its progress, or why it stopped and what can be done. */
export function UploadRow({ u, t, chat, locale, maxBytes }: { u: Upload; t: Strings; chat: Chat; locale: string; maxBytes: number | null }) {
  const tooLarge = t.tooLarge.replace('{size}', formatSize(maxBytes ?? 0, locale));
  // The server writes English; the refusals a visitor meets most are said in their language too.
  const translated = locale === 'en' ? null : u.code === 'file_type_not_allowed' ? t.typeRefused : u.code === 'file_too_large' ? tooLarge : u.code === 'rate_limited' ? t.tooFast : null;
  const reason = translated ?? u.message ?? (u.problem === 'offline' ? t.uploadOffline : u.problem === 'tooLarge' ? tooLarge : t.uploadFailed);
  return (
    <div class="rp-row rp-mine">
      <div class="rp-stack">
        <div class={`rp-upload${u.problem ? ' rp-upload-failed' : ''}`}>
          {fileIcon}
          <span class="rp-file-text">
            <span class="rp-file-name">{u.name}</span>
            {u.problem ? (
              <span class="rp-error" role="alert">
                {reason}
              </span>
            ) : (
              <span class="rp-bar" role="progressbar" aria-label={`${t.uploading} ${u.name}`} aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(u.progress * 100)}>
                <span style={{ width: `${Math.round(u.progress * 100)}%` }} />
              </span>
            )}
          </span>
        </div>
        <div class="rp-meta">
          {!u.problem && <span class="rp-state">{`${t.uploading} ${u.progress.toLocaleString(locale, { style: 'percent', maximumFractionDigits: 0 })}`}</span>}
          {u.problem && u.retry && (
            <button type="button" class="rp-retry" onClick={() => chat.files.retry(u.id)}>
              {t.retry}
            </button>
          )}
          {u.problem && (
            <button type="button" class="rp-retry" onClick={() => chat.files.dismiss(u.id)}>
              {t.dismiss}
            </button>
          )}
        </div>
      </div>
    </div>
  );
}
