export * from './engine';
export { InlineEngine } from './inline-engine';
export { LocalEngine, type LocalEngineOptions } from './local-engine';
export { RedisEngine, type RedisEngineOptions } from './redis-engine';
export { startRedisWorker, type RedisWorkerOptions } from './redis-worker';
export { ENGINE_KINDS, createEngine } from './create-engine';
export { redactUrl } from './redis-protocol';
export { ExecutorError, RunCancelledError } from './run-support';
