/** What the web chat learns about a visitor: claims it could not verify, and where they are browsing. */
export default /* sql */ `
alter table contacts
  add column attributes jsonb not null default '{}'::jsonb,
  add column last_seen_at timestamptz;
`;
