import { StreamableFile } from '@nestjs/common';
import * as fs from 'node:fs';
import { Readable } from 'node:stream';

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

/**
 * A JSON object streamed: `head`'s fields, then `key` holding the JSON text in `file`, copied as bytes and never
 * parsed (a wide model's file is hundreds of MB). `done` runs when the stream closes, as for fileDownload.
 */
export function jsonWithFile(head: Record<string, unknown>, key: string, file: DownloadFile): StreamableFile {
  const fields = JSON.stringify(head);
  const prefix = `${fields.slice(0, -1)}${fields === '{}' ? '' : ','}${JSON.stringify(key)}:`;
  async function* parts(): AsyncGenerator<Buffer> {
    yield Buffer.from(prefix);
    for await (const chunk of fs.createReadStream(file.path)) yield chunk as Buffer;
    yield Buffer.from('}');
  }
  const stream = Readable.from(parts());
  stream.once('close', () => void file.done());
  return new StreamableFile(stream, { type: 'application/json' });
}
