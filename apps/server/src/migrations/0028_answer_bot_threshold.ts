/**
 * Retrieval's hand-over threshold is now 0.35 (calibrated again with section scoring). Inboxes
 * whose bot still has the old default, 0.3, move with it; a threshold an admin chose stays.
 */
export default /* sql */ `
alter table answer_bot_settings alter column threshold set default 0.35;
update answer_bot_settings set threshold = 0.35 where threshold = 0.3::real;
`;
