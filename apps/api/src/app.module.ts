import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { ComponentsModule } from './components/components.module';
import { MIXFLOW_CONFIG, MixflowConfig, resolveConfig } from './config/configuration';
import { DatabaseModule } from './database/database.module';
import { DatasetsModule } from './datasets/datasets.module';
import { DeploymentsModule } from './deployments/deployments.module';
import { ExperimentsModule } from './experiments/experiments.module';
import { GraphsModule } from './graphs/graphs.module';
import { HealthModule } from './health/health.module';
import { ModelsModule } from './models/models.module';
import { RegistryModule } from './registry/registry.module';
import { RunsModule } from './runs/runs.module';
import { SeedModule } from './seed/seed.module';
import { StorageModule } from './storage/storage.module';
import { WebModule } from './web/web.module';

@Module({})
export class AppModule {
  /** `overrides` win over the environment (tests pass their temp folders and ports here). */
  static forRoot(overrides: Partial<MixflowConfig> = {}): DynamicModule {
    const config = resolveConfig(process.env, overrides);
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, load: [() => ({ [MIXFLOW_CONFIG]: config })] }),
        StorageModule,
        DatabaseModule,
        RegistryModule,
        HealthModule,
        ComponentsModule,
        GraphsModule,
        DatasetsModule,
        ExperimentsModule,
        RunsModule,
        ModelsModule,
        DeploymentsModule,
        SeedModule,
        WebModule.forRoot(config.webDist),
      ],
    };
  }
}
