/**
 * Retrieval's typo tolerance corrects a misspelt question word to a word the articles really use.
 * The per-translation word list (search_words, trigram-indexed) therefore holds the distinct words
 * of the body too, not only those of title and keywords; the existing rows are recomputed here.
 */
export default /* sql */ `
create or replace function kb_translations_search_vector() returns trigger language plpgsql as $$
begin
  new.search_vector :=
    setweight(to_tsvector(kb_search_config(new.locale), unaccent(coalesce(new.title, ''))), 'A') ||
    setweight(to_tsvector(kb_search_config(new.locale), unaccent(array_to_string(coalesce(new.keywords, '{}'), ' '))), 'A') ||
    setweight(to_tsvector(kb_search_config(new.locale), unaccent(coalesce(new.description, ''))), 'B') ||
    setweight(to_tsvector(kb_search_config(new.locale), unaccent(left(coalesce(new.body, ''), 200000))), 'C');
  new.search_words := (
    select coalesce(string_agg(distinct w, ' '), '')
    from regexp_split_to_table(lower(unaccent(
      coalesce(new.title, '') || ' ' || array_to_string(coalesce(new.keywords, '{}'), ' ') || ' ' ||
      coalesce(new.description, '') || ' ' || left(coalesce(new.body, ''), 200000))), '[^[:alnum:]]+') as w
    where length(w) between 3 and 30
  );
  return new;
end $$;

update kb_article_translations set title = title;
`;
