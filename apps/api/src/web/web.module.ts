import { Controller, DynamicModule, Get, Header, Module } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { ServeStaticModule } from '@nestjs/serve-static';
import * as fs from 'node:fs';
import * as path from 'node:path';

@ApiExcludeController()
@Controller()
class WebMissingController {
  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  index(): string {
    return `<!doctype html><html><head><title>Mixflow</title></head><body style="font-family:sans-serif">
<h1>Mixflow API is running</h1>
<p>The web console has not been built: run <code>npm run build</code> (it builds apps/web into apps/web/dist) and restart.</p>
<p>The API is at <a href="/api/docs">/api/docs</a> (OpenAPI: <a href="/api/docs-json">/api/docs-json</a>).</p>
</body></html>`;
  }
}

/** The console's built files at / with the SPA fallback to index.html; a plain page when there is no build. */
@Module({})
export class WebModule {
  static forRoot(webDist: string): DynamicModule {
    if (fs.existsSync(path.join(webDist, 'index.html'))) {
      return {
        module: WebModule,
        imports: [ServeStaticModule.forRoot({ rootPath: webDist, exclude: ['/api/{*path}'] })],
      };
    }
    return { module: WebModule, controllers: [WebMissingController] };
  }
}
