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
  /** MIXFLOW_API_TOKEN: when set, every route but /api/health needs `Authorization: Bearer <token>` */
  apiToken?: string;
  /** MIXFLOW_ALLOW_OPEN=1: serve on a non-loopback HOST without a token */
  allowOpen: boolean;
  /** MIXFLOW_ALLOWED_HOSTS: Host header names accepted besides the loopback ones (DNS rebinding guard) */
  allowedHosts: string[];
  /** MIXFLOW_PREDICT_RATE: prediction requests per minute and client; 0 = no limit */
  predictRatePerMinute: number;
  /**
   * MIXFLOW_TRAINING_MEMORY_MB: a cap on the memory a training run holds its rows in (MB). A run's budget is
   * workers × memory per worker, or this when lower; rows that do not fit stream from disk. None by default.
   */
  trainingMemoryMb?: number;
  /**
   * MIXFLOW_SHARED_DATA=1: the Redis workers mount this data folder too (each worker's MIXFLOW_DATA points at it), so
   * rows a training streams from disk are read by the workers from there instead of going through Redis.
   */
  sharedData: boolean;
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
    apiToken: env.MIXFLOW_API_TOKEN || undefined,
    allowOpen: env.MIXFLOW_ALLOW_OPEN === '1',
    allowedHosts: (env.MIXFLOW_ALLOWED_HOSTS ?? '').split(',').map((h) => h.trim().toLowerCase()).filter((h) => h !== ''),
    predictRatePerMinute: number('MIXFLOW_PREDICT_RATE', env.MIXFLOW_PREDICT_RATE, 0, { allowZero: true }),
    sharedData: env.MIXFLOW_SHARED_DATA === '1',
    trainingMemoryMb: env.MIXFLOW_TRAINING_MEMORY_MB ? number('MIXFLOW_TRAINING_MEMORY_MB', env.MIXFLOW_TRAINING_MEMORY_MB, 1) : undefined,
    ...overrides,
  };
}

/** localhost, *.localhost, 127.0.0.0/8 and ::1: names that only ever reach this machine */
export function isLoopbackHost(name: string): boolean {
  const host = name.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  return host === 'localhost' || host.endsWith('.localhost') || /^127(\.\d{1,3}){3}$/.test(host) || host === '::1';
}

/**
 * A server reachable from other machines must ask for a token: binding a non-loopback HOST without
 * MIXFLOW_API_TOKEN is refused unless MIXFLOW_ALLOW_OPEN=1 says it is meant.
 */
export function checkExposure(config: Pick<MixflowConfig, 'host' | 'apiToken' | 'allowOpen'>): void {
  if (isLoopbackHost(config.host) || config.apiToken || config.allowOpen) return;
  throw new Error(
    `HOST=${config.host} serves Mixflow to other machines without an access token: set MIXFLOW_API_TOKEN ` +
      '(clients then send Authorization: Bearer <token>), or MIXFLOW_ALLOW_OPEN=1 to serve it open on purpose',
  );
}
