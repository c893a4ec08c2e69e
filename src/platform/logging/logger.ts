import { LoggerService } from '@nestjs/common';
import pino from 'pino';
import { requestScope } from '../context/request-scope';

/**
 * Structured JSON logs on stdout. Nothing that could hold a secret or a sealed bid price is logged:
 * GraphQL variables and mutation inputs never are, only operation names, ids and error codes.
 * Every line written while a request is being served carries its `requestId` (from the request scope,
 * see request-scope.ts), whoever logs it.
 */
export const logger = pino(
  {
    level: process.env.LOG_LEVEL || (process.env.NODE_ENV === 'test' ? 'silent' : 'info'),
    base: { service: 'vbp-platform' },
    timestamp: pino.stdTimeFunctions.isoTime,
    mixin: () => {
      const scope = requestScope.getStore();
      return scope ? { requestId: scope.requestId } : {};
    },
    redact: { paths: ['password', '*.password', 'token', '*.token', 'authorization', '*.authorization', 'variables'], remove: true },
  },
  // LOG_FILE sends the logs to that file instead of stdout (appending, written synchronously)
  process.env.LOG_FILE ? pino.destination({ dest: process.env.LOG_FILE, sync: true, append: true, mkdir: true }) : undefined,
);

/** Routes Nest's own logs through pino. */
export class PinoNestLogger implements LoggerService {
  log(message: unknown, context?: string) {
    logger.info({ context }, String(message));
  }
  error(message: unknown, trace?: string, context?: string) {
    // Nest's ExceptionHandler only reports a failed start-up, which main.ts reports as one line of its own
    if (context === 'ExceptionHandler') {
      logger.debug({ context, err: message }, 'start-up failure details');
      return;
    }
    logger.error({ context, trace }, String(message));
  }
  warn(message: unknown, context?: string) {
    logger.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string) {
    logger.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string) {
    logger.trace({ context }, String(message));
  }
}
