/**
 * The help center's pages as HTML: one layout (landmarks, a skip link, the language switch, a
 * search form that works without JavaScript) and a template per page. Every value is escaped by
 * `html`; article bodies are the sanitised output of renderMarkdown. No inline script: structured
 * data is a JSON block (not executed), and instant suggestions come from the external script.
 */
import { renderMarkdown } from '../kb/markdown.js';
import type { ArticleHit } from '../kb/retrieval.js';
import type { HelpCenter } from '../kb/help-center-address.js';
import { articlePath, helpCenterLocales } from '../kb/help-center-address.js';
import type { ArticleLink, ArticlePage, CategoryTree, Named } from './content.js';
import { html, jsonForScript, raw, type SafeHtml } from './html.js';
import { themeOf } from './theme.js';
import { ASSET_VERSION } from './assets.js';

/** Where the pages are: the path prefix links use, and the absolute base for canonical URLs. */
export interface Site {
  hc: HelpCenter;
  /** '' on a custom domain, '/help/<slug>' otherwise. */
  prefix: string;
  /** Absolute, for canonical links, the sitemap and structured data. */
  origin: string;
  locale: string;
  themeVersion: string;
}


/** The help center's own words, in the page's language (English when it has no translation here). */
const UI = {
  en: {
    skip: 'Skip to content', searchLabel: 'Search the help center', placeholder: 'Ask a question or type keywords', search: 'Search', suggested: 'Suggested articles',
    language: 'Language', breadcrumb: 'Breadcrumb', helpCenter: 'Help center', languages: (n: number) => `${n} languages`,
    hero: 'How can we help?', topics: 'Browse by topic', popular: 'Popular articles', articles: (n: number) => (n === 1 ? '1 article' : `${n} articles`),
    noArticles: 'There are no articles here yet. Please check back soon.', emptyCategory: 'No articles in this category yet.', emptySection: 'No articles in this section yet.',
    updated: 'Updated', helpful: 'Was this article helpful?', comment: 'Anything we should add or fix? (optional)', yes: 'Yes, it helped', no: 'No',
    thanks: 'Thank you for your feedback!', thanksNo: 'Thank you for your feedback. We will use it to improve this article.', busy: 'Thanks — we have had a lot of feedback from here just now; please try again later.',
    related: 'Related articles', resultsFor: (q: string) => `Search results for “${q}”`, typeSomething: 'Type a question or a few words in the search box.',
    found: (n: number) => (n === 1 ? '1 article found.' : `${n} articles found.`), noMatch: (q: string) => `No articles match “${q}”.`,
    tryOther: 'Try fewer or other words', orContact: ', or ', contactUs: 'contact us', personHelps: ' and a person will help.', orSupport: ', or contact our support team and a person will help.',
    notFound: 'Page not found', notFoundTitle: 'We can’t find that page', notFoundText: 'It may have moved, or the link may be mistyped. Try searching, or go to the ', homeLink: 'help center’s home page',
    slowTitle: 'Please slow down', slow: (s: number) => `There have been too many requests from here. Try again in ${s} seconds.`, tooMany: 'Too many searches',
  },
  de: {
    skip: 'Zum Inhalt springen', searchLabel: 'Im Hilfe-Center suchen', placeholder: 'Stellen Sie eine Frage oder geben Sie Stichwörter ein', search: 'Suchen', suggested: 'Vorgeschlagene Artikel',
    language: 'Sprache', breadcrumb: 'Brotkrumen', helpCenter: 'Hilfe-Center', languages: (n: number) => `${n} Sprachen`,
    hero: 'Wie können wir helfen?', topics: 'Themen', popular: 'Beliebte Artikel', articles: (n: number) => (n === 1 ? '1 Artikel' : `${n} Artikel`),
    noArticles: 'Hier gibt es noch keine Artikel. Schauen Sie bald wieder vorbei.', emptyCategory: 'In dieser Kategorie gibt es noch keine Artikel.', emptySection: 'In diesem Abschnitt gibt es noch keine Artikel.',
    updated: 'Aktualisiert am', helpful: 'War dieser Artikel hilfreich?', comment: 'Sollen wir etwas ergänzen oder korrigieren? (optional)', yes: 'Ja, er hat geholfen', no: 'Nein',
    thanks: 'Vielen Dank für Ihre Rückmeldung!', thanksNo: 'Vielen Dank für Ihre Rückmeldung. Wir verbessern den Artikel damit.', busy: 'Danke – von hier kamen gerade sehr viele Rückmeldungen; bitte versuchen Sie es später noch einmal.',
    related: 'Verwandte Artikel', resultsFor: (q: string) => `Suchergebnisse für „${q}“`, typeSomething: 'Geben Sie eine Frage oder ein paar Wörter in das Suchfeld ein.',
    found: (n: number) => (n === 1 ? '1 Artikel gefunden.' : `${n} Artikel gefunden.`), noMatch: (q: string) => `Keine Artikel zu „${q}“.`,
    tryOther: 'Versuchen Sie weniger oder andere Wörter', orContact: ' oder ', contactUs: 'schreiben Sie uns', personHelps: ', dann hilft Ihnen ein Mensch weiter.', orSupport: ' oder wenden Sie sich an unser Support-Team.',
    notFound: 'Seite nicht gefunden', notFoundTitle: 'Diese Seite gibt es nicht', notFoundText: 'Vielleicht wurde sie verschoben, oder der Link ist falsch. Suchen Sie oder gehen Sie zur ', homeLink: 'Startseite des Hilfe-Centers',
    slowTitle: 'Bitte etwas langsamer', slow: (s: number) => `Von hier kamen zu viele Anfragen. Versuchen Sie es in ${s} Sekunden noch einmal.`, tooMany: 'Zu viele Suchen',
  },
};
type Words = (typeof UI)['en'];
export const ui = (locale: string): Words => (UI as Record<string, Words>)[locale.split('-')[0]!] ?? UI.en;

export const sectionPath = (locale: string, s: { id: string; slug: string }) => `/${encodeURIComponent(locale)}/sections/${s.id}${s.slug ? `-${s.slug}` : ''}`;
export const categoryPath = (locale: string, c: { id: string; slug: string }) => `/${encodeURIComponent(locale)}/categories/${c.id}${c.slug ? `-${c.slug}` : ''}`;
export const homePath = (locale: string) => `/${encodeURIComponent(locale)}/`;

function languageName(code: string, inLocale: string): string {
  try {
    const name = new Intl.DisplayNames([code, inLocale], { type: 'language' }).of(code);
    return name ? name.charAt(0).toLocaleUpperCase(code) + name.slice(1) : code;
  } catch {
    return code;
  }
}

interface Layout {
  title: string;
  description?: string;
  /** Path below the help center's base (a leading slash); absent for pages that must not be indexed. */
  canonical?: string;
  /** Other languages of this page: locale → path. */
  alternates?: Array<{ locale: string; path: string }>;
  structured?: unknown[];
  noindex?: boolean;
  /** The search box in the header (the home page has its own big one). */
  headerSearch?: boolean;
  q?: string;
  body: SafeHtml;
}

function searchForm(site: Site, q: string, big: boolean): SafeHtml {
  const t = ui(site.locale);
  const id = big ? 'hc-q' : 'hc-q-header';
  return html`<form class="search${big ? ' search-big' : ''}" role="search" action="${site.prefix}/${site.locale}/search" method="get">
<label for="${id}" class="${big ? 'search-label' : 'sr-only'}">${t.searchLabel}</label>
<div class="search-row"><input id="${id}" type="search" name="q" value="${q}" maxlength="200" autocomplete="off" spellcheck="false" placeholder="${t.placeholder}" data-suggest="${site.prefix}/${site.locale}/suggest" role="combobox" aria-autocomplete="list" aria-expanded="false" aria-controls="${id}-list">
<button type="submit">${t.search}</button></div>
<ul id="${id}-list" class="suggestions" role="listbox" aria-label="${t.suggested}" hidden></ul>
</form>`;
}

export function layout(site: Site, p: Layout): string {
  const t = ui(site.locale);
  const theme = themeOf(site.hc.theme);
  const locales = helpCenterLocales(site.hc);
  const alternates = p.alternates ?? [];
  const switcher = alternates.length > 1
    ? html`<nav class="languages" aria-label="${t.language}"><ul>${alternates.map((a) =>
        a.locale === site.locale
          ? html`<li><span aria-current="true">${languageName(a.locale, a.locale)}</span></li>`
          : html`<li><a href="${site.prefix}${a.path}" hreflang="${a.locale}" lang="${a.locale}">${languageName(a.locale, a.locale)}</a></li>`)}</ul></nav>`
    : '';
  const page = html`<!doctype html>
<html lang="${site.locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${p.title === site.hc.name ? p.title : `${p.title} – ${site.hc.name}`}</title>
${p.description ? html`<meta name="description" content="${p.description.slice(0, 300)}">` : ''}
${p.noindex ? html`<meta name="robots" content="noindex">` : ''}
${p.canonical ? html`<link rel="canonical" href="${site.origin}${p.canonical}">` : ''}
${alternates.length > 1 ? alternates.map((a) => html`<link rel="alternate" hreflang="${a.locale}" href="${site.origin}${a.path}">`) : ''}
${alternates.length > 1 && alternates.some((a) => a.locale === site.hc.default_locale) ? html`<link rel="alternate" hreflang="x-default" href="${site.origin}${alternates.find((a) => a.locale === site.hc.default_locale)!.path}">` : ''}
<link rel="stylesheet" href="${site.prefix}/assets/help-center.css?v=${ASSET_VERSION}">
<link rel="stylesheet" href="${site.prefix}/theme.css?v=${site.themeVersion}">
<script src="${site.prefix}/assets/help-center.js?v=${ASSET_VERSION}" defer></script>
${(p.structured ?? []).map((s) => html`<script type="application/ld+json">${jsonForScript(s)}</script>`)}
</head>
<body>
<a class="skip-link" href="#main">${t.skip}</a>
<header class="site-header">
<div class="wrap header-row">
<a class="brand" href="${site.prefix}${homePath(site.locale)}">${theme.logo_url ? html`<img src="${theme.logo_url}" alt="" height="32">` : ''}<span>${site.hc.name}</span></a>
${switcher}
</div>
${p.headerSearch === false ? '' : html`<div class="wrap">${searchForm(site, p.q ?? '', false)}</div>`}
</header>
<main id="main" tabindex="-1" class="wrap">
${p.body}
</main>
<footer class="site-footer"><div class="wrap"><p>${site.hc.name} · ${locales.length > 1 ? t.languages(locales.length) : t.helpCenter}</p></div></footer>
</body>
</html>
`;
  return page.value;
}

const date = (d: Date, locale: string) => {
  try {
    return new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }).format(d);
  } catch {
    return d.toISOString().slice(0, 10);
  }
};

function articleList(site: Site, articles: ArticleLink[], describe = true): SafeHtml {
  return html`<ul class="article-list">${articles.map(
    (a) => html`<li><a href="${site.prefix}${articlePath(a.locale, a)}">${a.title}</a>${describe && a.description ? html`<p>${a.description}</p>` : ''}</li>`,
  )}</ul>`;
}

function breadcrumbs(site: Site, trail: Array<{ name: string; path?: string }>): { nav: SafeHtml; ld: unknown } {
  const all = [{ name: site.hc.name, path: homePath(site.locale) }, ...trail];
  const t = ui(site.locale);
  return {
    nav: html`<nav class="breadcrumbs" aria-label="${t.breadcrumb}"><ol>${all.map((c, i) =>
      i === all.length - 1 || !c.path ? html`<li><span aria-current="page">${c.name}</span></li>` : html`<li><a href="${site.prefix}${c.path}">${c.name}</a></li>`)}</ol></nav>`,
    ld: {
      '@context': 'https://schema.org',
      '@type': 'BreadcrumbList',
      itemListElement: all.map((c, i) => ({ '@type': 'ListItem', position: i + 1, name: c.name, ...(c.path ? { item: `${site.origin}${c.path}` } : {}) })),
    },
  };
}

const homeAlternates = (site: Site) => helpCenterLocales(site.hc).map((l) => ({ locale: l, path: homePath(l) }));

export function homePage(site: Site, categories: CategoryTree[], popular: ArticleLink[]): string {
  const t = ui(site.locale);
  const visible = categories.filter((c) => c.article_count > 0);
  return layout(site, {
    title: site.hc.name,
    description: `Answers and guides from ${site.hc.name}.`,
    canonical: homePath(site.locale),
    alternates: homeAlternates(site),
    headerSearch: false,
    structured: [{ '@context': 'https://schema.org', '@type': 'WebSite', name: site.hc.name, url: `${site.origin}${homePath(site.locale)}`, potentialAction: { '@type': 'SearchAction', target: `${site.origin}/${site.locale}/search?q={query}`, 'query-input': 'required name=query' } }],
    body: html`<section class="hero" aria-labelledby="hero-title"><h1 id="hero-title">${t.hero}</h1>${searchForm(site, '', true)}</section>
${visible.length
  ? html`<section aria-labelledby="topics"><h2 id="topics">${t.topics}</h2><ul class="cards">${visible.map(
      (c) => html`<li class="card"><a href="${site.prefix}${categoryPath(site.locale, c)}"><span class="card-title">${c.name}</span>${c.description ? html`<span class="card-text">${c.description}</span>` : ''}<span class="card-meta">${t.articles(c.article_count)}</span></a></li>`,
    )}</ul></section>`
  : ''}
${popular.length ? html`<section aria-labelledby="popular"><h2 id="popular">${t.popular}</h2>${articleList(site, popular, false)}</section>` : ''}
${!visible.length && !popular.length ? html`<p class="empty">${t.noArticles}</p>` : ''}`,
  });
}

export function categoryPage(site: Site, category: CategoryTree): string {
  const t = ui(site.locale);
  const crumbs = breadcrumbs(site, [{ name: category.name }]);
  return layout(site, {
    title: category.name,
    description: category.description || `${category.name}: articles from ${site.hc.name}.`,
    canonical: categoryPath(site.locale, category),
    structured: [crumbs.ld],
    body: html`${crumbs.nav}<h1>${category.name}</h1>${category.description ? html`<p class="lead">${category.description}</p>` : ''}
${category.sections.filter((s) => s.articles.length).map((s) => html`<section class="section-block" aria-labelledby="s-${s.id}"><h2 id="s-${s.id}"><a href="${site.prefix}${sectionPath(site.locale, s)}">${s.name}</a></h2>${articleList(site, s.articles, false)}</section>`)}
${category.article_count ? '' : html`<p class="empty">${t.emptyCategory}</p>`}`,
  });
}

export function sectionPage(site: Site, category: Named, section: Named & { articles: ArticleLink[] }): string {
  const t = ui(site.locale);
  const crumbs = breadcrumbs(site, [{ name: category.name, path: categoryPath(site.locale, category) }, { name: section.name }]);
  return layout(site, {
    title: section.name,
    description: section.description || `${section.name}: articles from ${site.hc.name}.`,
    canonical: sectionPath(site.locale, section),
    structured: [crumbs.ld],
    body: html`${crumbs.nav}<h1>${section.name}</h1>${section.description ? html`<p class="lead">${section.description}</p>` : ''}
${section.articles.length ? articleList(site, section.articles) : html`<p class="empty">${t.emptySection}</p>`}`,
  });
}

export function articleView(site: Site, a: ArticlePage, feedback: 'yes' | 'no' | 'limited' | null): string {
  const t = ui(site.locale);
  const trail = [
    ...(a.category ? [{ name: a.category.name, path: categoryPath(site.locale, a.category) }] : []),
    ...(a.section ? [{ name: a.section.name, path: sectionPath(site.locale, a.section) }] : []),
    { name: a.title },
  ];
  const crumbs = breadcrumbs(site, trail);
  const path = articlePath(a.locale, a);
  const structured: unknown[] = [
    {
      '@context': 'https://schema.org',
      '@type': 'Article',
      headline: a.title.slice(0, 110),
      description: a.description || undefined,
      inLanguage: a.locale,
      datePublished: (a.published_at ?? a.updated_at).toISOString(),
      dateModified: a.updated_at.toISOString(),
      mainEntityOfPage: `${site.origin}${path}`,
      publisher: { '@type': 'Organization', name: site.hc.name },
    },
    crumbs.ld,
  ];
  // An article titled as a question is that question's answer: FAQ structured data.
  if (a.title.trim().endsWith('?')) {
    structured.push({ '@context': 'https://schema.org', '@type': 'FAQPage', mainEntity: [{ '@type': 'Question', name: a.title, acceptedAnswer: { '@type': 'Answer', text: a.description || a.title } }] });
  }
  const thanks = feedback === 'limited'
    ? html`<p class="notice" role="status">${t.busy}</p>`
    : feedback
      ? html`<p class="notice" role="status">${feedback === 'no' ? t.thanksNo : t.thanks}</p>`
      : '';
  return layout(site, {
    title: a.title,
    description: a.description,
    canonical: path,
    alternates: a.translations.length > 1 ? a.translations.map((t) => ({ locale: t.locale, path: articlePath(t.locale, { id: a.id, slug: t.slug }) })) : undefined,
    structured,
    body: html`${crumbs.nav}
<article class="article" aria-labelledby="article-title">
<h1 id="article-title">${a.title}</h1>
<p class="meta">${t.updated} <time datetime="${a.updated_at.toISOString()}">${date(a.updated_at, a.locale)}</time></p>
<div class="article-body">${raw(renderMarkdown(a.body))}</div>
</article>
<section id="feedback" class="feedback" aria-labelledby="feedback-title">
<h2 id="feedback-title">${t.helpful}</h2>
${thanks}
<form method="post" action="${site.prefix}/${a.locale}/articles/${a.id}/vote">
<label for="feedback-comment">${t.comment}</label>
<textarea id="feedback-comment" name="comment" rows="3" maxlength="2000"></textarea>
<div class="vote-buttons"><button type="submit" name="helpful" value="yes">${t.yes}</button><button type="submit" name="helpful" value="no" class="secondary">${t.no}</button></div>
</form>
</section>
${a.related.length ? html`<section class="related" aria-labelledby="related-title"><h2 id="related-title">${t.related}</h2>${articleList(site, a.related, false)}</section>` : ''}`,
  });
}

/** The passage with the question's words marked: escaped text, then <mark> around whole words. */
export function highlight(text: string, words: string[]): SafeHtml {
  const fold = (s: string) => s.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
  const stems = words.filter((w) => w.length >= 3).map((w) => fold(w).slice(0, Math.max(3, Math.min(w.length, 5))));
  const parts = text.split(/([\p{L}\p{N}]+)/u);
  return html`${parts.map((part) => (/^[\p{L}\p{N}]+$/u.test(part) && stems.some((s) => fold(part).startsWith(s)) ? html`<mark>${part}</mark>` : part))}`;
}

export function searchPage(site: Site, q: string, hits: ArticleHit[], words: string[], contactUrl: string | null): string {
  const t = ui(site.locale);
  const title = q ? t.resultsFor(q.slice(0, 80)) : t.search;
  return layout(site, {
    title,
    noindex: true,
    q,
    body: html`<h1>${title}</h1>
${!q
  ? html`<p>${t.typeSomething}</p>`
  : hits.length
    ? html`<p role="status">${t.found(hits.length)}</p><ol class="results">${hits.map(
        (h) => html`<li><h2><a href="${site.prefix}${articlePath(h.locale, { id: h.article_id, slug: h.slug })}">${highlight(h.title, words)}</a></h2><p>${highlight(h.passage || h.description, words)}</p></li>`,
      )}</ol>`
    : html`<div class="no-results" role="status"><p>${t.noMatch(q)}</p><p>${t.tryOther}${contactUrl ? html`${t.orContact}<a href="${contactUrl}">${t.contactUs}</a>${t.personHelps}` : t.orSupport}</p></div>`}`,
  });
}

export function notFoundPage(site: Site): string {
  const t = ui(site.locale);
  return layout(site, {
    title: t.notFound,
    noindex: true,
    body: html`<h1>${t.notFoundTitle}</h1><p>${t.notFoundText}<a href="${site.prefix}${homePath(site.locale)}">${t.homeLink}</a>.</p>`,
  });
}

export function rateLimitedPage(site: Site, seconds: number): string {
  const t = ui(site.locale);
  return layout(site, {
    title: t.tooMany,
    noindex: true,
    body: html`<h1>${t.slowTitle}</h1><p role="alert">${t.slow(seconds)}</p>`,
  });
}

/** A reader's page for an address that names no help center (no workspace to theme it). */
export function noHelpCenterPage(): string {
  return html`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>Help center not found</title></head><body><main><h1>Help center not found</h1><p>There is no help center at this address.</p></main></body></html>`.value;
}
