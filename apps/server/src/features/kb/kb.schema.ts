/**
 * The knowledge base's API shapes (validation, types and OpenAPI from one source), and the checks
 * the shapes cannot express, which answer 422 `invalid_article` / `invalid_reference` naming the field.
 */
import { Type, type Static } from '@sinclair/typebox';
import { AppError } from '../../core/errors.js';
import { Nullable, Obj, Timestamp, Uuid } from '../../core/http/schema.js';

/** A language tag as the help center uses it in addresses: "en", "de", "pt-BR". */
export const LOCALE_PATTERN = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$/;
// The shape takes any short text; the pattern is checked in code, so a bad one is a 422 naming the field.
const Locale = Type.String({ minLength: 1, maxLength: 20, description: 'Language tag, such as en, de or pt-BR' });
const Status = Type.Union([Type.Literal('draft'), Type.Literal('published'), Type.Literal('archived')]);
const Visibility = Type.Union([Type.Literal('public'), Type.Literal('internal')], { description: 'public: help center, widget and bot; internal: agents only' });
const Slug = Type.String({ maxLength: 80, description: 'URL part; made from the title when empty' });
const Names = Type.Record(Type.String({ maxLength: 20 }), Type.String({ maxLength: 120 }), { minProperties: 1, maxProperties: 50, description: 'Per language: { "en": "Billing", "de": "Abrechnung" }' });
const Descriptions = Type.Record(Type.String({ maxLength: 20 }), Type.String({ maxLength: 500 }), { maxProperties: 50 });

export const MAX_BODY = 200_000;

// —— categories and sections ——

export const SectionOut = Type.Object({
  id: Uuid,
  category_id: Uuid,
  names: Type.Record(Type.String(), Type.String()),
  descriptions: Type.Record(Type.String(), Type.String()),
  slug: Type.String(),
  position: Type.Integer(),
  article_count: Type.Integer(),
});

export const CategoryOut = Type.Object({
  id: Uuid,
  names: Type.Record(Type.String(), Type.String()),
  descriptions: Type.Record(Type.String(), Type.String()),
  slug: Type.String(),
  icon: Nullable(Type.String()),
  position: Type.Integer(),
  sections: Type.Array(SectionOut),
});

const categoryFields = {
  names: Names,
  descriptions: Type.Optional(Descriptions),
  slug: Type.Optional(Slug),
  icon: Type.Optional(Nullable(Type.String({ maxLength: 40 }))),
  position: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000, description: 'Shown in this order (lowest first); last when not given' })),
};
export const CategoryBody = Obj(categoryFields);
export const CategoryPatch = Obj({ ...categoryFields, names: Type.Optional(Names) });

export const SectionBody = Obj({ category_id: Uuid, names: Names, descriptions: Type.Optional(Descriptions), slug: Type.Optional(Slug), position: categoryFields.position });
export const SectionPatch = Obj({ category_id: Type.Optional(Uuid), names: Type.Optional(Names), descriptions: Type.Optional(Descriptions), slug: Type.Optional(Slug), position: categoryFields.position });

// —— articles ——

const translationFields = {
  title: Type.String({ maxLength: 200 }),
  body: Type.String({ maxLength: MAX_BODY, description: 'Markdown: headings, lists, links, images, code, and callouts (> [!NOTE], [!TIP], [!WARNING])' }),
  description: Type.Optional(Type.String({ maxLength: 300, description: 'Meta description and summary line; taken from the body when empty' })),
  keywords: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 60 }), { maxItems: 30 })),
  slug: Type.Optional(Slug),
  status: Type.Optional(Status),
};

export const ArticleBody = Obj({
  ...translationFields,
  locale: Locale,
  section_id: Type.Optional(Nullable(Uuid)),
  visibility: Type.Optional(Visibility),
  position: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000 })),
  related_ids: Type.Optional(Type.Array(Uuid, { maxItems: 20, uniqueItems: true, description: 'Related articles, in order' })),
});
export type ArticleInput = Static<typeof ArticleBody>;

export const ArticlePatch = Obj({
  locale: Type.Optional(Type.String({ ...Locale, description: 'The translation the title, body, description, keywords, slug and status apply to; a new language adds a translation (title needed)' })),
  title: Type.Optional(translationFields.title),
  body: Type.Optional(translationFields.body),
  description: translationFields.description,
  keywords: translationFields.keywords,
  slug: translationFields.slug,
  status: Type.Optional(Status),
  section_id: Type.Optional(Nullable(Uuid)),
  visibility: Type.Optional(Visibility),
  position: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000 })),
  related_ids: Type.Optional(Type.Array(Uuid, { maxItems: 20, uniqueItems: true })),
});
export type ArticlePatchInput = Static<typeof ArticlePatch>;

export const TranslationOut = Type.Object({
  locale: Type.String(),
  title: Type.String(),
  slug: Type.String(),
  body: Type.String(),
  description: Type.String(),
  keywords: Type.Array(Type.String()),
  status: Status,
  published_at: Nullable(Timestamp),
  updated_at: Timestamp,
  /** The public address (published public articles only). */
  url: Nullable(Type.String()),
});

const Stats = {
  view_count: Type.Integer(),
  helpful_count: Type.Integer(),
  unhelpful_count: Type.Integer(),
  deflection_count: Type.Integer(),
  helpful_percent: Nullable(Type.Integer({ description: 'Share of helpful votes; null without votes' })),
};

export const RelatedOut = Type.Object({ id: Uuid, locale: Type.String(), title: Type.String(), status: Status });

export const ArticleOut = Type.Object({
  id: Uuid,
  section_id: Nullable(Uuid),
  visibility: Visibility,
  position: Type.Integer(),
  import_key: Nullable(Type.String()),
  author_id: Nullable(Uuid),
  ...Stats,
  created_at: Timestamp,
  updated_at: Timestamp,
  translations: Type.Array(TranslationOut),
  related: Type.Array(RelatedOut),
  related_source: Type.Union([Type.Literal('explicit'), Type.Literal('section')], { description: 'explicit: chosen by the team; section: none chosen, so others of the same section' }),
});

export const ArticleSummaryOut = Type.Object({
  id: Uuid,
  section_id: Nullable(Uuid),
  visibility: Visibility,
  position: Type.Integer(),
  ...Stats,
  created_at: Timestamp,
  updated_at: Timestamp,
  translations: Type.Array(Type.Object({ locale: Type.String(), title: Type.String(), slug: Type.String(), status: Status, published_at: Nullable(Timestamp), updated_at: Timestamp })),
});

export const ArticleListQuery = Obj({
  status: Type.Optional(Status),
  locale: Type.Optional(Type.String({ maxLength: 20 })),
  section_id: Type.Optional(Type.Union([Uuid, Type.Literal('none')], { description: 'A section, or "none" for articles in no section' })),
  visibility: Type.Optional(Visibility),
  q: Type.Optional(Type.String({ maxLength: 200, description: 'Words of the title' })),
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 50 })),
});

export const RevisionOut = Type.Object({
  id: Uuid,
  locale: Type.String(),
  title: Type.String(),
  body: Type.String(),
  description: Type.String(),
  status: Status,
  author: Nullable(Type.Object({ id: Uuid, name: Type.String() })),
  created_at: Timestamp,
});

export const FeedbackOut = Type.Object({
  ...Stats,
  comments: Type.Array(Type.Object({ helpful: Type.Boolean(), comment: Type.String(), locale: Type.String(), created_at: Timestamp })),
});

// —— checks beyond the shape ——

export interface Problem {
  field: string;
  message: string;
}

export function invalidArticle(problems: Problem[]): AppError {
  return new AppError('invalid_article', `The article is not valid: ${problems.map((p) => `${p.field} ${p.message}`).join('; ')}.`, problems);
}

export function checkLocale(field: string, locale: string | undefined, problems: Problem[]): void {
  if (locale !== undefined && !LOCALE_PATTERN.test(locale)) problems.push({ field, message: `"${locale.slice(0, 20)}" is not a language tag (such as en, de or pt-BR)` });
}

/** Names per locale: real language tags, no empty names. */
export function checkNames(field: string, names: Record<string, string> | undefined, problems: Problem[]): void {
  for (const [locale, name] of Object.entries(names ?? {})) {
    checkLocale(`${field}.${locale}`, locale, problems);
    if (!name.trim()) problems.push({ field: `${field}.${locale}`, message: 'must not be empty' });
  }
}
