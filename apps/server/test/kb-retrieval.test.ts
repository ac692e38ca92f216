/**
 * Retrieval as a customer meets it: questions in their own words find the article that answers
 * them — stemmed in each article's language, through typos and synonyms, better with what the
 * workspace learnt — and a question no article answers scores below the hand-over threshold.
 * Drafts, internal articles and other workspaces never appear.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordAnswered, recordVote, voterKey } from '../src/features/kb/feedback.js';
import { ANSWER_THRESHOLD, findArticles } from '../src/features/kb/retrieval.js';
import { scoped } from '../src/core/db/tenant.js';
import { makeWorkspace, startTestApp, type TestApp } from './helpers.js';
import { addTranslation, makeArticle } from './support/kb-content.js';

let t: TestApp;
let acme: string;
const ids: Record<string, string> = {};

const ARTICLES = {
  refunds: {
    title: 'Refunds',
    description: 'When and how we pay you back.',
    body: 'If you return an item within 30 days, we send your money back to the card you paid with.\n\nRefunds take 5 to 10 working days to show on your statement.\n\n## Gift cards\n\nOrders paid with a gift card are refunded as store credit.',
  },
  password: {
    title: 'Reset your password',
    description: 'Forgot your password? Set a new one.',
    body: 'Open the sign-in page and choose "Forgot password". We email you a link that is valid for one hour.\n\nIf the email does not arrive, check your spam folder.',
  },
  shipping: {
    title: 'Delivery times and tracking',
    description: 'How long parcels take, and where yours is now.',
    body: 'Parcels within the country arrive in 2 to 3 working days. International deliveries take up to 10 days.\n\nEvery parcel has a tracking number in your dispatch confirmation email.',
  },
  invoice: {
    title: 'Download an invoice',
    description: 'Invoices for your orders as PDF.',
    body: 'Go to Orders, open the order and choose Invoice. The PDF includes VAT.',
  },
  address: {
    title: 'Change the delivery address',
    description: 'Send an order somewhere else.',
    body: 'You can change where an order goes until it is dispatched: open the order and edit the address.',
  },
  warranty: {
    title: 'Warranty claims',
    description: 'A product broke? Our two-year warranty covers it.',
    body: 'Every product has a two-year warranty. If something stops working, send us a photo and your order number and we replace or repair it.',
  },
};

beforeAll(async () => {
  t = await startTestApp();
  acme = (await makeWorkspace(t, 'Acme')).accountId;
  for (const [key, a] of Object.entries(ARTICLES)) ids[key] = await makeArticle(t.ctx.db, acme, a);
  await addTranslation(t.ctx.db, acme, ids.refunds!, {
    locale: 'de',
    title: 'Rückerstattungen',
    description: 'Wann und wie Sie Ihr Geld zurückbekommen.',
    body: 'Wenn Sie einen Artikel innerhalb von 30 Tagen zurücksenden, erstatten wir den Betrag auf Ihre Karte.\n\nDie Gutschrift dauert 5 bis 10 Werktage.',
  });
  await addTranslation(t.ctx.db, acme, ids.shipping!, { locale: 'de', title: 'Lieferzeiten und Sendungsverfolgung', body: 'Pakete kommen innerhalb von 2 bis 3 Werktagen an. Jede Sendung hat eine Sendungsnummer.' });
});
afterAll(() => t.close());

const top = async (q: string, o: { locale?: string; onlyLocale?: boolean; audience?: 'public' | 'agent' } = {}) => findArticles(t.ctx.db, acme, { q, audience: o.audience ?? 'public', locale: o.locale, onlyLocale: o.onlyLocale });

describe('findArticles', () => {
  it('answers a question written in the customer\'s own words, with the passage that answers it', async () => {
    const [hit] = await top('how do i get my money back?');
    expect(hit?.article_id).toBe(ids.refunds);
    expect(hit!.score).toBeGreaterThanOrEqual(ANSWER_THRESHOLD);
    expect(hit!.passage).toContain('money back');
    expect((await top('when will my parcel arrive'))[0]?.article_id).toBe(ids.shipping);
    expect((await top('I need a pdf invoice for my order'))[0]?.article_id).toBe(ids.invoice);
  });

  it('stems in each article\'s language and folds accents', async () => {
    expect((await top('refunding', { locale: 'en' }))[0]?.article_id).toBe(ids.refunds);
    const german = await top('Wann bekomme ich die Rückerstattung?', { locale: 'de', onlyLocale: true });
    expect(german[0]).toMatchObject({ article_id: ids.refunds, locale: 'de', title: 'Rückerstattungen' });
    // German stemming: "Werktagen" matches "Werktage"; no accents typed: "ruckerstattungen".
    expect((await top('ruckerstattungen', { locale: 'de', onlyLocale: true }))[0]?.locale).toBe('de');
    expect((await top('Sendungsnummer Lieferzeit', { locale: 'de', onlyLocale: true }))[0]?.article_id).toBe(ids.shipping);
  });

  it('tolerates typos by correcting words to words the articles use', async () => {
    expect((await top('pasword resett'))[0]?.article_id).toBe(ids.password);
    expect((await top('warrenty claim'))[0]?.article_id).toBe(ids.warranty);
    expect((await top('refnud'))[0]?.article_id).toBe(ids.refunds);
  });

  it('leaves a real word alone when the articles use another form of it, instead of correcting it to a look-alike', async () => {
    const w = (await makeWorkspace(t)).accountId;
    const parking = await makeArticle(t.ctx.db, w, { title: 'Visiting our store', body: 'Parking is free in the yard behind the store for two hours.' });
    await makeArticle(t.ctx.db, w, { title: 'How orders leave the warehouse', body: 'Orders are packed within a day and handed to the carrier.' });
    // "parked" is one edit from "packed", but it is a form of "parking".
    const [hit] = await findArticles(t.ctx.db, w, { q: 'where can my car be parked', audience: 'public' });
    expect(hit?.article_id).toBe(parking);
  });

  it('knows the words customers use for common topics without any synonym group of the workspace', async () => {
    // "erase" is in no article and one edit from "ease"; the built-in groups know it means closing.
    const w = (await makeWorkspace(t)).accountId;
    const close = await makeArticle(t.ctx.db, w, { title: 'Close your account', body: 'Go to Account > Privacy and choose Close account.' });
    for (const [title, body] of [
      ['Account security', 'Protect your account with two-step verification. Ease of use matters.'],
      ['Orders in your account', 'Every order you place is listed in your account.'],
      ['Account addresses', 'Saved addresses in your account are suggested at checkout.'],
    ]) await makeArticle(t.ctx.db, w, { title: title!, body: body! });
    const [hit] = await findArticles(t.ctx.db, w, { q: 'please erase my account', audience: 'public' });
    expect(hit?.article_id).toBe(close);
  });

  it('scores a question no article answers below the hand-over threshold', async () => {
    for (const q of ['do you sell bicycles in Japan', 'can I pay with bitcoin', 'what is your CEO\'s name']) {
      const [hit] = await top(q);
      expect(hit?.score ?? 0, q).toBeLessThan(ANSWER_THRESHOLD);
    }
    expect(await top('the and of')).toEqual([]);
    expect(await top('   ')).toEqual([]);
  });

  it('uses the synonym groups an admin added', async () => {
    // Slang no built-in group knows ("kaput" is built in: it already finds the warranty).
    expect((await top('it is kaput'))[0]?.article_id).toBe(ids.warranty);
    const before = await top('it is knackered');
    expect(before[0]?.article_id === ids.warranty && before[0].score >= ANSWER_THRESHOLD).toBe(false);
    await scoped(t.ctx.db, acme).insertInto('kb_synonyms', { terms: ['knackered', 'stops working', 'broke'] }).execute();
    const after = await top('it is knackered');
    expect(after[0]?.article_id).toBe(ids.warranty);
    expect(after[0]!.score).toBeGreaterThanOrEqual(ANSWER_THRESHOLD);
  });

  it('learns which article resolved a question, and lowers one that did not help', async () => {
    const q = 'where do i find my receipt for accounting';
    const before = (await top(q)).find((h) => h.article_id === ids.invoice);
    for (let i = 0; i < 3; i++) await recordAnswered(t.ctx.db, acme, { articleId: ids.invoice!, question: q, helped: true, deflected: true });
    const after = (await top(q))[0];
    expect(after?.article_id).toBe(ids.invoice);
    expect(after!.score).toBeGreaterThan(before?.score ?? 0);
    expect(after!.score).toBeGreaterThanOrEqual(ANSWER_THRESHOLD);

    const asked = 'change my address after dispatch';
    const first = (await top(asked)).find((h) => h.article_id === ids.address)!;
    for (let i = 0; i < 3; i++) await recordAnswered(t.ctx.db, acme, { articleId: ids.address!, question: asked, helped: false, deflected: false });
    const later = (await top(asked)).find((h) => h.article_id === ids.address);
    expect(later?.score ?? 0).toBeLessThan(first.score);
  });

  it('takes helpful votes as a small prior', async () => {
    const w = (await makeWorkspace(t)).accountId;
    const a = await makeArticle(t.ctx.db, w, { title: 'Opening hours', body: 'Our stores open at nine.' });
    const b = await makeArticle(t.ctx.db, w, { title: 'Opening hours', body: 'Our stores open at nine.' });
    for (let i = 0; i < 5; i++) await recordVote(t.ctx.db, w, { articleId: b, locale: 'en', voterKey: voterKey('reader', `r${i}`), helpful: true });
    const hits = await findArticles(t.ctx.db, w, { q: 'opening hours', audience: 'public' });
    expect(hits.map((h) => h.article_id)).toEqual([b, a]);
    expect(hits[0]!.score - hits[1]!.score).toBeLessThan(0.1);
  });

  it('keeps drafts, internal articles (for the public) and other workspaces out', async () => {
    const w = (await makeWorkspace(t)).accountId;
    const other = (await makeWorkspace(t)).accountId;
    await makeArticle(t.ctx.db, w, { title: 'Lost parcel claims', body: 'File a lost parcel claim.', status: 'draft' });
    const internal = await makeArticle(t.ctx.db, w, { title: 'Lost parcel escalation', body: 'Escalate lost parcel claims to the carrier.', visibility: 'internal' });
    await makeArticle(t.ctx.db, other, { title: 'Lost parcel', body: 'Lost parcel lost parcel.' });
    expect(await findArticles(t.ctx.db, w, { q: 'lost parcel', audience: 'public' })).toEqual([]);
    expect((await findArticles(t.ctx.db, w, { q: 'lost parcel', audience: 'agent' })).map((h) => h.article_id)).toEqual([internal]);
    // A typo is not corrected to a word only a draft or another workspace uses.
    expect(await findArticles(t.ctx.db, w, { q: 'lost parcl claims', audience: 'public' })).toEqual([]);
  });
});
