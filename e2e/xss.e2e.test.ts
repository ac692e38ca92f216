// SECURITY 11 and 12: an XSS corpus in messages, file names and a contact name, shown in the widget (on a
// customer's site) and in the agent app, stays inert text everywhere: nothing runs, no element
// or javascript: link is created, and the text is shown as written.
import { createHmac } from 'node:crypto';
import type { Browser, Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebchatInbox, hostPage, ownerApi, startSite, type Api, type Site, type WebchatInbox } from '../apps/widget/tools/fixture.js';
import { samplePng } from '../apps/widget/tools/sample-files.js';
import { launchBrowser, newPage, signIn } from './browser.js';
import { startServer, type RunningServer } from './harness.js';

const corpus = [
  '<img src=x onerror="window.__xss=1">',
  '<svg onload="window.__xss=1"></svg>',
  '"><script>window.__xss=1</script>',
  'javascript:window.__xss=1',
  '[click me](javascript:window.__xss=1)',
  'https://example.com/"onmouseover="window.__xss=1"x=',
  'https://example.com/<img src=x onerror=window.__xss=1>',
  '<a href="javascript:window.__xss=1">link</a>',
  'Right-to-left \u202Egnp.exe',
];

let server: RunningServer;
let browser: Browser;
let api: Api;
let inbox: WebchatInbox;
let site: Site;

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  api = await ownerApi(server.url, server.owner.email, server.owner.password);
  site = await startSite();
  inbox = await createWebchatInbox(api, { name: 'Acme Support', allowed_origins: [site.origin] });
  const detail = await api.call<WebchatInbox>('GET', `/api/v1/inboxes/${inbox.id}`);
  const name = '<img src=x onerror="window.__xss=1"> Eve';
  const hash = createHmac('sha256', detail.identity_secret!).update('eve-1').digest('hex');
  // A signed-in customer whose name itself is a payload.
  site.html = hostPage(inbox.snippet, { settings: `window.RapportSettings = { user: ${JSON.stringify({ id: 'eve-1', name, email: 'eve@example.com', hash })} };` });
});

afterAll(async () => {
  await browser?.close();
  await site?.close();
  await server?.stop();
});

/** Nothing ran and no active content was created in this document. */
async function assertInert(target: Page | Frame): Promise<void> {
  const found = await target.evaluate(() => ({
    ran: (window as unknown as { __xss?: number }).__xss ?? 0,
    handlers: document.querySelectorAll('[onerror],[onload],[onmouseover]').length,
    scripts: Array.from(document.querySelectorAll('script')).filter((s) => !s.src && s.textContent?.includes('__xss=1') && !s.textContent.includes('RapportSettings')).length,
    jsLinks: Array.from(document.querySelectorAll('a[href]')).filter((a) => /^\s*javascript:/i.test(a.getAttribute('href') ?? '')).length,
    images: document.querySelectorAll('img[src="x"]').length,
  }));
  expect(found).toEqual({ ran: 0, handlers: 0, scripts: 0, jsLinks: 0, images: 0 });
}

describe('an XSS corpus', () => {
  it('stays text in the widget and in the agent app', async () => {
    const visitor = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await visitor.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(site.origin);
    const chat = page.frameLocator('iframe[title="Chat"]');
    await chat.getByRole('button', { name: 'Open chat' }).click();
    for (const payload of corpus) {
      const input = chat.getByLabel('Message');
      await input.fill(payload);
      await input.press('Enter');
      // Bubbles start with a screen-reader label ("You: "), so match the payload within them.
      await chat.getByText(payload).first().waitFor();
    }
    // The agent answers with the same corpus.
    const list = await api.call<{ data: Array<{ id: string; inbox: { id: string } }> }>('GET', '/api/v1/conversations?status=all');
    const conversationId = list.data.find((c) => c.inbox.id === inbox.id)!.id;
    for (const payload of corpus) await api.call('POST', `/api/v1/conversations/${conversationId}/messages`, { content: `Agent: ${payload}` });
    await chat.getByText(`Agent: ${corpus[corpus.length - 1]}`).waitFor();
    // …and sends files whose names are payloads: an image (shown in place) and a download.
    const files: Array<[string, Buffer, string]> = [
      ['<img src=x onerror="window.__xss=1">.png', samplePng(40, 30), 'image/png'],
      ['"><svg onload="window.__xss=1">\u202Etxt.exe', Buffer.from('just text'), 'text/plain'],
    ];
    const ids: string[] = [];
    for (const [name, bytes, type] of files) {
      const form = new FormData();
      form.append('file', new Blob([new Uint8Array(bytes)], { type }), name);
      const res = await fetch(`${server.url}/api/v1/conversations/${conversationId}/attachments`, { method: 'POST', headers: { authorization: `Bearer ${api.token}` }, body: form });
      expect(res.status, await res.clone().text()).toBe(201);
      ids.push(((await res.json()) as { id: string }).id);
    }
    await api.call('POST', `/api/v1/conversations/${conversationId}/messages`, { content: 'Agent: files', attachment_ids: ids });
    // File names are shown as text (the image's alt, the file's label), never as markup.
    await chat.getByRole('img', { name: files[0][0] }).waitFor();
    await chat.getByText('"><svg onload="window.__xss=1">txt.exe').first().waitFor();
    const frame = page.frames().find((f) => f.url().includes('/widget/frame'))!;
    await assertInert(page);
    await assertInert(frame);
    await visitor.close();

    const { context, page: agentPage } = await newPage(browser, server.url);
    await signIn(agentPage, server.owner.email, server.owner.password);
    await agentPage.waitForURL(/\/inbox/);
    await agentPage.goto(`/inbox/${conversationId}`);
    for (const payload of corpus) await agentPage.getByText(payload, { exact: true }).first().waitFor();
    await agentPage.getByText(`Agent: ${corpus[0]}`, { exact: true }).waitFor();
    await agentPage.getByRole('img', { name: files[0][0] }).waitFor();
    await agentPage.getByText('"><svg onload="window.__xss=1">txt.exe').first().waitFor();
    // The contact's name is shown as the text it is.
    await agentPage.getByText('<img src=x onerror="window.__xss=1"> Eve').first().waitFor();
    await assertInert(agentPage);
    await context.close();
  });
});
