import { Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MIXFLOW_CONFIG, MixflowConfig } from '../config/configuration';

/**
 * The data folder: datasets/<id>.csv, runs/<runId>/<nodeId>.<port>.csv and tmp/ for uploads and writes in
 * progress. Files are written under tmp/ and renamed into place, so a reader never sees half a file.
 */
@Injectable()
export class StorageService {
  readonly root: string;
  readonly tmpDir: string;

  constructor(@Inject(ConfigService) config: ConfigService) {
    this.root = config.getOrThrow<MixflowConfig>(MIXFLOW_CONFIG).dataDir;
    this.tmpDir = path.join(this.root, 'tmp');
    for (const dir of [this.root, this.tmpDir, path.join(this.root, 'datasets'), path.join(this.root, 'runs')]) {
      fs.mkdirSync(dir, { recursive: true });
    }
  }

  datasetFile(fileName: string): string {
    return path.join(this.root, 'datasets', fileName);
  }

  runDir(runId: string): string {
    return path.join(this.root, 'runs', runId);
  }

  /** a fresh path under tmp/ (on the same file system as the destinations, so rename is atomic) */
  tempPath(suffix = ''): string {
    return path.join(this.tmpDir, `${randomUUID()}${suffix}`);
  }

  async moveIntoPlace(tempFile: string, destination: string): Promise<void> {
    await fs.promises.mkdir(path.dirname(destination), { recursive: true });
    await fs.promises.rename(tempFile, destination);
  }

  async writeFileAtomic(destination: string, content: string | Buffer): Promise<void> {
    const temp = this.tempPath(path.extname(destination));
    try {
      await fs.promises.writeFile(temp, content);
      await this.moveIntoPlace(temp, destination);
    } catch (err) {
      await this.remove(temp);
      throw err;
    }
  }

  async remove(file: string | undefined): Promise<void> {
    if (file) await fs.promises.rm(file, { force: true, recursive: true });
  }

  /** Leftovers of writes interrupted by a crash. */
  async clearTemp(): Promise<void> {
    for (const entry of await fs.promises.readdir(this.tmpDir)) await this.remove(path.join(this.tmpDir, entry));
  }
}
