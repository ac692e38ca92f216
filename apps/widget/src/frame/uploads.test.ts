import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Attachment } from './api.js';

// The upload request itself, controlled by each test.
const pending: { file: File; resolve: (a: Attachment) => void; reject: (e: Error) => void; progress: (f: number) => void }[] = [];
vi.mock('./api.js', () => {
  class ApiError extends Error {
    constructor(
      readonly status: number,
      readonly code: string,
      message: string,
    ) {
      super(message);
    }
  }
  return {
    ApiError,
    api: {
      upload: (_token: string, file: File, progress: (f: number) => void) => ({
        done: new Promise<Attachment>((resolve, reject) => pending.push({ file, resolve, reject, progress })),
        abort: () => undefined,
      }),
    },
  };
});

const { ApiError } = await import('./api.js');
const { Uploads } = await import('./uploads.js');

const attachment = (name: string): Attachment => ({ id: `a-${name}`, file_name: name, content_type: 'image/png', byte_size: 3, width: 1, height: 1, inline: true, url: `/f/${name}` });

function setup(opts: { token?: string | null; max?: number } = {}) {
  const sent: Attachment[] = [];
  const host = {
    token: () => (opts.token === undefined ? 'visitor-token' : opts.token),
    limits: () => ({ max_bytes: opts.max ?? 1000 }),
    changed: vi.fn(),
    uploaded: (a: Attachment) => sent.push(a),
    unauthorized: vi.fn(),
  };
  const uploads = new Uploads(host);
  const list = () => host.changed.mock.calls.at(-1)?.[0] ?? [];
  return { uploads, sent, list, host };
}

const file = (name: string, size = 3) => new File([new Uint8Array(size)], name, { type: 'image/png' });
const settle = () => new Promise((r) => setTimeout(r, 0));

beforeEach(() => {
  pending.length = 0;
  vi.stubGlobal('navigator', { onLine: true });
});
afterEach(() => vi.unstubAllGlobals());

describe('Uploads', () => {
  it('shows progress, then hands the uploaded file over to be sent and forgets it', async () => {
    const { uploads, sent, list } = setup();
    uploads.add([file('a.png')]);
    expect(list()).toMatchObject([{ name: 'a.png', progress: 0, problem: null }]);
    pending[0].progress(0.5);
    expect(list()[0].progress).toBe(0.5);
    pending[0].resolve(attachment('a.png'));
    await settle();
    expect(sent.map((a) => a.file_name)).toEqual(['a.png']);
    expect(list()).toEqual([]);
  });

  it('refuses a file over the limit without uploading it', () => {
    const { uploads, list } = setup({ max: 10 });
    uploads.add([file('big.png', 11)]);
    expect(pending).toHaveLength(0);
    expect(list()).toMatchObject([{ problem: 'tooLarge', retry: false }]);
  });

  it('says offline instead of uploading, and uploads on retry once online', async () => {
    vi.stubGlobal('navigator', { onLine: false });
    const { uploads, list, sent } = setup();
    uploads.add([file('a.png')]);
    expect(pending).toHaveLength(0);
    expect(list()).toMatchObject([{ problem: 'offline', retry: true }]);
    vi.stubGlobal('navigator', { onLine: true });
    uploads.retry(list()[0].id);
    pending[0].resolve(attachment('a.png'));
    await settle();
    expect(sent).toHaveLength(1);
  });

  it("keeps the server's words for a refusal (not retried) and offers a retry after a network failure", async () => {
    const { uploads, list } = setup();
    uploads.add([file('cat.png'), file('dog.png')]);
    pending[0].reject(new ApiError(415, 'file_type_not_allowed', 'This kind of file cannot be sent.'));
    pending[1].reject(new ApiError(0, 'network', 'network error'));
    await settle();
    expect(list()).toMatchObject([
      { name: 'cat.png', problem: 'failed', message: 'This kind of file cannot be sent.', code: 'file_type_not_allowed', retry: false },
      { name: 'dog.png', problem: 'failed', message: null, retry: true },
    ]);
  });

  it('does not send a file the visitor dismissed while it was uploading', async () => {
    const { uploads, list, sent } = setup();
    uploads.add([file('a.png')]);
    uploads.dismiss(list()[0].id);
    pending[0].resolve(attachment('a.png'));
    await settle();
    expect(sent).toHaveLength(0);
    expect(list()).toEqual([]);
  });
});
