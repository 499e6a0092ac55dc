import { Logger } from '@nestjs/common';
import { createApp } from './app.factory';
import { checkExposure, resolveConfig } from './config/configuration';

async function main(): Promise<void> {
  const config = resolveConfig();
  checkExposure(config);
  const app = await createApp();
  await app.listen(config.port, config.host);
  const { port } = app.getHttpServer().address() as { port: number };
  const shown = config.host === '127.0.0.1' ? 'localhost' : config.host;
  new Logger('Mixflow').log(`serving on http://${shown}:${port} (API docs: /api/docs; data: ${config.dataDir})`);
  if (config.apiToken) new Logger('Mixflow').log('access token required (MIXFLOW_API_TOKEN): send Authorization: Bearer <token>');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
