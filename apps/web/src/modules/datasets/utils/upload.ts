import { authHeaders } from '../../../api/client';
import type { ApiErrorBody, Dataset } from '../../../types/contracts';

/**
 * Uploads a CSV as multipart form data with XMLHttpRequest, because fetch cannot report upload progress.
 * `onProgress` receives the fraction sent (0..1). Rejects with the server's message.
 */
export function uploadDataset(file: File, name: string | undefined, onProgress: (fraction: number) => void, xhr = new XMLHttpRequest()): Promise<Dataset> {
  return new Promise((resolve, reject) => {
    const form = new FormData();
    form.append('file', file);
    if (name) form.append('name', name);
    xhr.open('POST', '/api/datasets');
    for (const [header, value] of Object.entries(authHeaders())) xhr.setRequestHeader(header, value);
    xhr.responseType = 'text';
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      let body: unknown;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = undefined;
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(1);
        resolve(body as Dataset);
      } else {
        const b = (body ?? {}) as Partial<ApiErrorBody>;
        const msg = Array.isArray(b.message) ? b.message.join('; ') : b.message;
        reject(new Error(msg ?? `Upload failed with HTTP ${xhr.status}`));
      }
    };
    xhr.onerror = () => reject(new Error('Upload failed: the server could not be reached.'));
    xhr.onabort = () => reject(new Error('Upload cancelled.'));
    xhr.send(form);
  });
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 1024 ** 3) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  return `${(n / 1024 ** 3).toFixed(2)} GB`;
}
