export { createApp } from './app.factory';
export { AppModule } from './app.module';
export { resolveConfig, type MixflowConfig } from './config/configuration';
