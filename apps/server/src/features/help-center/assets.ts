/**
 * The help center's stylesheet and its one script, served from the help center's own address
 * (so a strict Content-Security-Policy of 'self' allows them on a custom domain too). The script
 * only adds instant suggestions to the search box; every page works without it.
 */
import { createHash } from 'node:crypto';

export const HELP_CENTER_CSS = `
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;font-size:17px;line-height:1.6;color:#1f2937;background:#f9fafb}
a{color:var(--hc-link)}a:hover{text-decoration-thickness:2px}
:focus-visible{outline:3px solid var(--hc-link);outline-offset:2px}
.sr-only{position:absolute;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;clip:rect(0,0,0,0);white-space:nowrap;border:0}
.skip-link{position:absolute;left:.5rem;top:-3rem;background:#fff;color:#111827;padding:.5rem 1rem;border-radius:6px;z-index:10;font-weight:600}
.skip-link:focus{top:.5rem}
.wrap{max-width:60rem;margin:0 auto;padding:0 1.25rem}
.site-header{background:var(--hc-header);color:var(--hc-on-header);padding:.9rem 0}
.site-header :focus-visible{outline-color:var(--hc-on-header)}
.header-row{display:flex;align-items:center;justify-content:space-between;gap:1rem;flex-wrap:wrap}
.brand{display:flex;align-items:center;gap:.6rem;color:var(--hc-on-header);text-decoration:none;font-weight:700;font-size:1.15rem}
.brand img{max-height:32px;width:auto}
.languages ul{list-style:none;margin:0;padding:0;display:flex;gap:.75rem}
.languages a,.languages span{color:var(--hc-on-header);font-size:.95rem}
.languages span{font-weight:700}
.site-header .search{margin-top:.75rem}
main.wrap{display:block;padding-top:1.5rem;padding-bottom:3rem;min-height:60vh}
main:focus{outline:none}
h1{font-size:2rem;line-height:1.25;margin:.5rem 0 1rem}
h2{font-size:1.3rem;margin:1.75rem 0 .6rem}
.lead{font-size:1.1rem;color:#374151}
.hero{text-align:center;padding:2rem 0 1rem}
.hero h1{font-size:2.2rem}
.search{position:relative;max-width:40rem}
.hero .search{margin:0 auto}
.search-label{display:block;font-weight:600;margin-bottom:.4rem}
.search-row{display:flex;gap:.5rem}
.search input{flex:1;min-width:0;font:inherit;padding:.65rem .85rem;border:2px solid #6b7280;border-radius:8px;background:#fff;color:#111827}
.search input:focus{border-color:var(--hc-link);outline:3px solid var(--hc-link);outline-offset:1px}
button{font:inherit;font-weight:600;padding:.6rem 1.1rem;border-radius:8px;border:2px solid var(--hc-primary);background:var(--hc-primary);color:var(--hc-on-primary);cursor:pointer}
button.secondary{background:#fff;color:#111827;border-color:#6b7280}
button:focus-visible{outline:3px solid #111827;outline-offset:2px}
.suggestions{position:absolute;left:0;right:0;top:100%;margin:.25rem 0 0;padding:.25rem 0;list-style:none;background:#fff;border:1px solid #d1d5db;border-radius:8px;box-shadow:0 8px 24px rgba(0,0,0,.12);z-index:5;text-align:left}
.suggestions li a{display:block;padding:.5rem .85rem;color:#111827;text-decoration:none}
.suggestions li[aria-selected=true] a,.suggestions li a:hover{background:#eef2ff}
.suggestions .hint{padding:.5rem .85rem;color:#4b5563;font-size:.9rem}
.cards{list-style:none;padding:0;margin:0;display:grid;grid-template-columns:repeat(auto-fill,minmax(15rem,1fr));gap:1rem}
.card a{display:flex;flex-direction:column;gap:.25rem;height:100%;padding:1.1rem;border:1px solid #e5e7eb;border-radius:10px;background:#fff;text-decoration:none;color:#1f2937}
.card a:hover{border-color:var(--hc-link)}
.card-title{font-weight:700;color:var(--hc-link)}.card-text{color:#4b5563;font-size:.95rem}.card-meta{color:#4b5563;font-size:.85rem;margin-top:auto}
.article-list{list-style:none;padding:0;margin:0}
.article-list li{padding:.55rem 0;border-bottom:1px solid #e5e7eb}
.article-list p{margin:.15rem 0 0;color:#4b5563;font-size:.95rem}
.breadcrumbs ol{list-style:none;padding:0;margin:0;display:flex;flex-wrap:wrap;gap:.35rem;font-size:.9rem;color:#4b5563}
.breadcrumbs li+li::before{content:'›';margin-right:.35rem;color:#6b7280}
.article{background:#fff;border:1px solid #e5e7eb;border-radius:10px;padding:1.5rem 1.75rem;margin-top:1rem}
.article h1{margin-top:0}
.meta{color:#4b5563;font-size:.9rem;margin-top:-.5rem}
.article-body img{max-width:100%;height:auto}
.article-body pre{background:#f3f4f6;padding:.75rem;border-radius:6px;overflow:auto}
.article-body code{background:#f3f4f6;padding:.1rem .3rem;border-radius:4px;font-size:.92em}
.article-body table{border-collapse:collapse}.article-body th,.article-body td{border:1px solid #d1d5db;padding:.35rem .6rem}
.callout{border-left:4px solid var(--hc-primary);background:#f3f4f6;padding:.6rem 1rem;margin:1rem 0;border-radius:4px}
.callout-warning,.callout-caution{border-left-color:#b45309;background:#fffbeb}
.feedback{margin-top:2rem;padding:1.25rem 1.5rem;background:#fff;border:1px solid #e5e7eb;border-radius:10px}
.feedback h2{margin-top:0}
.feedback label{display:block;font-weight:600;margin-bottom:.3rem}
.feedback textarea{width:100%;font:inherit;padding:.5rem .7rem;border:2px solid #6b7280;border-radius:8px}
.vote-buttons{display:flex;gap:.6rem;margin-top:.75rem}
.notice{background:#ecfdf5;border:1px solid #10b981;color:#065f46;padding:.5rem .8rem;border-radius:8px}
.results{list-style:none;padding:0}
.results li{padding:.75rem 0;border-bottom:1px solid #e5e7eb}
.results h2{font-size:1.15rem;margin:0 0 .25rem}
.results p{margin:0;color:#374151}
mark{background:#fef08a;color:inherit;padding:0 .1em;border-radius:2px}
.no-results{background:#fff;border:1px solid #e5e7eb;border-radius:10px;padding:1rem 1.25rem}
.empty{color:#4b5563}
.site-footer{border-top:1px solid #e5e7eb;color:#4b5563;font-size:.9rem;padding:1rem 0}
@media (max-width:600px){h1{font-size:1.6rem}.article{padding:1rem}}
`;

export const HELP_CENTER_JS = `(function () {
  'use strict';
  var DELAY = 150;
  function setup(input) {
    var url = input.getAttribute('data-suggest');
    var list = document.getElementById(input.getAttribute('aria-controls'));
    if (!url || !list) return;
    var timer = null, active = -1, items = [], last = '', controller = null;
    function close() {
      list.hidden = true; input.setAttribute('aria-expanded', 'false'); input.removeAttribute('aria-activedescendant'); active = -1;
    }
    function select(i) {
      var options = list.querySelectorAll('[role=option]');
      if (!options.length) return;
      active = (i + options.length) % options.length;
      for (var k = 0; k < options.length; k++) options[k].setAttribute('aria-selected', k === active ? 'true' : 'false');
      input.setAttribute('aria-activedescendant', options[active].id);
    }
    function show(data, q) {
      items = data; list.textContent = ''; active = -1;
      if (!data.length) {
        var hint = document.createElement('li'); hint.className = 'hint'; hint.setAttribute('role', 'presentation');
        hint.textContent = 'No suggestions. Press Enter to search for \\u201c' + q + '\\u201d.';
        list.appendChild(hint);
      }
      data.forEach(function (item, i) {
        var li = document.createElement('li'); li.setAttribute('role', 'option'); li.id = list.id + '-' + i; li.setAttribute('aria-selected', 'false');
        var a = document.createElement('a'); a.href = item.url; a.textContent = item.title; a.tabIndex = -1;
        li.appendChild(a); list.appendChild(li);
      });
      list.hidden = false; input.setAttribute('aria-expanded', 'true');
    }
    function fetchNow() {
      var q = input.value.trim();
      if (q.length < 2) { close(); return; }
      if (q === last && !list.hidden) return;
      last = q;
      if (controller) controller.abort();
      controller = typeof AbortController === 'function' ? new AbortController() : null;
      fetch(url + '?q=' + encodeURIComponent(q), { headers: { accept: 'application/json' }, signal: controller ? controller.signal : undefined, credentials: 'same-origin' })
        .then(function (r) { return r.ok ? r.json() : { data: [] }; })
        .then(function (body) { if (input.value.trim() === q) show(body.data || [], q); })
        .catch(function () {});
    }
    input.addEventListener('input', function () { clearTimeout(timer); timer = setTimeout(fetchNow, DELAY); });
    input.addEventListener('keydown', function (e) {
      if (e.key === 'ArrowDown') { if (list.hidden) fetchNow(); else select(active + 1); e.preventDefault(); }
      else if (e.key === 'ArrowUp') { if (!list.hidden) { select(active - 1); e.preventDefault(); } }
      else if (e.key === 'Escape') { if (!list.hidden) { close(); e.preventDefault(); } }
      else if (e.key === 'Enter' && !list.hidden && active >= 0 && items[active]) { e.preventDefault(); window.location.href = items[active].url; }
    });
    input.addEventListener('blur', function () { setTimeout(close, 150); });
  }
  var inputs = document.querySelectorAll('input[data-suggest]');
  for (var i = 0; i < inputs.length; i++) setup(inputs[i]);
})();
`;

export const ASSET_VERSION = createHash('sha1').update(HELP_CENTER_CSS + HELP_CENTER_JS).digest('hex').slice(0, 10);
