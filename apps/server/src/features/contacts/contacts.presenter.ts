/** The JSON shape of a contact, for the API and the contact.updated event alike. */
export const CONTACT_COLUMNS = ['id', 'name', 'email', 'phone', 'company', 'created_at'] as const;

export type ContactRow = { id: string; name: string; email: string | null; phone: string | null; company: string | null; created_at: Date };

export const presentContact = (c: ContactRow) => ({ id: c.id, name: c.name, email: c.email, phone: c.phone, company: c.company, created_at: c.created_at.toISOString() });
