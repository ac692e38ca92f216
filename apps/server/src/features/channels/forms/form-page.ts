/**
 * The contact form page, rendered on the server: plain HTML that works without JavaScript, with
 * every value escaped, labels tied to their inputs, errors announced next to the field they are
 * about, and a honeypot field people never see.
 */
import type { Field, FormConfig } from './form-config.js';
import { fieldsOf } from './form-config.js';

const escape = (v: string) => v.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const STYLE = `
*{box-sizing:border-box}body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:0;background:#f8fafc;color:#1f2937;line-height:1.5}
main{max-width:36rem;margin:2.5rem auto;padding:1.5rem;background:#fff;border:1px solid #e5e7eb;border-radius:12px}
.embed main{margin:0;border:0;border-radius:0;max-width:none}
h1{font-size:1.5rem;margin:0 0 .25rem}p.intro{color:#4b5563;margin:0 0 1.25rem}
label{display:block;font-weight:600;font-size:.9rem;margin-bottom:.25rem}.field{margin-bottom:1rem}
input,textarea,select{width:100%;font:inherit;padding:.55rem .7rem;border:1px solid #cbd5e1;border-radius:8px;background:#fff;color:inherit}
textarea{min-height:9rem;resize:vertical}input:focus,textarea:focus,select:focus{outline:2px solid #4f46e5;outline-offset:1px}
[aria-invalid=true]{border-color:#dc2626}.error{color:#b91c1c;font-size:.85rem;margin-top:.25rem}
.summary{border:1px solid #fecaca;background:#fef2f2;color:#991b1b;padding:.75rem 1rem;border-radius:8px;margin-bottom:1rem}
.req{color:#b91c1c}button{font:inherit;font-weight:600;background:#4f46e5;color:#fff;border:0;border-radius:8px;padding:.65rem 1.2rem;cursor:pointer}
button:focus{outline:2px solid #1e1b4b;outline-offset:2px}.trap{position:absolute;left:-10000px;width:1px;height:1px;overflow:hidden}
.thanks{font-size:1.05rem}
@media (prefers-color-scheme:dark){body{background:#0f172a;color:#e2e8f0}main{background:#1e293b;border-color:#334155}p.intro{color:#94a3b8}input,textarea,select{background:#0f172a;border-color:#475569}.summary{background:#450a0a;color:#fecaca;border-color:#7f1d1d}.error{color:#fca5a5}}
`;

function page(title: string, body: string, embed: boolean): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escape(title)}</title><style>${STYLE}</style></head><body${embed ? ' class="embed"' : ''}><main>${body}</main></body></html>`;
}

function input(field: Field, value: string, error: string | undefined): string {
  const id = `f-${field.key}`;
  const common = `id="${id}" name="${field.key}"${field.required ? ' required aria-required="true"' : ''}${error ? ` aria-invalid="true" aria-describedby="${id}-error"` : ''}`;
  const control =
    field.type === 'textarea'
      ? `<textarea ${common} maxlength="10000">${escape(value)}</textarea>`
      : field.type === 'select'
        ? `<select ${common}><option value="">Choose…</option>${(field.options ?? []).map((o) => `<option${o === value ? ' selected' : ''}>${escape(o)}</option>`).join('')}</select>`
        : `<input ${common} type="${field.type}" value="${escape(value)}" maxlength="${field.type === 'email' ? 254 : 300}"${field.type === 'email' ? ' autocomplete="email"' : field.key === 'name' ? ' autocomplete="name"' : ''}>`;
  return `<div class="field"><label for="${id}">${escape(field.label)}${field.required ? ' <span class="req" aria-hidden="true">*</span>' : ''}</label>${control}${error ? `<div class="error" id="${id}-error">${escape(error)}</div>` : ''}</div>`;
}

export interface FormPage {
  config: FormConfig;
  action: string;
  /** A signed time stamp: a submission sooner than a person could type is a robot's. */
  stamp: string;
  values?: Record<string, string>;
  errors?: Record<string, string>;
  embed: boolean;
}

export function renderForm(p: FormPage): string {
  const errors = p.errors ?? {};
  const problems = Object.keys(errors).length;
  const summary = problems ? `<div class="summary" role="alert">${problems === 1 ? 'One field needs' : `${problems} fields need`} your attention: ${Object.values(errors).map(escape).join(' ')}</div>` : '';
  const fields = fieldsOf(p.config)
    .map((f) => input(f, p.values?.[f.key] ?? '', errors[f.key]))
    .join('');
  return page(
    p.config.title,
    `<h1>${escape(p.config.title)}</h1>${p.config.intro ? `<p class="intro">${escape(p.config.intro)}</p>` : ''}${summary}
<form method="post" action="${escape(p.action)}" novalidate>${fields}
<div class="trap" aria-hidden="true"><label for="f-website">Leave this empty</label><input id="f-website" name="website" tabindex="-1" autocomplete="off"></div>
<input type="hidden" name="stamp" value="${escape(p.stamp)}"><button type="submit">Send</button></form>`,
    p.embed,
  );
}

export function renderThanks(config: FormConfig, embed: boolean): string {
  return page(config.title, `<h1>${escape(config.title)}</h1><p class="thanks" role="status">${escape(config.thanks)}</p>`, embed);
}

export function renderClosed(embed: boolean): string {
  return page('Form not available', '<h1>This form is not available</h1><p>It may have been switched off. Please contact the company another way.</p>', embed);
}
