import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, EmailQuarantined, parseEmail, type ParsedEmail } from './parse.js';
import { cutHtmlQuotes } from './parse-html-quotes.js';
import { countRemoteImages, sanitizeEmailHtml } from './parse-sanitize.js';
import { cutTextQuotes } from './quotes.js';

const CORPUS = new URL('../../../../test/fixtures/email/', import.meta.url);
const corpusFiles = readdirSync(CORPUS).filter((name) => name.endsWith('.eml')).sort();
const raw = (name: string): Buffer => readFileSync(new URL(name, CORPUS));
const parsed = new Map<string, Promise<ParsedEmail>>();
const fixture = (name: string): Promise<ParsedEmail> => {
  if (!parsed.has(name)) parsed.set(name, parseEmail(raw(name)));
  return parsed.get(name) as Promise<ParsedEmail>;
};
const crlf = (text: string): Buffer => Buffer.from(text.replace(/\r?\n/g, '\r\n'));

async function quarantineReason(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof EmailQuarantined) return error.reason;
    throw error;
  }
  throw new Error('the message was not quarantined');
}

describe('the corpus', () => {
  it('has a note on every file and parses every file', async () => {
    expect(corpusFiles.length).toBeGreaterThanOrEqual(18);
    for (const name of corpusFiles) {
      expect(raw(name).toString('latin1'), name).toMatch(/^X-Corpus-Note: .{10,}$/m);
      await expect(fixture(name), name).resolves.toBeTruthy();
    }
  });

  it('multipart/alternative: addresses, ids and the text as written', async () => {
    const mail = await fixture('alternative.eml');
    expect(mail.messageId).toBe('CAB1042.order@customer.example');
    expect(mail.from).toEqual({ address: 'ben.buyer@customer.example', name: 'Ben Buyer' });
    expect(mail.replyTo).toEqual([{ address: 'orders@customer.example', name: 'Orders Desk' }]);
    expect(mail.to.map((a) => a.address)).toEqual(['support@rapport.test', 'sales@rapport.test']);
    expect(mail.cc).toEqual([{ address: 'bjorn@customer.example', name: 'Björn Åberg' }]);
    // Delivered-To and X-Original-To name the same mailbox in two spellings.
    expect(mail.deliveredTo).toEqual(['support@rapport.test']);
    expect(mail.subject).toBe('Where is my order #1042?');
    expect(mail.date?.toISOString()).toBe('2025-03-03T09:15:00.000Z');
    expect(mail.visibleText).toBe(mail.text.trim());
    expect(mail.visibleText).toContain('Could you check where it is?\n\nThanks,\nBen');
    expect(mail.html).toContain('order <b>#1042</b>');
    expect(mail.hasQuoted).toBe(false);
    expect(mail.automated).toBeNull();
    expect(mail.authentication).toEqual({ spf: null, dkim: null, dmarc: null, suspicious: false, reason: null });
  });

  it('nested multipart: the inline logo keeps its cid, the PDF is a file', async () => {
    const mail = await fixture('nested-related.eml');
    expect(mail.visibleText).toBe('Please find invoice 42 attached.');
    expect(mail.html).toContain('src="cid:logo-1@shop.example"');
    expect(mail.attachments.map(({ filename, contentType, size, contentId, inline }) => ({ filename, contentType, size, contentId, inline }))).toEqual([
      { filename: 'logo.png', contentType: 'image/png', size: 70, contentId: 'logo-1@shop.example', inline: true },
      { filename: 'invoice-42.pdf', contentType: 'application/pdf', size: 142, contentId: null, inline: false },
    ]);
    expect(mail.attachments[1]?.content.subarray(0, 8).toString()).toBe('%PDF-1.4');
  });

  it('a forward marked inline is read into the text and stays visible', async () => {
    const mail = await fixture('forwarded-rfc822.eml');
    expect(mail.attachments).toEqual([]);
    expect(mail.text).toContain('Subject: Your order 123 is delayed');
    expect(mail.visibleText).toContain('Hi, see the message from your courier below. Is this right?');
    expect(mail.visibleText).toContain('Your parcel 123 will be delivered next week.');
    expect(mail.hasQuoted).toBe(false);
  });

  it('a forward as attachment is kept whole as an .eml file', async () => {
    const source = raw('forwarded-rfc822.eml').toString('latin1').replace('Content-Type: message/rfc822\nContent-Disposition: inline', 'Content-Type: message/rfc822\nContent-Disposition: attachment');
    const mail = await parseEmail(Buffer.from(source, 'latin1'));
    expect(mail.text).not.toContain('Your parcel 123');
    expect(mail.attachments).toHaveLength(1);
    expect(mail.attachments[0]).toMatchObject({ filename: 'attachment.eml', contentType: 'message/rfc822', inline: false });
    expect(mail.attachments[0]?.content.toString()).toContain('Message-ID: <order-123@courier.example>');
  });

  it('Outlook desktop: the bordered From/Sent block and all after it are history', async () => {
    const mail = await fixture('outlook-desktop-reply.eml');
    expect(mail.visibleText).toBe('Hi team,\n\nThe invoice is attached now.\n\nKind regards\nErik');
    expect(mail.visibleHtml).toContain('Kind regards');
    expect(mail.visibleHtml).not.toMatch(/From:|Sent:|could you send the invoice/);
    expect(mail.html).toContain('Hello Erik, could you send the invoice?');
    expect(mail.html).not.toMatch(/MsoNormal|WordSection1|<style|<o:p/);
    expect(mail.hasQuoted).toBe(true);
    expect(mail.inReplyTo).toEqual(['r-55-1@rapport.test']);
  });

  it('Outlook on the web: cut at appendonsend, with the <hr> and divRplyFwdMsg', async () => {
    const mail = await fixture('outlook-web-reply.eml');
    expect(mail.visibleText).toBe('The reset link worked, thank you!');
    expect(mail.visibleHtml).toContain('The reset link worked, thank you!');
    expect(mail.visibleHtml).not.toMatch(/divRplyFwdMsg|<hr|new reset link/);
    expect(mail.html).toContain('id="divRplyFwdMsg"');
    expect(mail.references).toEqual(['r-60-1@rapport.test', 'r-60-2@rapport.test']);
  });

  it('Gmail: gmail_quote and gmail_signature are cut, "-- " and "On … wrote:" in the text too', async () => {
    const mail = await fixture('gmail-reply.eml');
    expect(mail.visibleText).toBe('Thanks, that fixed it!');
    expect(mail.visibleHtml).toContain('Thanks, that fixed it!');
    expect(mail.visibleHtml).not.toMatch(/gmail_quote|gmail_signature|Head of Operations|restart the router/);
    expect(mail.html).toMatch(/class="gmail_quote gmail_quote_container"/);
    expect(mail.hasQuoted).toBe(true);
    expect(mail.inReplyTo).toEqual(['r-42-1@rapport.test']);
    expect(mail.references).toEqual(['r-42-0@rapport.test', 'r-42-1@rapport.test']);
    expect(mail.messageId).toBe('CAF7x9Q=abc123+Yq@mail.gmail.com');
  });

  it('Apple Mail: the cite blockquote, with its attribution inside, is history', async () => {
    const mail = await fixture('apple-mail-reply.eml');
    expect(mail.visibleText).toBe('Yes, Tuesday works for me.\n\nBest,\nDana');
    expect(mail.visibleHtml).toContain('Dana');
    expect(mail.visibleHtml).not.toMatch(/blockquote|Tuesday at 10:00/);
    expect(mail.html).toContain('<blockquote type="cite">');
  });

  it('Thunderbird in German: moz-signature, moz-cite-prefix and its blockquote are cut', async () => {
    const mail = await fixture('thunderbird-reply.eml');
    expect(mail.from).toEqual({ address: 'greg@mail.example', name: 'Greg Grün' });
    expect(mail.visibleText).toBe('Danke, ich probiere das aus.');
    expect(mail.visibleHtml).toContain('Danke, ich probiere das aus.');
    expect(mail.visibleHtml).not.toMatch(/Greg|schrieb|Cache/);
  });

  it('Windows-1252: euro sign, dash and curly quotes in subject, name and body', async () => {
    const mail = await fixture('windows-1252.eml');
    expect(mail.subject).toBe('Rechnung über 50 € – “dringend”');
    expect(mail.from?.name).toBe('Jürgen Müller');
    expect(mail.text).toContain('die Rechnung über 50 € ist noch offen – bitte “schnell” zahlen. Das ist ein sehr langer Satz, damit der Zeilenumbruch greift.');
    expect(mail.text).toContain('Grüße\nJürgen');
  });

  it('ISO-2022-JP: subject, name and body', async () => {
    const mail = await fixture('iso-2022-jp.eml');
    expect(mail.subject).toBe('お問い合わせ');
    expect(mail.from?.name).toBe('山田太郎');
    expect(mail.visibleText).toBe('こんにちは。\n注文番号は１２３です。\nよろしくお願いします。');
  });

  it('encoded file names are decoded, and stripped of folders, ../ and direction overrides', async () => {
    const mail = await fixture('encoded-filenames.eml');
    expect(mail.attachments.map((a) => [a.filename, a.contentType, a.size])).toEqual([
      ['Rechnung März 2025.pdf', 'application/pdf', 142],
      ['Привет.txt', 'text/plain', 7],
      ['passwd', 'text/plain', 33],
      ['日本語.txt', 'text/plain', 9],
      ['invoicefdp.exe', 'application/octet-stream', 12],
      ['attachment.png', 'image/png', 70],
    ]);
    for (const { filename } of mail.attachments) {
      // eslint-disable-next-line no-control-regex -- matching control characters is the point
      expect(filename).not.toMatch(/[/\\\u0000-\u001f\u202e]|^\./);
    }
  });

  it('a boundary that never closes still gives both parts', async () => {
    const mail = await fixture('malformed-boundary-unclosed.eml');
    expect(mail.visibleText).toBe('First part: the printer shows error E-17.');
    expect(mail.html).toBe('<p>Second part: the printer shows <b>error E-17</b>.\n</p>');
  });

  it('a body using another boundary than declared is recovered, part by part', async () => {
    const mail = await fixture('malformed-boundary-mismatch.eml');
    expect(mail.visibleText).toBe('The real text: my account is locked.');
    expect(mail.attachments.map((a) => [a.filename, a.contentType])).toEqual([['log.csv', 'text/csv']]);
  });

  it('without any usable boundary the raw body is shown; a well-formed empty message stays empty', async () => {
    const lost = await parseEmail(crlf('Subject: x\nContent-Type: multipart/mixed; boundary="gone"\n\nJust text, no parts.\n'));
    expect(lost.text).toBe('Just text, no parts.');
    const empty = await parseEmail(crlf('Subject: x\nContent-Type: multipart/mixed; boundary="b"\n\n--b\nContent-Type: text/plain\n\n\n--b--\n'));
    expect(empty.text).toBe('');
  });

  it('an unknown charset is read as UTF-8, a bad byte becomes U+FFFD', async () => {
    const mail = await fixture('broken-charset.eml');
    expect(mail.subject).toBe('Grüße aus Köln');
    expect(mail.visibleText).toBe('Grüße aus Köln, bad byte here: [\uFFFD] end.');
  });

  it('an out-of-office reply is automated', async () => {
    const mail = await fixture('auto-reply.eml');
    expect(mail.automated).toEqual({ kind: 'auto-reply', reason: 'Auto-Submitted: auto-replied' });
    expect(mail.bounce).toBeNull();
    expect(mail.inReplyTo).toEqual(['r-90-1@rapport.test']);
  });

  it('a newsletter is bulk, and its remote images are blocked and counted', async () => {
    const mail = await fixture('newsletter-bulk.eml');
    expect(mail.automated).toEqual({ kind: 'bulk', reason: 'Precedence: bulk' });
    expect(mail.subject).toBe('This week’s deals');
    expect(mail.remoteImages).toBe(3);
    expect(mail.html).not.toMatch(/\ssrc="/);
    expect(mail.html).toContain('data-remote-src="https://track.gadgets.example/open/8f3a.gif"');
    expect(mail.html).not.toMatch(/<title|This week's deals<|<style/);
    // "--" in a table cell is no signature.
    expect(mail.visibleHtml).toBe(mail.html);
    expect(mail.hasQuoted).toBe(false);
  });

  it('a delivery report is a bounce naming the recipient, the status and our original message', async () => {
    const mail = await fixture('dsn-bounce.eml');
    expect(mail.automated).toEqual({ kind: 'bounce', reason: 'Content-Type: multipart/report; report-type=delivery-status' });
    expect(mail.bounce).toEqual({
      originalMessageId: 'r-bounced-1@rapport.test',
      recipient: 'nobody@customer.example',
      status: '5.1.1',
      diagnostic: '550 5.1.1 <nobody@customer.example>: Recipient address rejected: User unknown',
    });
    expect(mail.messageId).toBe('20250303100500.9D8E7F6A@mx.rapport.test');
    expect(mail.text).toContain('Final-Recipient: rfc822; Nobody@Customer.Example');
    expect(mail.visibleText).toMatch(/could not\nbe delivered/);
    expect(mail.visibleText).not.toContain('Final-Recipient');
    expect(mail.attachments.map((a) => [a.filename, a.contentType])).toEqual([['attachment.txt', 'text/rfc822-headers']]);
  });

  it("a spoofed sender is flagged from the receiving server's verdict, not the forged one below", async () => {
    const mail = await fixture('spoofed-sender.eml');
    expect(mail.authentication).toEqual({
      spf: 'fail',
      dkim: 'none',
      dmarc: 'fail',
      suspicious: true,
      reason: "The sender's domain failed DMARC checks at the receiving server (dmarc=fail).",
    });
    // The encoded subject hides a CRLF and a "Bcc:" line; it stays one line.
    expect(mail.subject).toBe('Urgent: verify your account Bcc: victim@example.com');
    expect(mail.replyTo).toEqual([{ address: 'collect@evil.example', name: '' }]);
  });

  it('hostile HTML keeps its text and loses everything that could run, load or submit', async () => {
    const mail = await fixture('xss.eml');
    const html = mail.html ?? '';
    expect(html).toContain('Dear customer, please see your invoice below.');
    expect(html).not.toMatch(/<script|<svg|<math|<iframe|<form|<input|<button|<object|<embed|<base|<meta|<link|<style|<title/i);
    expect(html).not.toMatch(/\son[a-z]+\s*=/i);
    expect(html).not.toMatch(/javascript|vbscript|expression\(|url\(|@import|behavior|data:text|data:image\/svg/i);
    expect(html).not.toMatch(/\ssrc="https?:/i);
    expect(html).not.toContain('//evil.example/protocol-relative');
    expect(mail.remoteImages).toBe(1);
    expect(html).toContain('<img width="1" height="1" alt="" data-remote-src="https://tracker.example/p.gif" />');
    expect(html).toContain('src="cid:logo@phish.example"');
    expect(html).toMatch(/src="data:image\/png;base64,iVBOR/);
    expect(html).toContain('<a target="_blank" rel="noopener noreferrer nofollow" href="https://shop.example/invoice/42">View invoice</a>');
    expect(html).toContain('href="mailto:billing@shop.example"');
    expect(html).toContain('<a target="_blank" rel="noopener noreferrer nofollow">Tabbed link</a>');
    expect(html).toContain('<div style="color:red">Red text</div>');
    expect(html).toContain('<div style="font-weight:bold">Bold text</div>');
    expect(html).toContain('<p style="color:blue">Blue text</p>');
    expect(html).toContain('<p style="color:green;margin:0 0 10px 0;border-top:1px solid #cccccc">Green text</p>');
    expect(html).toContain('Total: 5 &lt; 6 &amp; "quoted"');
    expect(mail.subject).toBe('Your invoice <script>alert(1)</script>');
  });
});

describe('the HTML sanitiser', () => {
  it('is stable: sanitising its output again changes nothing', async () => {
    for (const name of corpusFiles) {
      const mail = await fixture(name);
      for (const html of [mail.html, mail.visibleHtml]) {
        if (html === null) continue;
        expect(sanitizeEmailHtml(html), name).toBe(html);
        expect(countRemoteImages(sanitizeEmailHtml(html)), name).toBe(countRemoteImages(html));
      }
    }
    const tricky = [
      '<p><form><div>inside</div></form></p>',
      '<table><tr><td>a<td>b</table><p>open',
      '<ul><li>one<li>two</ul><b><i>x</b></i>',
      '<div><p>unclosed <span>spans <a href="https://x.example/">link',
      '<img src="https://x.example/a.png"><img data-remote-src="https://y.example/b.png">',
      '<select><option>hidden</option></select><noscript><p>shown</p></noscript>',
      '<p>' + '<div>'.repeat(300) + 'deep' + '</div>'.repeat(300) + '</p>',
    ];
    for (const html of tricky) {
      const once = sanitizeEmailHtml(html);
      expect(sanitizeEmailHtml(once), html).toBe(once);
    }
  });

  it('refuses style values that load or run something, however written', () => {
    const styles = [
      'color:red;background-color:url(//evil.example/x)',
      'color:red;width:\nurl(//evil.example/x)',
      'color:red;background-color:\\75rl(//evil.example/x)',
      'color:red;font-family:ex/**/pression(alert(1))',
      'color:red;width:expression(alert(1))',
      'color:red;position:fixed;top:0',
      'color:red;display:url(x)',
    ];
    for (const style of styles) expect(sanitizeEmailHtml(`<p style="${style}">x</p>`), style).toBe('<p style="color:red">x</p>');
  });

  it('keeps only web and mail links, always opening a new, unreferred tab', () => {
    expect(sanitizeEmailHtml('<a href="https://x.example/" target="_self" rel="opener">x</a>')).toBe('<a target="_blank" rel="noopener noreferrer nofollow" href="https://x.example/">x</a>');
    for (const href of ['javascript:alert(1)', 'java\nscript:alert(1)', '&#106;avascript:alert(1)', 'vbscript:x', 'data:text/html,x', 'file:///etc/passwd', '/relative', '#top', 'tel:123']) {
      expect(sanitizeEmailHtml(`<a href="${href}">x</a>`), href).toBe('<a target="_blank" rel="noopener noreferrer nofollow">x</a>');
    }
  });

  it('keeps cid: and raster data: images, blocks remote ones, drops the rest', () => {
    expect(sanitizeEmailHtml('<img src="cid:a@b">')).toBe('<img src="cid:a@b" />');
    expect(sanitizeEmailHtml('<img src="HTTPS://x.example/a.png" srcset="https://x.example/b.png 2x">')).toBe('<img data-remote-src="HTTPS://x.example/a.png" />');
    expect(sanitizeEmailHtml('<img data-remote-src="javascript:alert(1)">')).toBe('<img />');
    expect(sanitizeEmailHtml('<img src="data:image/gif;base64,R0lGOD lhAQ==">')).toBe('<img src="data:image/gif;base64,R0lGODlhAQ==" />');
    expect(sanitizeEmailHtml('<img src="data:image/svg+xml;base64,PHN2Zz4=">')).toBe('<img />');
    expect(sanitizeEmailHtml('<p class="x gmail_quote" id="main">q</p><div id="divRplyFwdMsg"></div>')).toBe('<p class="gmail_quote">q</p><div id="divRplyFwdMsg"></div>');
  });
});

describe('quoted history in plain text', () => {
  it('cuts the French and German attributions', () => {
    expect(cutTextQuotes('Merci !\n\nLe lun. 3 mars 2025 à 10:00, Anna <anna@x.example> a\u00a0écrit\u00a0:\n> Bonjour').visible).toBe('Merci !');
    expect(cutTextQuotes('Danke!\n\nAm Mo., 3. März 2025 um 10:00 Uhr schrieb Anna <anna@x.example>:\n\n> Hallo\n> Welt').visible).toBe('Danke!');
  });

  it('cuts at "-----Original Message-----" and at a From/Sent/Subject block', () => {
    expect(cutTextQuotes('Done.\n\n-----Original Message-----\nFrom: A\nSent: today\nTo: B\nSubject: x\n\nold').visible).toBe('Done.');
    expect(cutTextQuotes('Done.\n\nVon: A <a@x.example>\nGesendet: Montag, 3. März 2025 10:00\nAn: B\nBetreff: x\n\nalt').visible).toBe('Done.');
  });

  it('leaves prose, inline answers and forwarded header blocks alone', () => {
    const prose = 'On Monday you wrote: the price is wrong.\nIt should be 10 EUR.';
    expect(cutTextQuotes(prose)).toEqual({ visible: prose, cut: false });
    const inline = '> Which model?\nThe X100.\n> Since when?\nSince Monday.';
    expect(cutTextQuotes(inline)).toEqual({ visible: inline, cut: false });
    const forwarded = 'See below.\n\n---------- Forwarded message ---------\nFrom: A <a@x.example>\nDate: Mon, 3 Mar 2025\nSubject: x\nTo: B\n\nbody';
    expect(cutTextQuotes(forwarded).visible).toBe(forwarded);
  });

  it('cuts the last run of quoted lines with the line that introduced it', () => {
    expect(cutTextQuotes('Yes please.\n\nAnna <anna@x.example>:\n> Shall we?\n>\n> Bob\n\n')).toEqual({ visible: 'Yes please.', cut: true });
  });

  it('takes a bare "--" for a signature only when little follows', () => {
    expect(cutTextQuotes('Thanks\n--\nAnna\nACME').visible).toBe('Thanks');
    const long = `Values:\n--\n${'line\n'.repeat(20)}`;
    expect(cutTextQuotes(long).cut).toBe(false);
  });

  it('never leaves nothing: a message that is all quote is shown whole', () => {
    expect(cutTextQuotes('> only\n> quoted\n')).toEqual({ visible: '> only\n> quoted', cut: false });
    expect(cutTextQuotes('-- \nsignature only')).toEqual({ visible: '-- \nsignature only', cut: false });
  });
});

describe('quoted history in HTML', () => {
  it('cuts a blockquote introduced by an attribution line (Yahoo, Outlook for Mac)', () => {
    const html = sanitizeEmailHtml('<div>Sure.</div><div>On Monday, 3 March 2025, 10:00, Anna &lt;anna@x.example&gt; wrote:</div><blockquote style="margin:0 0 0 10px">old</blockquote>');
    expect(cutHtmlQuotes(html)).toEqual({ visible: '<div>Sure.</div>', cut: true });
  });

  it('cuts at a "-- " line between line breaks', () => {
    const html = sanitizeEmailHtml('<p>Thanks<br>-- <br>Anna, ACME</p>');
    expect(cutHtmlQuotes(html)).toEqual({ visible: '<p>Thanks<br /></p>', cut: true });
  });

  it('stays fast on hostile structure: 5,000 sibling quotes and rules', () => {
    const hostile = '<p>top</p>' + '<blockquote type="cite">q</blockquote><br><hr>'.repeat(5000) + '<p>From: a<br>Sent: b<br>Subject: c</p>';
    const started = Date.now();
    const { visible, cut } = cutHtmlQuotes(sanitizeEmailHtml(hostile));
    expect(Date.now() - started).toBeLessThan(3000);
    expect(cut).toBe(true);
    expect(visible.startsWith('<p>top</p><br /><hr />')).toBe(true);
    expect(visible).not.toMatch(/blockquote|From:/);
  });

  it('shows a message that is all quote whole', () => {
    const html = sanitizeEmailHtml('<div class="gmail_quote"><blockquote type="cite">only history</blockquote></div>');
    expect(cutHtmlQuotes(html)).toEqual({ visible: html, cut: false });
  });

  it('takes the visible text of an HTML-only reply from the HTML without its quote', async () => {
    const mail = await parseEmail(crlf('From: a@x.example\nSubject: Re: x\nContent-Type: text/html; charset=utf-8\n\n<p>Fine by me.</p><div class="gmail_quote"><div>On Mon, B wrote:</div><blockquote>older text</blockquote></div>'));
    expect(mail.visibleText).toBe('Fine by me.');
    expect(mail.text).toContain('older text');
    expect(mail.hasQuoted).toBe(true);
  });
});

describe('automated mail', () => {
  const headers = async (lines: string): Promise<ParsedEmail['automated']> => (await parseEmail(crlf(`From: a@x.example\nSubject: Hello\n${lines}\n\nbody`))).automated;

  it('reads each auto-reply and bulk header, naming the one that decided', async () => {
    // A request not to auto-answer, which help desks put on replies people wrote: not itself automated.
    expect(await headers('X-Auto-Response-Suppress: DR, OOF')).toBeNull();
    expect(await headers('X-Autorespond: vacation')).toEqual({ kind: 'auto-reply', reason: 'X-Autorespond: vacation' });
    expect(await headers('Precedence: auto_reply')).toEqual({ kind: 'auto-reply', reason: 'Precedence: auto_reply' });
    expect(await headers('Precedence: junk')).toEqual({ kind: 'bulk', reason: 'Precedence: junk' });
    expect(await headers('List-Id: <team.lists.example>')).toEqual({ kind: 'bulk', reason: 'List-Id: <team.lists.example>' });
    expect(await headers('List-Unsubscribe: <mailto:u@x.example>')).toEqual({ kind: 'bulk', reason: 'List-Unsubscribe: <mailto:u@x.example>' });
    expect(await headers('Auto-Submitted: no')).toBeNull();
    expect(await headers('X-Auto-Response-Suppress: DR')).toBeNull();
  });

  it('reads a prose bounce from MAILER-DAEMON (Exim), original id from the copied headers', async () => {
    const mail = await parseEmail(crlf([
      'From: Mail Delivery System <Mailer-Daemon@mx.example>',
      'Subject: Mail delivery failed: returning message to sender',
      'Message-ID: <E1bounce@mx.example>',
      '',
      'This message was created automatically by mail delivery software.',
      '',
      'A message that you sent could not be delivered to one or more of its',
      'recipients. This is a permanent error. The following address(es) failed:',
      '',
      '  gone@customer.example',
      '    host mx.customer.example [203.0.113.9]',
      '    SMTP error from remote mail server after RCPT TO:<gone@customer.example>:',
      '    550 5.1.1 User unknown',
      '',
      '------ This is a copy of the message, including all the headers. ------',
      '',
      'Message-ID: <r-77-3@rapport.test>',
      'Subject: Re: your ticket',
    ].join('\n')));
    expect(mail.automated).toEqual({ kind: 'bounce', reason: 'From: mailer-daemon@mx.example with the subject "Mail delivery failed: returning message to sender"' });
    expect(mail.bounce).toEqual({ originalMessageId: 'r-77-3@rapport.test', recipient: 'gone@customer.example', status: '5.1.1', diagnostic: '550 5.1.1 User unknown' });
  });
});

describe('sender authentication', () => {
  const auth = async (header: string | null): Promise<ParsedEmail['authentication']> =>
    (await parseEmail(crlf(`${header === null ? '' : `Authentication-Results: ${header}\n`}From: a@x.example\n\nbody`))).authentication;

  it('is unknown, not suspicious, without the header or without results', async () => {
    expect(await auth(null)).toEqual({ spf: null, dkim: null, dmarc: null, suspicious: false, reason: null });
    expect(await auth('mx.rapport.test; none')).toEqual({ spf: null, dkim: null, dmarc: null, suspicious: false, reason: null });
  });

  it('flags a sender neither SPF nor DKIM vouches for when there is no DMARC result', async () => {
    expect(await auth('mx.rapport.test; spf=softfail smtp.mailfrom=x.example; dkim=none')).toEqual({
      spf: 'softfail',
      dkim: 'none',
      dmarc: null,
      suspicious: true,
      reason: 'Neither SPF nor DKIM confirmed the sender at the receiving server (spf=softfail, dkim=none), and there was no DMARC result.',
    });
  });

  it('trusts a pass: one passing method, a verifying DKIM signature among several, or dmarc=pass', async () => {
    expect((await auth('mx; spf=pass smtp.mailfrom=x.example; dkim=none')).suspicious).toBe(false);
    expect(await auth('mx; spf=fail; dkim=fail header.d=other.example; dkim=pass header.d=x.example')).toMatchObject({ dkim: 'pass', suspicious: false });
    expect(await auth('mx; spf=fail; dkim=fail; dmarc=pass (p=none) header.from=x.example')).toMatchObject({ dmarc: 'pass', suspicious: false });
  });
});

describe('limits and hostile input', () => {
  const bigAttachment = (bytes: number): Buffer => {
    const body = Buffer.alloc(bytes, 0x5a).toString('base64').replace(/.{76}/g, '$&\r\n');
    return Buffer.from(
      'From: a@x.example\r\nSubject: big\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n' +
        '--b\r\nContent-Type: text/plain\r\n\r\nsee the file\r\n' +
        `--b\r\nContent-Type: application/zip\r\nContent-Disposition: attachment; filename="logs.zip"\r\nContent-Transfer-Encoding: base64\r\n\r\n${body}\r\n--b--\r\n`,
    );
  };
  const twentyMegabytes = bigAttachment(20 * 1024 * 1024);

  it('parses a 20 MB attachment in bounded time', async () => {
    const started = Date.now();
    const mail = await parseEmail(twentyMegabytes);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(mail.visibleText).toBe('see the file');
    expect(mail.attachments.map((a) => [a.filename, a.contentType, a.size])).toEqual([['logs.zip', 'application/zip', 20 * 1024 * 1024]]);
  });

  it('refuses a message over maxBytes before parsing it', async () => {
    const started = Date.now();
    expect(await quarantineReason(parseEmail(twentyMegabytes, { maxBytes: 10 * 1024 * 1024 }))).toMatch(/^The message is 27\.\d MB; at most 10 MB is accepted\.$/);
    expect(Date.now() - started).toBeLessThan(500);
  });

  it('gives up on a parse that takes longer than timeoutMs', async () => {
    expect(await quarantineReason(parseEmail(twentyMegabytes, { timeoutMs: 20 }))).toBe('Reading the message took longer than 0.02 seconds, so it was set aside; it is probably malformed or built to be slow to read.');
  });

  it('refuses a 10 MB header section quickly', async () => {
    const header = Buffer.from(`From: a@x.example\r\nX-Padding: ${'a'.repeat(10 * 1024 * 1024 - 40)}\r\n`);
    const started = Date.now();
    expect(await quarantineReason(parseEmail(Buffer.concat([header, Buffer.from('\r\nbody')])))).toMatch(/^The message's header section is 10(\.0)? MB; at most 256 KB of headers is accepted\.$/);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('refuses thousands of nested parts, and thousands of flat ones, quickly and with the count', async () => {
    let nested = 'From: a@x.example\r\nContent-Type: multipart/mixed; boundary="n0"\r\n\r\n';
    let closing = '';
    for (let i = 0; i < 3000; i++) {
      nested += `--n${i}\r\nContent-Type: multipart/mixed; boundary="n${i + 1}"\r\n\r\n`;
      closing = `--n${i}--\r\n${closing}`;
    }
    nested += `--n3000\r\nContent-Type: text/plain\r\n\r\ndeep\r\n--n3000--\r\n${closing}`;
    const flat = `From: a@x.example\r\nContent-Type: multipart/mixed; boundary="f"\r\n\r\n${'--f\r\n\r\nx\r\n'.repeat(12000)}--f--\r\n`;
    const started = Date.now();
    expect(await quarantineReason(parseEmail(Buffer.from(nested)))).toBe('The message has 3,002 MIME parts; at most 500 are accepted.');
    // Parts without a Content-Type line are counted by their boundary lines.
    expect(await quarantineReason(parseEmail(Buffer.from(flat)))).toBe('The message has 12,001 MIME parts; at most 500 are accepted.');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('refuses a part whose own header section is over the limit (the parser enforces it)', async () => {
    const message = `From: a@x.example\r\nContent-Type: multipart/mixed; boundary="p"\r\n\r\n--p\r\nContent-Type: text/plain\r\nX-Padding: ${'a'.repeat(300 * 1024)}\r\n\r\nx\r\n--p--\r\n`;
    expect(await quarantineReason(parseEmail(Buffer.from(message)))).toBe('A part of the message has a header section over 256 KB; at most 256 KB is accepted.');
  });

  it('never crashes on garbage: empty input, headers only, a lone blank line, random bytes', async () => {
    const empty = await parseEmail(Buffer.alloc(0));
    expect(empty).toMatchObject({ messageId: null, from: null, subject: '', date: null, text: '', html: null, attachments: [], automated: null });
    const headersOnly = await parseEmail(Buffer.from('From: =?utf-8?Q?Ann=0D=0ABcc=3A_x?= <ann@x.example>\r\nSubject: =?utf-8?Q?two=0D=0Alines?=\r\nDate: not a date'));
    expect(headersOnly).toMatchObject({ from: { address: 'ann@x.example', name: 'Ann Bcc: x' }, subject: 'two lines', date: null, text: '' });
    await expect(parseEmail(Buffer.from('\r\n\r\n'))).resolves.toMatchObject({ text: '' });
    let seed = 42;
    const next = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) % 256;
    for (let round = 0; round < 5; round++) {
      const bytes = Buffer.from(Array.from({ length: 64 * 1024 }, next));
      await expect(parseEmail(bytes)).resolves.toHaveProperty('attachments');
    }
    const mime = Buffer.from('Content-Type: multipart/mixed; boundary=""\r\n\r\n--\r\n\0\0\0\r\n----\r\n');
    await expect(parseEmail(mime)).resolves.toHaveProperty('text');
  });

  it('has the documented defaults', () => {
    expect(DEFAULT_LIMITS).toEqual({ maxBytes: 40 * 1024 * 1024, maxHeaderBytes: 256 * 1024, maxParts: 500, timeoutMs: 10_000 });
  });
});
