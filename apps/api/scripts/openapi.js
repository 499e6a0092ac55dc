#!/usr/bin/env node
// Writes the API's OpenAPI document (what GET /api/docs-json answers) to a file, from the built server
// (apps/api/dist), with a throwaway data folder: `node apps/api/scripts/openapi.js [out.json]`
// (default artifacts/openapi.json). `npm run lint:openapi` lints it with Redocly's recommended rules and
// `npm run openapi:types` turns it into apps/web/src/api/openapi.d.ts.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

async function main() {
  const root = path.resolve(__dirname, '..', '..', '..');
  const out = path.resolve(process.argv[2] ?? path.join(root, 'artifacts', 'openapi.json'));
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mixflow-openapi-'));
  process.env.MIXFLOW_SEED = '0';
  const { createApp, openApiDocument } = require(path.join(root, 'apps', 'api', 'dist', 'app.factory.js'));
  const app = await createApp({ dataDir, db: path.join(dataDir, 'mixflow.sqlite') }, { logger: false });
  try {
    await app.init();
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, `${JSON.stringify(openApiDocument(app), null, 2)}\n`);
    console.log(`openapi: ${path.relative(process.cwd(), out)}`);
  } finally {
    await app.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
