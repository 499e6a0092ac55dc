import { Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { loadPlugins } from '@mixflow/component-sdk';
import { closeIdleThreads, createEngine } from '@mixflow/executor';
import type { ExecutionEngine } from '@mixflow/executor';
import { MIXFLOW_CONFIG, MixflowConfig } from '../config/configuration';
import { COMPONENT_REGISTRY, EXECUTION_ENGINE } from './tokens';

@Injectable()
class EngineCloser implements OnApplicationShutdown {
  constructor(@Inject(EXECUTION_ENGINE) private readonly engine: ExecutionEngine) {}
  async onApplicationShutdown(): Promise<void> {
    await this.engine.close();
    // the threads kept for the next run (worker and driver threads) end with the server, not 30 s later
    await closeIdleThreads();
  }
}

@Global()
@Module({
  providers: [
    // Every plugins/*/ package (sources under jest, dist at runtime); tsconfig's project references build them first.
    { provide: COMPONENT_REGISTRY, useFactory: () => loadPlugins() },
    {
      provide: EXECUTION_ENGINE,
      inject: [ConfigService],
      useFactory: (config: ConfigService) => {
        const c = config.getOrThrow<MixflowConfig>(MIXFLOW_CONFIG);
        return createEngine({ kind: c.engine, maxWorkers: c.maxWorkers, redisUrl: c.redisUrl, ...(c.sharedData ? { sharedDataDir: c.dataDir } : {}) });
      },
    },
    EngineCloser,
  ],
  exports: [COMPONENT_REGISTRY, EXECUTION_ENGINE],
})
export class RegistryModule {}
