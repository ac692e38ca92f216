// The composer's files and emoji, and how the thread shows attachments, on the demo workspace.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentPage, gradientPng, samplePdf } from './agents.js';
import { launchBrowser } from './browser.js';
import { startDemoServer, type RunningServer } from './harness.js';

let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  server = await startDemoServer();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function openConversation(customer: string) {
  const opened = await agentPage(browser, server, server.owner.email, server.owner.password);
  await opened.page.getByRole('link', { name: new RegExp(customer) }).first().click();
  await opened.page.getByRole('form', { name: 'Write a message' }).waitFor();
  return opened;
}

async function attach(page: Page, files: Array<{ name: string; mimeType: string; buffer: Buffer }>) {
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Attach files' }).click();
  await (await chooser).setFiles(files);
}

describe('composer attachments', () => {
  it('sends a PNG and a PDF without text: the image shows inline, the PDF as a download link', async () => {
    const { context, page } = await openConversation('Natalie Brooks');
    await attach(page, [
      { name: 'trail-runner.png', mimeType: 'image/png', buffer: gradientPng(160, 100) },
      { name: 'size-chart.pdf', mimeType: 'application/pdf', buffer: samplePdf() },
    ]);
    const chips = page.getByRole('list', { name: 'Files to send' });
    await chips.getByText('trail-runner.png').waitFor();
    await chips.getByText('size-chart.pdf').waitFor();
    // Both uploaded: no progress bars left, and Send is enabled with no text at all.
    await expect.poll(() => chips.locator('[data-state="done"]').count()).toBe(2);
    const send = page.getByRole('button', { name: 'Send' });
    expect(await send.isEnabled()).toBe(true);
    await send.click();
    await chips.waitFor({ state: 'detached' });

    const thread = page.getByRole('list', { name: 'Messages' });
    const image = thread.getByRole('img', { name: 'trail-runner.png' });
    await image.waitFor();
    await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(160);
    // A click opens the full-size image in a new tab.
    const imageLink = thread.getByRole('link', { name: 'trail-runner.png' });
    expect(await imageLink.getAttribute('target')).toBe('_blank');
    expect(await imageLink.getAttribute('rel')).toContain('noopener');

    const download = thread.getByRole('link', { name: 'Download size-chart.pdf' });
    await download.waitFor();
    const href = (await download.getAttribute('href'))!;
    expect(href).toMatch(/^\/api\/v1\/attachments\/[0-9a-f-]{36}\?download=1$/);
    const file = await page.request.get(href);
    expect(file.status()).toBe(200);
    expect(file.headers()['content-disposition']).toMatch(/^attachment/);
    expect((await file.body()).subarray(0, 5).toString()).toBe('%PDF-');
    await context.close();
  });

  it("refuses an HTML file renamed .png with the server's message, beside its chip", async () => {
    const { context, page } = await openConversation('Yuki Tanaka');
    const html = Buffer.from('<!doctype html><html><body><script>alert(1)</script></body></html>');
    await attach(page, [{ name: 'not-a-picture.png', mimeType: 'image/png', buffer: html }]);

    // What the server says about this file, asked directly with the same session.
    const conversationId = /\/inbox\/([0-9a-f-]{36})/.exec(page.url())![1];
    const direct = await page.request.post(`/api/v1/conversations/${conversationId}/attachments`, {
      headers: { origin: server.url },
      multipart: { file: { name: 'not-a-picture.png', mimeType: 'image/png', buffer: html } },
    });
    expect(direct.status()).toBe(415);
    const { error } = (await direct.json()) as { error: { message: string } };

    const chip = page.getByRole('list', { name: 'Files to send' }).getByRole('listitem').filter({ hasText: 'not-a-picture.png' });
    await chip.getByRole('alert').waitFor();
    expect(await chip.getByRole('alert').textContent()).toBe(error.message);
    expect(await page.getByRole('button', { name: 'Send' }).isDisabled()).toBe(true);
    await chip.getByRole('button', { name: 'Remove not-a-picture.png' }).click();
    await chip.waitFor({ state: 'detached' });
    await context.close();
  });

  it('attaches files dropped on the composer or pasted into it', async () => {
    const { context, page } = await openConversation('Tom Okafor');
    await page.getByRole('form', { name: 'Write a message' }).evaluate((form) => {
      const files = new DataTransfer();
      files.items.add(new File(['Order 55812\nBox dented on arrival\n'], 'damage-report.txt', { type: 'text/plain' }));
      form.dispatchEvent(new DragEvent('dragover', { bubbles: true, cancelable: true, dataTransfer: files }));
      form.dispatchEvent(new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer: files }));
    });
    await page.getByRole('textbox', { name: 'Reply' }).evaluate((input) => {
      const files = new DataTransfer();
      files.items.add(new File(['a,b\n1,2\n'], 'stock.csv', { type: 'text/csv' }));
      input.dispatchEvent(new ClipboardEvent('paste', { bubbles: true, cancelable: true, clipboardData: files }));
    });
    const chips = page.getByRole('list', { name: 'Files to send' });
    await expect.poll(() => chips.locator('[data-state="done"]').count()).toBe(2);
    expect(await chips.getByRole('listitem').allTextContents()).toEqual([expect.stringContaining('damage-report.txt'), expect.stringContaining('stock.csv')]);
    // Nothing pasted into the text itself.
    expect(await page.getByRole('textbox', { name: 'Reply' }).inputValue()).toBe('');
    await context.close();
  });

  it('the emoji picker inserts at the cursor and works from the keyboard', async () => {
    const { context, page } = await openConversation('Priya Patel');
    const reply = page.getByRole('textbox', { name: 'Reply' });
    await reply.fill('Thanks for waiting!');
    await reply.press('Home');
    for (let i = 0; i < 'Thanks'.length; i++) await reply.press('ArrowRight');

    await page.getByRole('button', { name: 'Emoji' }).click();
    const grid = page.getByRole('group', { name: 'Pick an emoji' });
    await grid.waitFor();
    expect(await grid.getByRole('button').count()).toBeGreaterThanOrEqual(50);
    // Focus starts on the first emoji; arrows move, Enter picks.
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('grinning face');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('face blowing a kiss');
    await page.keyboard.press('Enter');
    await grid.waitFor({ state: 'hidden' });
    expect(await reply.inputValue()).toBe('Thanks😘 for waiting!');
    await page.keyboard.type(' a lot');
    expect(await reply.inputValue()).toBe('Thanks😘 a lot for waiting!');
    await context.close();
  });
});
