import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { timingSafeEqual } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import { isLoopbackHost, MixflowConfig } from '../config/configuration';

/** Routes anyone may call, with or without the token (load balancers, the CLI's wait-for-server). */
const PUBLIC_API = new Set(['/api/health']);
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** GETs may carry the token as `?access_token=`: EventSource and download links cannot set a header. */
export const TOKEN_QUERY = 'access_token';

function refuse(res: Response, status: number, message: string): void {
  res.status(status).json({ statusCode: status, message, error: STATUS_CODES[status] });
}

/** the name part of a Host header or an origin's host (`[::1]:3000` → `[::1]`, `a.b:80` → `a.b`) */
function hostName(host: string): string {
  const m = /^(\[[^\]]*\]|[^:]*)(:\d+)?$/.exec(host.trim().toLowerCase());
  return m ? m[1] : host.toLowerCase();
}

/**
 * DNS rebinding guard: a page on evil.example whose name resolves to 127.0.0.1 reaches this server with
 * `Host: evil.example`. Only loopback names, the configured HOST and MIXFLOW_ALLOWED_HOSTS are served.
 */
export function hostGuard(config: Pick<MixflowConfig, 'host' | 'allowedHosts'>): RequestHandler {
  const allowed = new Set([...config.allowedHosts, ...(['0.0.0.0', '::'].includes(config.host) ? [] : [config.host.toLowerCase()])]);
  return (req: Request, res: Response, next: NextFunction) => {
    const name = hostName(req.headers.host ?? '');
    if (isLoopbackHost(name) || allowed.has(name)) return next();
    refuse(res, 403, `this server does not answer to the host name '${name.slice(0, 100)}'; list it in MIXFLOW_ALLOWED_HOSTS to allow it`);
  };
}

/**
 * CSRF guard: a state-changing request (POST, PUT, PATCH, DELETE) from a browser carries `Origin`; one whose
 * origin is not this server (same host as the Host header, or an allowed host) is refused. Requests without
 * `Origin` (the CLI, the SDK, curl) are not browsers' cross-site requests and pass.
 */
export function originGuard(config: Pick<MixflowConfig, 'allowedHosts'>): RequestHandler {
  const allowed = new Set(config.allowedHosts);
  return (req: Request, res: Response, next: NextFunction) => {
    if (SAFE_METHODS.has(req.method)) return next();
    const origin = req.headers.origin;
    if (origin === undefined) return next();
    let host: string | undefined;
    try {
      host = new URL(origin).host.toLowerCase();
    } catch {
      host = undefined; // "null" (sandboxed pages, file://) and garbage: never our own origin
    }
    const own = (req.headers.host ?? '').toLowerCase();
    if (host !== undefined && (host === own || allowed.has(hostName(host)))) return next();
    refuse(res, 403, `cross-site request refused: Origin ${origin.slice(0, 100)} is not this server; use the console served by this server, or a client that sends no Origin`);
  };
}

function sameSecret(given: string, token: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * MIXFLOW_API_TOKEN: every /api route except /api/health needs `Authorization: Bearer <token>`; a GET may
 * send `?access_token=<token>` instead (the console's EventSource and download links). The console page
 * itself (/, its assets) is public: it holds no data and asks for the token.
 */
export function tokenGuard(config: Pick<MixflowConfig, 'apiToken'>): RequestHandler {
  const token = config.apiToken;
  return (req: Request, res: Response, next: NextFunction) => {
    if (!token || !(req.path === '/api' || req.path.startsWith('/api/')) || PUBLIC_API.has(req.path)) return next();
    const header = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1]?.trim();
    const query = SAFE_METHODS.has(req.method) ? req.query[TOKEN_QUERY] : undefined;
    const given = header ?? (typeof query === 'string' ? query : undefined);
    if (given !== undefined && sameSecret(given, token)) {
      // the token is the guard's: handlers validate their own query (unknown keys are a 400) and never see it
      if (query !== undefined) req.url = withoutTokenQuery(req.url);
      return next();
    }
    res.setHeader('WWW-Authenticate', 'Bearer realm="mixflow"');
    refuse(res, 401, given === undefined
      ? 'this server needs an access token: send Authorization: Bearer <MIXFLOW_API_TOKEN>'
      : 'the access token is not this server\'s MIXFLOW_API_TOKEN');
  };
}

/** A URL without its `access_token` query parameter (the others kept as they were). */
export function withoutTokenQuery(url: string): string {
  const at = url.indexOf('?');
  if (at < 0) return url;
  const kept = url
    .slice(at + 1)
    .split('&')
    .filter((pair) => pair !== '' && queryKey(pair) !== TOKEN_QUERY);
  return kept.length ? `${url.slice(0, at)}?${kept.join('&')}` : url.slice(0, at);
}

function queryKey(pair: string): string {
  const key = pair.split('=')[0].replace(/\+/g, ' ');
  try {
    return decodeURIComponent(key);
  } catch {
    return key; // a malformed escape is not the token's key; the handler's validation answers for it
  }
}
