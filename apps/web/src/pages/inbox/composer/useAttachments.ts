// Files the agent adds to a message: each uploads at once (with progress), and the message is sent
// with the ids of those that made it. A refused file keeps its chip with the server's reason.
import { useEffect, useRef, useState } from 'react';
import { errorMessage, isApiError } from '../../../api/client';
import { useAttachmentLimits } from '../../../api/queries';
import type { Attachment } from '../../../api/types';
import { uploadFile } from '../../../api/upload';
import { fileSize } from '../../../lib/format';

/** The server takes at most this many attachments on one message. */
export const MAX_FILES = 10;

export interface PendingFile {
  key: string;
  name: string;
  size: number;
  type: string;
  /** 0…1 while uploading. */
  progress: number;
  state: 'uploading' | 'done' | 'error';
  error?: string;
  attachment?: Attachment;
}

let nextKey = 0;

export function useAttachments(conversationId: string) {
  const limits = useAttachmentLimits();
  const [files, setFiles] = useState<PendingFile[]>([]);
  const uploads = useRef(new Map<string, () => void>());

  const patch = (key: string, changes: Partial<PendingFile>) => setFiles((list) => list.map((f) => (f.key === key ? { ...f, ...changes } : f)));

  const add = (incoming: File[]) => {
    let count = files.filter((f) => f.state !== 'error').length;
    const added: PendingFile[] = [];
    for (const file of incoming) {
      const pending: PendingFile = { key: `file-${++nextKey}`, name: file.name, size: file.size, type: file.type, progress: 0, state: 'uploading' };
      const max = limits.data?.max_bytes;
      if (count >= MAX_FILES) {
        added.push({ ...pending, state: 'error', error: `A message can carry up to ${MAX_FILES} files.` });
        continue;
      }
      // Checked here too so a huge file is not sent across the network only to be refused.
      if (max && file.size > max) {
        added.push({ ...pending, state: 'error', error: `This file is too large: files can be up to ${fileSize(max)}.` });
        continue;
      }
      count++;
      added.push(pending);
      const upload = uploadFile<Attachment>(`/conversations/${conversationId}/attachments`, file, (progress) => patch(pending.key, { progress }));
      uploads.current.set(pending.key, upload.abort);
      upload.done
        .then((attachment) => patch(pending.key, { state: 'done', progress: 1, attachment }))
        .catch((err: unknown) => {
          if (!isApiError(err, 'aborted')) patch(pending.key, { state: 'error', error: errorMessage(err) });
        })
        .finally(() => uploads.current.delete(pending.key));
    }
    if (added.length) setFiles((list) => [...list, ...added]);
  };

  const remove = (key: string) => {
    uploads.current.get(key)?.();
    setFiles((list) => list.filter((f) => f.key !== key));
  };

  // Leaving the conversation cancels what is still uploading.
  useEffect(() => {
    const running = uploads.current;
    return () => {
      for (const abort of running.values()) abort();
    };
  }, []);

  return {
    files,
    add,
    remove,
    clear: () => setFiles([]),
    accept: limits.data?.accept,
    uploading: files.some((f) => f.state === 'uploading'),
    attachments: files.flatMap((f) => (f.state === 'done' && f.attachment ? [f.attachment] : [])),
  };
}
