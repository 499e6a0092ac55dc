import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { encodedModelOf, type EncodedModel, type ModelSummary } from '@mixflow/component-sdk';
import type { DownloadFile } from '../common/file-download';
import { MIXFLOW_CONFIG, type MixflowConfig } from '../config/configuration';
import { StorageService } from '../storage/storage.service';
import type { ModelHeader } from './entities/model.entity';
import { describeOnThread, exportOnThread, onModelThread } from './model-threads';

/**
 * A model file's size limit (POST /api/models/import): the upload limit of datasets, MIXFLOW_MAX_UPLOAD_MB. The file
 * streams to disk and is parsed on a thread, so a 2,000-dimension full-covariance model's export (~270 MB) imports
 * again; before, JSON bodies were parsed on the API's thread and held to 64 MB.
 */
export function modelFileLimitBytes(config: ConfigService): number {
  return Math.floor(config.getOrThrow<MixflowConfig>(MIXFLOW_CONFIG).maxUploadMb * 1024 * 1024);
}

/**
 * Model payloads as files: models/<name>.json, the payload's JSON as its codec's thread encoded it, named by the
 * server. Written under tmp/ and renamed into place (a crash leaves no half model: start-up clears tmp/ and removes
 * files no model row names); read into shared memory without being parsed. The API's thread only moves bytes.
 */
@Injectable()
export class ModelFilesService {
  constructor(private readonly storage: StorageService) {}

  /** Stores the payload's bytes; returns the new file's name. */
  async write(json: Uint8Array): Promise<string> {
    const name = `${randomUUID()}.json`;
    await this.storage.writeFileAtomic(this.storage.modelFile(name), json);
    return name;
  }

  /** The stored payload's bytes on shared memory, as an EncodedModel with what its row says of it. */
  async read(name: string, modelType: string, summary: ModelSummary, header: ModelHeader): Promise<EncodedModel> {
    const handle = await fs.promises.open(this.storage.modelFile(name));
    try {
      const { size } = await handle.stat();
      const json = new Uint8Array(new SharedArrayBuffer(size));
      for (let at = 0; at < size; ) {
        const { bytesRead } = await handle.read(json, at, size - at, at);
        if (bytesRead === 0) throw new Error(`the model file models/${name} ended after ${at} of ${size} bytes`);
        at += bytesRead;
      }
      return encodedModelOf(json, { modelType, version: header.version }, summary, header.portSchema, header.head);
    } finally {
      await handle.close();
    }
  }

  /** The model file users download (the codec's export format), written on a thread into tmp/; `done` removes it. */
  async exportFile(name: string, modelType: string): Promise<DownloadFile> {
    const target = this.storage.tempPath('.json');
    const done = () => this.storage.remove(target);
    try {
      await onModelThread<void>(exportOnThread.name, { source: this.storage.modelFile(name), modelType, target });
    } catch (err) {
      await done();
      throw err;
    }
    return { path: target, done };
  }

  /** `text` in a temporary file to stream; `done` removes it. */
  async temporary(text: string): Promise<DownloadFile> {
    const target = this.storage.tempPath('.json');
    await fs.promises.writeFile(target, text);
    return { path: target, done: () => this.storage.remove(target) };
  }

  /** The header of a stored payload, read on a thread (rows stored before payloads moved to files lack it). */
  describe(name: string, modelType: string): Promise<ModelHeader> {
    return onModelThread<ModelHeader>(describeOnThread.name, { source: this.storage.modelFile(name), modelType });
  }

  async remove(name: string): Promise<void> {
    await this.storage.remove(this.storage.modelFile(name));
  }

  /** At start: removes the files under models/ that no row names (written before a crash stopped their row) and returns their names. */
  async removeOrphans(recorded: ReadonlySet<string>): Promise<string[]> {
    const removed: string[] = [];
    for (const entry of await fs.promises.readdir(this.storage.modelDir)) {
      if (recorded.has(entry)) continue;
      await this.storage.remove(path.join(this.storage.modelDir, entry));
      removed.push(`models/${entry}`);
    }
    return removed;
  }
}
