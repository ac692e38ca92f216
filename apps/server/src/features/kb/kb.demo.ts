/**
 * The demo workspace's knowledge base (Northwind Cycles): a few published articles in three
 * categories, one internal article for the team and one German translation, written through the
 * same commands as the API so they have revisions like any other article.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../core/db/schema.js';
import { helpCenterOf } from './help-center-address.js';
import { scoped } from '../../core/db/tenant.js';
import { createArticle, saveTranslation } from './articles.store.js';

interface DemoArticle {
  section: string;
  title: string;
  description: string;
  keywords: string[];
  body: string;
  visibility?: 'internal';
  de?: { title: string; body: string };
}

const structure: Array<{ names: Record<string, string>; slug: string; sections: Array<{ names: Record<string, string>; slug: string }> }> = [
  { names: { en: 'Orders and delivery', de: 'Bestellung und Lieferung' }, slug: 'orders-and-delivery', sections: [{ names: { en: 'Shipping', de: 'Versand' }, slug: 'shipping' }, { names: { en: 'Returns and refunds', de: 'Rückgabe und Erstattung' }, slug: 'returns-and-refunds' }] },
  { names: { en: 'Your bike', de: 'Dein Fahrrad' }, slug: 'your-bike', sections: [{ names: { en: 'Care and maintenance', de: 'Pflege und Wartung' }, slug: 'care-and-maintenance' }, { names: { en: 'Warranty', de: 'Garantie' }, slug: 'warranty' }] },
  { names: { en: 'Account and billing', de: 'Konto und Rechnung' }, slug: 'account-and-billing', sections: [{ names: { en: 'Payments and invoices', de: 'Zahlung und Rechnungen' }, slug: 'payments-and-invoices' }] },
];

const articles: DemoArticle[] = [
  {
    section: 'shipping',
    title: 'When will my order arrive?',
    description: 'Delivery times for bikes, parts and accessories, and how to track your parcel.',
    keywords: ['delivery', 'shipping', 'tracking', 'parcel'],
    body: `Most orders leave our workshop in Leeds within **one working day**.

| What you ordered | UK | EU |
| --- | --- | --- |
| Parts and accessories | 1–2 days | 3–5 days |
| Complete bikes | 2–3 days | 4–7 days |

## Tracking your parcel

1. Open the shipping confirmation email we sent you.
2. Choose **Track parcel**; the link opens the carrier's page.
3. Tracking starts a few hours after the parcel leaves us.

> [!TIP]
> Bikes travel in a large box and need a signature. If nobody is home, the carrier leaves a card and tries again the next working day.`,
    de: {
      title: 'Wann kommt meine Bestellung an?',
      body: `Die meisten Bestellungen verlassen unsere Werkstatt innerhalb von **einem Werktag**. Teile und Zubehör sind in der EU in 3–5 Tagen bei dir, komplette Räder in 4–7 Tagen.

> [!TIP]
> Räder kommen in einem großen Karton und müssen persönlich angenommen werden.`,
    },
  },
  {
    section: 'shipping',
    title: 'Changing the delivery address',
    description: 'How to change where your order goes before and after it ships.',
    keywords: ['address', 'delivery', 'change order'],
    body: `You can change the address **until the order ships**: write to us in the chat with your order number and the new address.

After it ships, the carrier can redirect the parcel from the tracking page for most UK addresses.

> [!WARNING]
> We cannot send a bike to a parcel locker or a PO box: it is too big.`,
  },
  {
    section: 'returns-and-refunds',
    title: 'Returning an item',
    description: '30 days to return anything unused; free returns labels for UK orders.',
    keywords: ['return', 'refund', 'exchange', 'label'],
    body: `You have **30 days** from delivery to return anything that is unused and in its original packaging.

1. Start the return from *My orders* on our website, or ask us in the chat.
2. Print the free returns label (UK) and pack the item in its original box.
3. Drop it at any post office or parcel shop.

Refunds go back to the way you paid within **5 working days** of the return reaching us. Your bank may take another 2–3 days to show it.`,
  },
  {
    section: 'returns-and-refunds',
    title: 'Refund approvals over £500 (team only)',
    description: 'Who approves large refunds and what to check first.',
    keywords: ['refund', 'approval', 'internal'],
    visibility: 'internal',
    body: `Refunds over **£500** need a second pair of eyes.

- Check the return has arrived and been inspected (the *Returns* tab in the shop admin).
- Tag the conversation \`refund-approval\` and assign it to the **Billing** team.
- Liam or Sofia approves within one working day.

> [!IMPORTANT]
> Never promise a date for a large refund before it is approved.`,
  },
  {
    section: 'care-and-maintenance',
    title: 'Keeping your chain clean and quiet',
    description: 'A five-minute routine that makes your drivetrain last twice as long.',
    keywords: ['chain', 'lube', 'cleaning', 'squeak', 'maintenance'],
    body: `A clean, lubricated chain shifts better and lasts far longer.

## Every two weeks (or after a wet ride)

1. Wipe the chain with a dry rag while you turn the pedals backwards.
2. Put **one drop** of chain lube on each roller.
3. Wait five minutes, then wipe off the excess.

\`\`\`
Dry weather  → dry lube
Wet weather  → wet lube
\`\`\`

> [!NOTE]
> A chain that still squeaks after lubing may be worn. Any bike shop can measure it in a minute.`,
  },
  {
    section: 'care-and-maintenance',
    title: 'Tyre pressure: how hard should my tyres be?',
    description: 'Recommended pressures for road, gravel and city bikes.',
    keywords: ['tyre', 'tire', 'pressure', 'pump', 'flat'],
    body: `The right pressure depends on the tyre width and your weight. The range is printed on the side of the tyre.

- **Road (25–32 mm):** 5.5–7 bar
- **Gravel (38–45 mm):** 2.5–3.5 bar
- **City (40–50 mm):** 3–4 bar

Check the pressure **once a week**; tyres lose a little air every day.`,
  },
  {
    section: 'warranty',
    title: 'What does the warranty cover?',
    description: 'Five years on frames, two years on parts, and how to make a claim.',
    keywords: ['warranty', 'guarantee', 'broken', 'defect', 'claim'],
    body: `Every Northwind bike comes with:

- **5 years** on the frame and fork
- **2 years** on parts and paint

Wear parts (tyres, brake pads, chains) and crash damage are not covered.

## Making a claim

Send us your order number, a photo of the problem and a short description in the chat. We answer within one working day and, if it is covered, arrange a repair or replacement at no cost.`,
  },
  {
    section: 'payments-and-invoices',
    title: 'Downloading an invoice',
    description: 'Where to find VAT invoices for your orders.',
    keywords: ['invoice', 'receipt', 'vat', 'billing'],
    body: `Every order has a VAT invoice:

1. Sign in and open **My orders**.
2. Choose the order, then **Download invoice** (PDF).

Need the company name or VAT number on it? Ask us in the chat *before* the order ships and we will add them.`,
  },
];

/** Writes the demo categories, sections and articles into the workspace. */
export async function seedKnowledgeBase(db: Kysely<DB>, accountId: string, authorId: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const ws = scoped(trx, accountId);
    const sections = new Map<string, string>();
    for (const [position, c] of structure.entries()) {
      const category = await ws.insertInto('kb_categories', { names: JSON.stringify(c.names), slug: c.slug, position }).returning('id').executeTakeFirstOrThrow();
      for (const [i, s] of c.sections.entries()) {
        const section = await ws.insertInto('kb_sections', { category_id: category.id, names: JSON.stringify(s.names), slug: s.slug, position: i }).returning('id').executeTakeFirstOrThrow();
        sections.set(s.slug, section.id);
      }
    }
    for (const a of articles) {
      const id = await createArticle(trx, accountId, authorId, {
        locale: 'en',
        title: a.title,
        body: a.body,
        description: a.description,
        keywords: a.keywords,
        status: 'published',
        visibility: a.visibility ?? 'public',
        section_id: sections.get(a.section) ?? null,
      });
      if (a.de) await saveTranslation(trx, accountId, authorId, id, 'de', { ...a.de, status: 'published' });
    }
    // The help center offers the languages the demo articles are published in.
    await helpCenterOf(trx, accountId);
    await ws.updateTable('help_centers').set({ locales: ['en', 'de'], updated_at: new Date() }).execute();
  });
}
