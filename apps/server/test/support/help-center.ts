/** A workspace with a small bilingual help center (en, de), for the help center's tests. */
import { scoped } from '../../src/core/db/tenant.js';
import { helpCenterOf } from '../../src/features/kb/help-center-address.js';
import { makeWorkspace, type TestApp } from '../helpers.js';
import { addTranslation, makeArticle, makeCategory, makeSection } from './kb-content.js';

export async function setupHelpCenter(t: TestApp, name: string) {
  const { accountId, owner } = await makeWorkspace(t, name);
  const hc = await helpCenterOf(t.ctx.db, accountId);
  await scoped(t.ctx.db, accountId)
    .updateTable('help_centers')
    .set({ locales: ['en', 'de'], theme: JSON.stringify({ contact_url: 'mailto:help@acme.example' }) })
    .execute();
  const billing = await makeCategory(t.ctx.db, accountId, { en: 'Billing & payments', de: 'Abrechnung' }, { en: 'Invoices, refunds and ways to pay.' });
  const returns = await makeSection(t.ctx.db, accountId, billing, { en: 'Returns', de: 'Rücksendungen' });
  const refunds = await makeArticle(t.ctx.db, accountId, {
    title: 'Refunds',
    description: 'When and how we pay you back.',
    sectionId: returns,
    body: 'If you return an item within 30 days, we send your money back to the card you paid with.\n\nRefunds take 5 to 10 working days.\n\n## Gift cards\n\nOrders paid with a gift card are refunded as store credit.',
  });
  await addTranslation(t.ctx.db, accountId, refunds, { locale: 'de', title: 'Rückerstattungen', description: 'Wann Sie Ihr Geld zurückbekommen.', body: 'Wir erstatten den Betrag innerhalb von 10 Werktagen.' });
  const labels = await makeArticle(t.ctx.db, accountId, { title: 'Return labels', sectionId: returns, body: 'Print the return label from your account.' });
  const faq = await makeArticle(t.ctx.db, accountId, { title: 'Can I return a used bike?', description: 'Yes, within 30 days if it is undamaged.', sectionId: returns, body: 'Yes, within 30 days if it is undamaged.' });
  const draft = await makeArticle(t.ctx.db, accountId, { title: 'Draft about refunds', status: 'draft', sectionId: returns, body: 'Refunds draft.' });
  const internal = await makeArticle(t.ctx.db, accountId, { title: 'Internal refund rules', visibility: 'internal', sectionId: returns, body: 'Refunds over 500 need approval.' });
  return { accountId, owner, slug: hc.slug, billing, returns, refunds, labels, faq, draft, internal };
}
