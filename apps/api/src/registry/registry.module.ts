import { Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ComponentRegistry } from '@mixflow/component-sdk';
import { createEngine } from '@mixflow/executor';
import type { ExecutionEngine } from '@mixflow/executor';
import dataPlugin from '@mixflow/plugin-data';
import gmmPlugin from '@mixflow/plugin-gmm';
import { MIXFLOW_CONFIG, MixflowConfig } from '../config/configuration';
import { COMPONENT_REGISTRY, EXECUTION_ENGINE } from './tokens';

/** The plugins are imported, not discovered: the build's project references and jest's mapping both see them. */
export function createRegistry(): ComponentRegistry {
  const registry = new ComponentRegistry();
  registry.register(dataPlugin);
  registry.register(gmmPlugin);
  return registry;
}

@Injectable()
class EngineCloser implements OnApplicationShutdown {
  constructor(@Inject(EXECUTION_ENGINE) private readonly engine: ExecutionEngine) {}
  async onApplicationShutdown(): Promise<void> {
    await this.engine.close();
  }
}

@Global()
@Module({
  providers: [
    { provide: COMPONENT_REGISTRY, useFactory: createRegistry },
    {
      provide: EXECUTION_ENGINE,
      inject: [ConfigService],
      useFactory: (config: ConfigService) => {
        const c = config.getOrThrow<MixflowConfig>(MIXFLOW_CONFIG);
        return createEngine({ kind: c.engine, maxWorkers: c.maxWorkers, redisUrl: c.redisUrl });
      },
    },
    EngineCloser,
  ],
  exports: [COMPONENT_REGISTRY, EXECUTION_ENGINE],
})
export class RegistryModule {}
