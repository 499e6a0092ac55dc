import type { NestExpressApplication } from '@nestjs/platform-express';
import { json, type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import { verifyJsonDepth } from '../common/json-depth';
import type { MixflowConfig } from '../config/configuration';
import { hostGuard, originGuard, tokenGuard } from './access';

/** JSON body limits: graphs, names and estimates are small; prediction rows and model files are not (their routes read their bodies). */
export const JSON_LIMIT = '2mb';
/** Prediction routes read their bodies themselves, as streams, on the serving threads (apps/api/src/serving). */
export const PREDICT_ROUTE = /^\/api\/(models|deployments)\/[^/]+\/predict\/?$/;
/** Model import streams its body to a file, parsed and checked on a thread (apps/api/src/models). */
export const MODEL_IMPORT_ROUTE = /^\/api\/models\/import\/?$/;

/**
 * Everything a request meets before a route: the Host check (DNS rebinding), the Origin check (CSRF), the
 * access token, the security headers, then the JSON parser with the route's size limit and a depth limit.
 * Refusals come first, so a refused request's body is never read.
 */
export function applyHttpSecurity(app: NestExpressApplication, config: MixflowConfig): void {
  app.disable('x-powered-by');
  app.use(hostGuard(config), originGuard(config), tokenGuard(config));
  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          // React Flow and the charts set style attributes; Swagger UI has a <style> block
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'data:', 'blob:'],
          fontSrc: ["'self'", 'data:'],
          connectSrc: ["'self'"],
          objectSrc: ["'none'"],
          baseUri: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
        },
      },
      // plain HTTP on a LAN is a supported setup: no HSTS, no upgrade of requests to https
      strictTransportSecurity: false,
    }),
  );
  const parse = json({ limit: JSON_LIMIT, verify: verifyJsonDepth });
  const readsItsBody = (req: Request) => req.method === 'POST' && (PREDICT_ROUTE.test(req.path) || MODEL_IMPORT_ROUTE.test(req.path));
  app.use((req: Request, res: Response, next: NextFunction) => (readsItsBody(req) ? next() : parse(req, res, next)));
}
