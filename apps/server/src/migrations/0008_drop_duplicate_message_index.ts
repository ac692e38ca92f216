/**
 * messages_conversation_seq_idx repeated the index that unique (conversation_id, seq) already
 * keeps; every message paid for writing both.
 */
export default /* sql */ `
drop index if exists messages_conversation_seq_idx;
`;
