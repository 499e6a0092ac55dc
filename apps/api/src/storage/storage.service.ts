import { Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isId } from '../common/ids';
import { MIXFLOW_CONFIG, MixflowConfig } from '../config/configuration';

/** a stored file's name: an id and an extension (`<nodeId>.<port>.csv` of runs stored before outputs got their own ids) */
const FILE_NAME = /^[A-Za-z0-9_-]{1,64}(\.[A-Za-z0-9]{1,8}){0,2}$/;

/** The last line of defence: a name that could leave its folder is a bug, never a path. */
function checkName(kind: string, name: string, valid: (n: string) => boolean): string {
  if (!valid(name)) throw new Error(`refusing a ${kind} name that is not a server-made id: ${JSON.stringify(name.slice(0, 80))}`);
  return name;
}

/**
 * The data folder: datasets/<id>.parquet (a dataset as stored), runs/<runId>/<outputId>.csv, models/<id>.json (a
 * model's payload) and
 * tmp/ for uploads and writes in progress. Files are written under tmp/ and renamed into place, so a reader never sees half a file. Every name
 * below the root is an id the server made; no string of a request becomes part of a path.
 */
@Injectable()
export class StorageService {
  readonly root: string;
  readonly tmpDir: string;

  constructor(@Inject(ConfigService) config: ConfigService) {
    this.root = config.getOrThrow<MixflowConfig>(MIXFLOW_CONFIG).dataDir;
    this.tmpDir = path.join(this.root, 'tmp');
    for (const dir of [this.root, this.tmpDir, path.join(this.root, 'datasets'), path.join(this.root, 'runs'), this.modelDir]) {
      fs.mkdirSync(dir, { recursive: true });
    }
  }

  datasetFile(fileName: string): string {
    return path.join(this.root, 'datasets', checkName('dataset file', fileName, (n) => FILE_NAME.test(n)));
  }

  runDir(runId: string): string {
    return path.join(this.root, 'runs', checkName('run', runId, isId));
  }

  /** a table output of a run, by the file name the server gave it */
  runFile(runId: string, fileName: string): string {
    return path.join(this.runDir(runId), checkName('run output', fileName, (n) => FILE_NAME.test(n)));
  }

  get modelDir(): string {
    return path.join(this.root, 'models');
  }

  /** a model's payload file, by the file name the server gave it */
  modelFile(fileName: string): string {
    return path.join(this.modelDir, checkName('model file', fileName, (n) => FILE_NAME.test(n)));
  }

  /** a fresh path under tmp/ (on the same file system as the destinations, so rename is atomic) */
  tempPath(suffix = ''): string {
    return path.join(this.tmpDir, `${randomUUID()}${suffix}`);
  }

  async moveIntoPlace(tempFile: string, destination: string): Promise<void> {
    await fs.promises.mkdir(path.dirname(destination), { recursive: true });
    await fs.promises.rename(tempFile, destination);
  }

  async writeFileAtomic(destination: string, content: string | Uint8Array): Promise<void> {
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
