/**
 * The conversation list's common pairings of a status with an assignee, in the list's order, so
 * such a page is read in order instead of filtered out of every conversation with that status:
 * "my open ones" (an assignee is an equality, so the composite index keeps the order) and "open
 * and unassigned" (IS NULL does not keep a composite index's order in the planner's eyes, so a
 * partial index holds the unassigned ones).
 */
export default /* sql */ `
create index conversations_status_assignee_idx on conversations (account_id, status, assignee_id, last_message_at desc, id desc);
create index conversations_unassigned_idx on conversations (account_id, status, last_message_at desc, id desc) where assignee_id is null;
`;
