/**
 * Live chat's finishing touches: an agent's chosen availability and when their app was last
 * active (presence), and how far each side of a conversation has read (read receipts).
 */
export default /* sql */ `
alter table memberships
  add column availability text not null default 'online' check (availability in ('online', 'away', 'offline')),
  add column idle boolean not null default false,
  add column last_active_at timestamptz;

alter table conversations
  add column contact_last_read_seq integer not null default 0,
  add column agent_last_read_seq integer not null default 0;
`;
