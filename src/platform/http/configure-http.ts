import type { INestApplication } from '@nestjs/common';
import type { Express } from 'express';
import { requestScopeMiddleware } from '../context/request-scope';
import { readScopeMiddleware } from '../database/read-routing';
import { bodyErrorHandler, jsonBodyParsers } from './body-limits';

/**
 * The HTTP layer in front of every route, applied before `app.init()` (by main.ts and the e2e harness):
 * trust the loopback proxy's X-Forwarded-For, no X-Powered-By, a request id on every request and response,
 * then JSON bodies within the limits of body-limits.ts, with coded JSON errors instead of HTML pages.
 */
export function configureHttp(app: INestApplication): void {
  const express = app.getHttpAdapter().getInstance() as Express;
  express.set('trust proxy', 'loopback');
  express.disable('x-powered-by');
  const parsers = jsonBodyParsers();
  app.use(requestScopeMiddleware);
  app.use(readScopeMiddleware); // who is calling and how far it last wrote, for routed reads
  app.use('/graphql', parsers.graphql);
  app.use(parsers.other);
  app.use(bodyErrorHandler);
}
