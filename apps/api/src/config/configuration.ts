import * as path from 'node:path';
import { ENGINE_KINDS, type EngineKind } from '@mixflow/executor';

export interface MixflowConfig {
  port: number;
  host: string;
  /** SQLite file */
  db: string;
  /** folder for dataset files, run outputs and upload temporaries */
  dataDir: string;
  maxUploadMb: number;
  engine?: EngineKind;
  /** worker threads of the local engine */
  maxWorkers?: number;
  redisUrl?: string;
  /** the web console's build output, served at / */
  webDist: string;
  /** create the sample datasets and experiment on first start */
  seed: boolean;
}

export const MIXFLOW_CONFIG = 'mixflow';

/** apps/api/{src,dist}/config → the repository root */
const repoRoot = path.resolve(__dirname, '..', '..', '..', '..');

function number(name: string, value: string | undefined, fallback: number, o: { allowZero?: boolean } = {}): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || (n === 0 && !o.allowZero)) throw new Error(`${name} must be a positive number, got '${value}'`);
  return n;
}

function engineKind(value: string | undefined): EngineKind | undefined {
  if (value === undefined || value === '') return undefined;
  if ((ENGINE_KINDS as readonly string[]).includes(value)) return value as EngineKind;
  const kinds = `${ENGINE_KINDS.slice(0, -1).join(', ')} or ${ENGINE_KINDS[ENGINE_KINDS.length - 1]}`;
  throw new Error(`MIXFLOW_ENGINE must be ${kinds}, got '${value}'`);
}

/** Environment variables (PORT, HOST, MIXFLOW_*) with the documented defaults, then explicit overrides. */
export function resolveConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<MixflowConfig> = {}): MixflowConfig {
  const dataDir = path.resolve(overrides.dataDir ?? env.MIXFLOW_DATA ?? './data');
  return {
    port: number('PORT', env.PORT, 3000, { allowZero: true }), // 0: any free port (tests)
    host: env.HOST || '127.0.0.1',
    db: path.resolve(env.MIXFLOW_DB ?? path.join(dataDir, 'mixflow.sqlite')),
    dataDir,
    maxUploadMb: number('MIXFLOW_MAX_UPLOAD_MB', env.MIXFLOW_MAX_UPLOAD_MB, 1024),
    engine: engineKind(env.MIXFLOW_ENGINE),
    maxWorkers: env.MIXFLOW_MAX_WORKERS ? number('MIXFLOW_MAX_WORKERS', env.MIXFLOW_MAX_WORKERS, 1) : undefined,
    redisUrl: env.REDIS_URL || undefined,
    webDist: path.resolve(env.MIXFLOW_WEB_DIST ?? path.join(repoRoot, 'apps', 'web', 'dist')),
    seed: env.MIXFLOW_SEED !== '0',
    ...overrides,
  };
}
