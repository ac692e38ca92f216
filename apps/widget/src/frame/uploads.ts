/**
 * The visitor's files on their way to the server. Unlike a typed message, a file is not kept for
 * later: it needs the server now, and says so when offline. Once uploaded, it is handed to the
 * chat, which sends it as a message through the same queue as text (client id, retries).
 */
import { ApiError, api, type Attachment } from './api.js';

/** A file being uploaded, or one that could not be. */
export interface Upload {
  id: string;
  name: string;
  /** 0…1 while uploading. */
  progress: number;
  /** Why it is not uploading: offline, larger than allowed, or refused (`message`: the server's words). */
  problem: 'offline' | 'tooLarge' | 'failed' | null;
  message: string | null;
  /** The server's error code, to say the same in the visitor's language. */
  code: string | null;
  /** The same file may be tried again (the network failed, not the file). */
  retry: boolean;
}

export interface UploadHost {
  /** The visitor token, when the session is ready. */
  token: () => string | null;
  limits: () => { max_bytes: number } | null;
  changed: (list: Upload[]) => void;
  uploaded: (attachment: Attachment) => void;
  unauthorized: () => void;
}

let counter = 0;

export class Uploads {
  private list: Upload[] = [];
  private files = new Map<string, File>();

  constructor(private readonly host: UploadHost) {}

  /** Uploads each file; each is sent as a message of its own when it is on the server. */
  add(files: Iterable<File>): void {
    for (const file of files) {
      const id = `u${++counter}`;
      this.files.set(id, file);
      this.update([...this.list, { id, name: file.name, progress: 0, problem: null, message: null, code: null, retry: false }]);
      this.start(id);
    }
  }

  retry(id: string): void {
    this.start(id);
  }

  dismiss(id: string): void {
    this.files.delete(id);
    this.update(this.list.filter((u) => u.id !== id));
  }

  private update(list: Upload[]): void {
    this.list = list;
    this.host.changed(list);
  }

  private patch(id: string, patch: Partial<Upload>): void {
    this.update(this.list.map((u) => (u.id === id ? { ...u, ...patch } : u)));
  }

  private start(id: string): void {
    const file = this.files.get(id);
    if (!file) return;
    const max = this.host.limits()?.max_bytes;
    if (max && file.size > max) return this.patch(id, { problem: 'tooLarge', message: null, retry: false });
    const token = this.host.token();
    if (navigator.onLine === false || !token) return this.patch(id, { problem: 'offline', message: null, retry: true });
    this.patch(id, { progress: 0, problem: null, message: null, retry: false });
    api
      .upload(token, file, (progress) => this.patch(id, { progress }))
      .done.then((attachment) => {
        // Dismissed meanwhile: the visitor no longer wants it sent.
        if (!this.files.delete(id)) return;
        this.update(this.list.filter((u) => u.id !== id));
        this.host.uploaded(attachment);
      })
      .catch((err: unknown) => {
        const e = err instanceof ApiError ? err : new ApiError(0, 'network', String(err));
        if (e.status === 401) this.host.unauthorized();
        // Refused (too large, a type not allowed, too many): the server's sentence, written for the visitor.
        const refused = e.status >= 400 && e.status < 500 && e.status !== 401;
        this.patch(id, { problem: 'failed', message: refused ? e.message : null, code: refused ? e.code : null, retry: !refused || e.status === 429 });
      });
  }
}
