/**
 * A workspace's SLA settings version: bumped by the database on every change to what an SLA clock
 * reads besides the conversation itself (SLA policies, named business-hours schedules, an inbox's
 * or a team's hours). Each node keeps the workspace's policies and calendars in memory and reads
 * this number with the conversation (one join), so a change made on any node, by any writer, is
 * seen by the next clock update on every node without a message having to arrive first.
 */
export default /* sql */ `
alter table accounts add column sla_settings_version bigint not null default 0;
alter table accounts add column sla_retimed_version bigint not null default 0;
create index accounts_sla_retime_idx on accounts (id) where sla_settings_version <> sla_retimed_version;

create function rapport_bump_sla_settings() returns trigger language plpgsql as $$
begin
  update accounts set sla_settings_version = sla_settings_version + 1
   where id = (case when tg_op = 'DELETE' then old.account_id else new.account_id end);
  return null;
end;
$$;

create trigger sla_policies_settings_version after insert or update or delete on sla_policies
  for each row execute function rapport_bump_sla_settings();
create trigger business_hours_schedules_settings_version after insert or update or delete on business_hours_schedules
  for each row execute function rapport_bump_sla_settings();
create trigger inboxes_settings_version after insert or delete or update of business_hours, business_hours_id on inboxes
  for each row execute function rapport_bump_sla_settings();
create trigger teams_settings_version after insert or delete or update of business_hours, business_hours_id on teams
  for each row execute function rapport_bump_sla_settings();
`;
