import type { EngineKind, ExecutionEngine } from './engine';
import { InlineEngine } from './inline-engine';
import { LocalEngine } from './local-engine';
import { RedisEngine } from './redis-engine';
import { ExecutorError } from './run-support';

/** Every engine kind, in the order errors and option lists name them. */
export const ENGINE_KINDS: readonly EngineKind[] = ['inline', 'local', 'redis'];

/** The engine configuration asks for: `kind`, else MIXFLOW_ENGINE, else local; Redis at `redisUrl`, else REDIS_URL. */
export function createEngine(o: { kind?: EngineKind; maxWorkers?: number; redisUrl?: string; sharedDataDir?: string } = {}): ExecutionEngine {
  const fromEnv = process.env.MIXFLOW_ENGINE?.trim();
  if (!o.kind && fromEnv && !ENGINE_KINDS.includes(fromEnv as EngineKind)) {
    throw new ExecutorError(`MIXFLOW_ENGINE must be one of ${ENGINE_KINDS.join(', ')}, got "${fromEnv}"`, 'MIXFLOW_ENGINE');
  }
  const kind = o.kind ?? ((fromEnv || 'local') as EngineKind);
  switch (kind) {
    case 'inline':
      return new InlineEngine();
    case 'local':
      return new LocalEngine({ maxWorkers: o.maxWorkers });
    case 'redis': {
      const redisUrl = o.redisUrl ?? process.env.REDIS_URL;
      if (!redisUrl) {
        throw new ExecutorError('The Redis engine (MIXFLOW_ENGINE=redis) needs REDIS_URL, e.g. redis://127.0.0.1:6379', 'REDIS_URL');
      }
      return new RedisEngine({ redisUrl, ...(o.sharedDataDir ? { sharedDataDir: o.sharedDataDir } : {}) });
    }
    default:
      throw new ExecutorError(`Unknown engine "${String(kind)}": use one of ${ENGINE_KINDS.join(', ')}`, 'engine');
  }
}
