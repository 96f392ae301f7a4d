import express, { type Express, type Router } from 'express';
import type { Gateway } from '../runtime/context';
import { errorHandler, notFound } from './error-handler';
import { requestId } from './request-id';

export interface AppParts {
  /** Routers mounted before the JSON body parser (they read raw bytes, e.g. signed envelopes). */
  raw: { path: string; router: Router }[];
  /** Routers that take JSON bodies. */
  json: { path: string; router: Router }[];
}

/** The HTTP surface of one gateway: request ids, routers, 404 and the one problem+json handler. */
export function buildApp(gw: Gateway, parts: AppParts): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.use(requestId(gw.log));
  for (const { path, router } of parts.raw) app.use(path, router);
  app.use(
    express.json({
      limit: gw.settings.bodyLimitBytes,
      type: ['application/json', 'application/*+json'],
    }),
  );
  for (const { path, router } of parts.json) app.use(path, router);
  app.use(notFound());
  app.use(errorHandler(gw.log));
  return app;
}
