/** Contact forms: a hosted (and embeddable) form per email inbox whose submissions open conversations answered by email. */
export default /* sql */ `
alter table inboxes
  add column form_key text,
  add column form_config jsonb not null default '{}'::jsonb;
create unique index inboxes_form_key_key on inboxes (form_key);
`;
