/**
 * Reactions (core/reactions.ts): every outbox event is marked for the reactors (routing, SLA,
 * automation) as it is written — a column default, so every writer of events is covered, including
 * the one-statement message writer — and the dispatcher clears the mark in the transaction that
 * runs them. The purge keeps marked events.
 */
export default /* sql */ `
-- Events written before this version are not reacted to (they happened before any reactor existed).
alter table outbox_events add column react_pending boolean not null default false;
alter table outbox_events alter column react_pending set default true;
create index outbox_events_react_pending_idx on outbox_events (id) where react_pending;
`;
