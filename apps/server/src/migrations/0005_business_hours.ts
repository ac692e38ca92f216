/** When an inbox is staffed: a weekly schedule in one time zone, with holidays (null: always open). */
export default /* sql */ `
alter table inboxes add column business_hours jsonb;
`;
