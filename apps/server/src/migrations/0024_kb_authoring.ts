/**
 * Knowledge base authoring: an article may carry the key it was imported under (the `id` of a
 * Markdown file's front matter, such as "reset-password"), so importing the same folder again
 * updates that article instead of adding a copy. Keys are unique per workspace.
 */
export default /* sql */ `
alter table kb_articles add column import_key text;
create unique index kb_articles_import_key on kb_articles (account_id, import_key) where import_key is not null;
`;
