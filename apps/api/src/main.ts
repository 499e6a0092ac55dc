import { Logger } from '@nestjs/common';
import { createApp } from './app.factory';
import { resolveConfig } from './config/configuration';

async function main(): Promise<void> {
  const config = resolveConfig();
  const app = await createApp();
  await app.listen(config.port, config.host);
  const { port } = app.getHttpServer().address() as { port: number };
  const shown = config.host === '127.0.0.1' ? 'localhost' : config.host;
  new Logger('Mixflow').log(`serving on http://${shown}:${port} (API docs: /api/docs; data: ${config.dataDir})`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
