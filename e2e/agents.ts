// Helpers for browser tests with several agents: an API session, a teammate with a known password,
// a signed-in browser context per agent, and small real files to upload.
import { deflateSync } from 'node:zlib';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { newPage, signIn } from './browser.js';
import type { RunningServer } from './harness.js';

export interface ApiSession {
  call: <T = unknown>(method: string, path: string, body?: unknown) => Promise<{ status: number; body: T }>;
}

/** Signs in over the API (as the owner unless told otherwise). */
export async function apiSession(server: RunningServer, email = server.owner.email, password = server.owner.password): Promise<ApiSession> {
  const login = await fetch(`${server.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json', origin: server.url }, body: JSON.stringify({ email, password }) });
  if (login.status !== 200) throw new Error(`sign-in as ${email} failed: ${login.status}`);
  const cookie = login.headers.get('set-cookie')!.split(';')[0];
  return {
    call: async <T>(method: string, path: string, body?: unknown) => {
      const res = await fetch(`${server.url}/api/v1${path}`, {
        method,
        headers: { cookie, origin: server.url, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
    },
  };
}

export interface Teammate {
  id: string;
  name: string;
  email: string;
  password: string;
}

/** Adds an admin teammate with a password the test knows, and makes them a member of every inbox. */
export async function addTeammate(owner: ApiSession, name: string, email: string): Promise<Teammate> {
  const password = 'teammate-password-42';
  const res = await owner.call<{ id: string }>('POST', '/users', { name, email, password, role: 'admin' });
  if (res.status !== 201) throw new Error(`could not add ${name}: ${res.status} ${JSON.stringify(res.body)}`);
  const inboxes = await owner.call<{ data: Array<{ id: string; member_ids: string[] }> }>('GET', '/inboxes');
  for (const inbox of inboxes.body.data) {
    const joined = await owner.call('PATCH', `/inboxes/${inbox.id}`, { member_ids: [...inbox.member_ids, res.body.id] });
    if (joined.status !== 200) throw new Error(`could not add ${name} to inbox ${inbox.id}: ${joined.status}`);
  }
  return { id: res.body.id, name, email, password };
}

/** A browser context signed in as this person, on the inbox. */
export async function agentPage(browser: Browser, server: RunningServer, email: string, password: string): Promise<{ context: BrowserContext; page: Page }> {
  const opened = await newPage(browser, server.url);
  await signIn(opened.page, email, password);
  await opened.page.waitForURL(/\/inbox$/);
  return opened;
}

/** The id of the demo conversation with this customer. */
export async function conversationWith(session: ApiSession, customer: string): Promise<string> {
  const list = await session.call<{ data: Array<{ id: string; contact: { name: string } | null }> }>('GET', '/conversations?limit=100');
  const found = list.body.data.find((c) => c.contact?.name === customer);
  if (!found) throw new Error(`no conversation with ${customer}`);
  return found.id;
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function pngChunk(type: string, data: Buffer): Buffer {
  let crc = 0xffffffff;
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  for (const b of body) crc = crcTable[(crc ^ b) & 0xff] ^ (crc >>> 8);
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  body.copy(out, 4);
  out.writeUInt32BE((crc ^ 0xffffffff) >>> 0, 8 + data.length);
  return out;
}

/** A real PNG: a diagonal gradient of the given size (every pixel present, so it renders). */
export function gradientPng(width = 160, height = 100): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8;
  header[9] = 2;
  const rows: Buffer[] = [];
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(1 + width * 3);
    for (let x = 0; x < width; x++) {
      row[1 + x * 3] = Math.round((255 * x) / width);
      row[2 + x * 3] = Math.round((255 * y) / height);
      row[3 + x * 3] = 200;
    }
    rows.push(row);
  }
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), pngChunk('IHDR', header), pngChunk('IDAT', deflateSync(Buffer.concat(rows))), pngChunk('IEND', Buffer.alloc(0))]);
}

/** A minimal one-page PDF. */
export const samplePdf = (): Buffer =>
  Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');
