/**
 * Knowledge base and public help center: categories hold sections, sections hold articles; an
 * article has one translation per language, each with its own status (draft, published,
 * archived), slug and revision history. Internal articles are for agents only. Votes are one per
 * voter (a hashed visitor or user key) by a unique index; view, vote and deflection counts are
 * kept on the article for quick lists.
 *
 * Retrieval (features/kb/retrieval.ts): a translation's search vector is stemmed in its
 * language's text search configuration (kb_search_config: 'de' → german, unknown → simple) and
 * kept by a trigger; titles weigh more than bodies. pg_trgm gives typo tolerance over titles and
 * a per-translation word list; unaccent folds accents. What the workspace learns (which article
 * resolved which question, synonyms an admin adds) has tables of its own, and searches are
 * counted per normalised query so searches that found nothing can be listed.
 */
export default /* sql */ `
create extension if not exists pg_trgm;
create extension if not exists unaccent;

create function kb_search_config(locale text) returns regconfig
  language sql immutable as $$
    select (case lower(split_part(coalesce(locale, ''), '-', 1))
      when 'en' then 'english' when 'de' then 'german' when 'fr' then 'french' when 'es' then 'spanish'
      when 'it' then 'italian' when 'pt' then 'portuguese' when 'nl' then 'dutch' when 'sv' then 'swedish'
      when 'da' then 'danish' when 'no' then 'norwegian' when 'nb' then 'norwegian' when 'fi' then 'finnish'
      when 'ru' then 'russian' when 'tr' then 'turkish' when 'hu' then 'hungarian' when 'ro' then 'romanian'
      when 'id' then 'indonesian' when 'el' then 'greek' when 'ga' then 'irish' when 'lt' then 'lithuanian'
      when 'ca' then 'catalan' when 'eu' then 'basque' when 'sr' then 'serbian' when 'ar' then 'arabic'
      when 'hi' then 'hindi' when 'ta' then 'tamil' when 'hy' then 'armenian' when 'ne' then 'nepali'
      when 'yi' then 'yiddish'
      else 'simple' end)::regconfig
  $$;

-- One help center per workspace: its public address, look and languages.
create table help_centers (
  account_id uuid primary key references accounts(id) on delete cascade,
  slug text not null,
  name text not null,
  enabled boolean not null default true,
  -- A host name (help.shop.example) whose requests are this help center's (matched on Host).
  custom_domain text,
  theme jsonb not null default '{}',
  default_locale text not null default 'en',
  locales text[] not null default '{en}',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index help_centers_slug_key on help_centers (lower(slug));
create unique index help_centers_domain_key on help_centers (lower(custom_domain)) where custom_domain is not null;

create table kb_categories (
  id uuid primary key default gen_random_uuid(),
  account_id uuid not null references accounts(id) on delete cascade,
  -- Per locale: { "en": "Billing", "de": "Abrechnung" }.
  names jsonb not null default '{}',
  descriptions jsonb not null default '{}',
  slug text not null,
  icon text,
  position integer not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index kb_categories_account_idx on kb_categories (account_id, position);

create table kb_sections (
  id uuid primary key default gen_random_uuid(),
  account_id uuid not null references accounts(id) on delete cascade,
  category_id uuid not null references kb_categories(id) on delete cascade,
  names jsonb not null default '{}',
  descriptions jsonb not null default '{}',
  slug text not null,
  position integer not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index kb_sections_category_idx on kb_sections (account_id, category_id, position);

create table kb_articles (
  id uuid primary key default gen_random_uuid(),
  account_id uuid not null references accounts(id) on delete cascade,
  section_id uuid references kb_sections(id) on delete set null,
  -- public: help center, widget and bot; internal: agents only.
  visibility text not null default 'public' check (visibility in ('public', 'internal')),
  position integer not null default 0,
  author_id uuid references users(id) on delete set null,
  view_count bigint not null default 0,
  helpful_count integer not null default 0,
  unhelpful_count integer not null default 0,
  -- "Did this answer your question?" answered yes in the widget, or the bot's answer helped.
  deflection_count integer not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index kb_articles_section_idx on kb_articles (account_id, section_id, position);

create table kb_article_translations (
  id uuid primary key default gen_random_uuid(),
  account_id uuid not null references accounts(id) on delete cascade,
  article_id uuid not null references kb_articles(id) on delete cascade,
  locale text not null,
  title text not null,
  slug text not null,
  -- Markdown.
  body text not null default '',
  -- The meta description (and the help center's summary line); derived from the body when empty.
  description text not null default '',
  keywords text[] not null default '{}',
  status text not null default 'draft' check (status in ('draft', 'published', 'archived')),
  published_at timestamptz,
  updated_by uuid references users(id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  search_vector tsvector,
  -- Distinct lower-cased, unaccented words of title and keywords, for typo-tolerant matching.
  search_words text not null default ''
);
create unique index kb_article_translations_locale_key on kb_article_translations (article_id, locale);
create index kb_article_translations_account_idx on kb_article_translations (account_id, status, locale);
create index kb_article_translations_search_idx on kb_article_translations using gin (search_vector);
create index kb_article_translations_words_idx on kb_article_translations using gin (search_words gin_trgm_ops);

create function kb_translations_search_vector() returns trigger language plpgsql as $$
begin
  new.search_vector :=
    setweight(to_tsvector(kb_search_config(new.locale), unaccent(coalesce(new.title, ''))), 'A') ||
    setweight(to_tsvector(kb_search_config(new.locale), unaccent(array_to_string(coalesce(new.keywords, '{}'), ' '))), 'A') ||
    setweight(to_tsvector(kb_search_config(new.locale), unaccent(coalesce(new.description, ''))), 'B') ||
    setweight(to_tsvector(kb_search_config(new.locale), unaccent(left(coalesce(new.body, ''), 200000))), 'C');
  new.search_words := (
    select coalesce(string_agg(distinct w, ' '), '')
    from regexp_split_to_table(lower(unaccent(coalesce(new.title, '') || ' ' || array_to_string(coalesce(new.keywords, '{}'), ' '))), '[^[:alnum:]]+') as w
    where length(w) > 2
  );
  return new;
end $$;
create trigger kb_translations_search_vector before insert or update of title, body, description, keywords, locale
  on kb_article_translations for each row execute function kb_translations_search_vector();

create table kb_revisions (
  id uuid primary key default gen_random_uuid(),
  account_id uuid not null references accounts(id) on delete cascade,
  article_id uuid not null references kb_articles(id) on delete cascade,
  locale text not null,
  title text not null,
  body text not null,
  description text not null default '',
  status text not null,
  author_id uuid references users(id) on delete set null,
  created_at timestamptz not null default clock_timestamp()
);
create index kb_revisions_article_idx on kb_revisions (account_id, article_id, locale, created_at desc);

create table kb_related_articles (
  account_id uuid not null references accounts(id) on delete cascade,
  article_id uuid not null references kb_articles(id) on delete cascade,
  related_id uuid not null references kb_articles(id) on delete cascade,
  position integer not null default 0,
  primary key (article_id, related_id),
  check (article_id <> related_id)
);

create table kb_votes (
  id uuid primary key default gen_random_uuid(),
  account_id uuid not null references accounts(id) on delete cascade,
  article_id uuid not null references kb_articles(id) on delete cascade,
  locale text not null,
  -- A hash of who voted (a user, a widget visitor, or a help center reader's cookie): one vote each.
  voter_key text not null,
  helpful boolean not null,
  comment text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index kb_votes_voter_key on kb_votes (article_id, voter_key);
create index kb_votes_account_idx on kb_votes (account_id, created_at desc);

-- Groups of words a search treats as one ("refund, money back, reimbursement").
create table kb_synonyms (
  id uuid primary key default gen_random_uuid(),
  account_id uuid not null references accounts(id) on delete cascade,
  locale text,
  terms text[] not null,
  created_at timestamptz not null default now()
);
create index kb_synonyms_account_idx on kb_synonyms (account_id);

-- What resolved which question: a widget "yes", a helpful bot answer, an agent inserting the article.
create table kb_learned_answers (
  account_id uuid not null references accounts(id) on delete cascade,
  article_id uuid not null references kb_articles(id) on delete cascade,
  -- The question, normalised (lower case, unaccented, single spaces).
  query text not null,
  locale text not null default '',
  helped integer not null default 0,
  not_helped integer not null default 0,
  updated_at timestamptz not null default now(),
  primary key (account_id, article_id, query, locale)
);
create index kb_learned_answers_query_idx on kb_learned_answers using gin (query gin_trgm_ops);

-- Searches, counted per normalised query: which ones found nothing, and how often.
create table kb_searches (
  account_id uuid not null references accounts(id) on delete cascade,
  query text not null,
  locale text not null default '',
  source text not null default 'help_center',
  searches integer not null default 0,
  without_results integer not null default 0,
  last_searched_at timestamptz not null default now(),
  primary key (account_id, query, locale, source)
);
create index kb_searches_gaps_idx on kb_searches (account_id, without_results desc) where without_results > 0;
`;
