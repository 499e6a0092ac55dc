import { StreamableFile } from '@nestjs/common';
import * as fs from 'node:fs';

/** A file on the server to send as an attachment; `done` runs once the file is no longer read (removes a temporary). */
export interface DownloadFile {
  path: string;
  done: () => Promise<void>;
}

/**
 * Streams `file` as an attachment named `fileName`; `done` runs when the read stream closes: after the last byte, or
 * when the client goes away (Nest's Express adapter destroys a StreamableFile's stream when the response closes).
 */
export async function fileDownload(file: DownloadFile, type: string, fileName: string): Promise<StreamableFile> {
  let length: number;
  try {
    length = (await fs.promises.stat(file.path)).size;
  } catch (err) {
    await file.done();
    throw err;
  }
  const stream = fs.createReadStream(file.path);
  stream.once('close', () => void file.done());
  return new StreamableFile(stream, { type, disposition: `attachment; filename="${fileName}"`, length });
}
