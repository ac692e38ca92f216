/**
 * The conversation list's common pairings: a status with an assignee ("open and unassigned",
 * "my open ones"), in the list's order, so such a page is read in order instead of filtered out
 * of every conversation with that status.
 */
export default /* sql */ `
create index conversations_status_assignee_idx on conversations (account_id, status, assignee_id, last_message_at desc, id desc);
`;
