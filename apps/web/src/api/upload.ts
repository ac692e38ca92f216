// Uploads a file as multipart/form-data with progress. fetch cannot report upload progress, so
// this one request goes through XMLHttpRequest; errors become the same ApiError as elsewhere.
import { ApiError, apiErrorOf } from './client';

export interface Upload<T> {
  done: Promise<T>;
  abort: () => void;
}

/** POSTs `file` as the part named "file" to /api/v1{path}; `onProgress` gets 0…1. */
export function uploadFile<T>(path: string, file: File, onProgress: (fraction: number) => void): Upload<T> {
  const xhr = new XMLHttpRequest();
  const done = new Promise<T>((resolve, reject) => {
    xhr.open('POST', `/api/v1${path}`);
    xhr.withCredentials = true;
    xhr.setRequestHeader('accept', 'application/json');
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onProgress(event.loaded / event.total);
    };
    xhr.onload = () => {
      let body: unknown;
      try {
        body = xhr.responseText ? JSON.parse(xhr.responseText) : null;
      } catch {
        body = null;
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(1);
        resolve(body as T);
      } else reject(apiErrorOf(xhr.status, body));
    };
    xhr.onerror = () => reject(new ApiError(0, 'network_error', 'The upload failed. Check your connection and try again.'));
    xhr.onabort = () => reject(new ApiError(0, 'aborted', 'The upload was cancelled.'));
    const form = new FormData();
    form.append('file', file, file.name);
    xhr.send(form);
  });
  return { done, abort: () => xhr.abort() };
}
