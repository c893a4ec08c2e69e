// Start-up order: the cheap checks (configuration, port) and the database come first, and only then the
// application's modules load (the slow part), so a fault stops the process within seconds, with one line.
import 'reflect-metadata';
import { createServer } from 'net';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { ConfigError, loadConfig } from './platform/config/app-config';
import { logger, PinoNestLogger } from './platform/logging/logger';
import { stopEmbeddedServers } from './platform/database/embedded-postgres';
import { probeDatabase, resolveDatabase } from './platform/database/connect';
import { firstLine, StartupFault } from './platform/startup-fault';
import { configureHttp } from './platform/http/configure-http';

function portFault(port: number, error: unknown): StartupFault {
  const code = (error as { code?: string }).code;
  if (code === 'EADDRINUSE') {
    return new StartupFault(`port ${port} is already in use by another process`, `stop that process, or set PORT to a free port (e.g. PORT=${port + 1} npm start)`);
  }
  if (code === 'EACCES') {
    return new StartupFault(`port ${port} needs privileges this process does not have`, 'set PORT to a port above 1023');
  }
  return new StartupFault(`cannot listen on port ${port} (${code ?? firstLine(error)})`, 'set PORT to a free port');
}

/** Fails fast, before the database starts, when the port is taken (the listen at the end would, much later). */
function assertPortFree(port: number): Promise<void> {
  if (port === 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (error) => reject(portFault(port, error)));
    probe.listen(port, '0.0.0.0', () => probe.close(() => resolve()));
  });
}

const DATABASE_UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', '28P01', '28000', '3D000']);

/** Any start-up failure, as one line naming the cause and the fix. */
function describe(error: unknown, port: number | null): StartupFault {
  if (error instanceof StartupFault) return error;
  if (error instanceof ConfigError) {
    return new StartupFault(
      error.message.replace(/^Configuration error: /, 'configuration error: '),
      `correct ${error.variable} in the environment (README, "Configuration", lists every variable)`,
    );
  }
  const code = (error as { code?: string }).code;
  if (port !== null && (code === 'EADDRINUSE' || code === 'EACCES') && (error as { syscall?: string }).syscall === 'listen') {
    return portFault(port, error);
  }
  if (code && DATABASE_UNREACHABLE.has(code)) {
    return new StartupFault(`cannot connect to the database (${code}: ${firstLine(error)})`, 'start that PostgreSQL server or correct DATABASE_URL (or unset it to use the embedded one)');
  }
  return new StartupFault(`unexpected error: ${firstLine(error)}`, 'start again with LOG_LEVEL=debug for the details, and report it if it persists');
}

/** Set by a stop request during start-up: what fails after it (the database being stopped) is no fault. */
let stopRequested = false;

/** Prints the fault's one line, stops anything started (the embedded PostgreSQL too) and exits non-zero. */
async function failStartup(error: unknown, port: number | null): Promise<void> {
  if (stopRequested) return; // the stop request exits the process once the database is down
  const fault = describe(error, port);
  logger.debug({ err: error }, 'start-up failure details');
  if (process.env.LOG_FILE) logger.fatal({ err: error }, fault.line);
  process.stderr.write(`${fault.line}\n`);
  // never wait long: a stuck stop must not keep a failed start alive
  await Promise.race([stopEmbeddedServers(), new Promise((resolve) => setTimeout(resolve, 8_000).unref())]);
  process.exit(error instanceof ConfigError ? 78 /* EX_CONFIG */ : 1);
}

async function bootstrap() {
  const started = Date.now();
  let port: number | null = null;
  // Until Nest's own shutdown hooks are in place, a stop request must still stop the database it started.
  const stopDuringStartup = (signal: NodeJS.Signals) => {
    stopRequested = true;
    void stopEmbeddedServers().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.once('SIGINT', stopDuringStartup);
  process.once('SIGTERM', stopDuringStartup);
  try {
    const config = loadConfig();
    port = config.port;
    await assertPortFree(config.port);
    const database = await resolveDatabase(config, (line) => logger.debug({ postgres: line.trim() }));
    if (!database.embedded) await probeDatabase(database.url);
    const { NestFactory } = await import('@nestjs/core');
    const { AppModule } = await import('./app.module');
    const { DEMO_PASSWORD, DEMO_USERS } = await import('./catalog/demo/demo-data');
    const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot({ config, database }), {
      logger: new PinoNestLogger(),
      bodyParser: true,
      abortOnError: false, // failures reach failStartup, which stops the database before exiting
    });
    configureHttp(app);
    process.off('SIGINT', stopDuringStartup);
    process.off('SIGTERM', stopDuringStartup);
    app.enableShutdownHooks();
    try {
      await app.listen(config.port, '0.0.0.0');
    } catch (error) {
      await Promise.race([app.close().catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 5_000).unref())]);
      throw error;
    }
    const url = await app.getUrl();
    logger.info({ url: `${url}/graphql`, ms: Date.now() - started, env: config.nodeEnv }, 'VBP platform ready');
    if (config.demoData) {
      const lines = [
        `\nVBP platform ready at ${url.replace('[::1]', 'localhost')}/graphql (GraphiQL in a browser) in ${((Date.now() - started) / 1000).toFixed(1)} s`,
        `Platform admin: ${config.adminUsername} / ${process.env.ADMIN_PASSWORD ? '(ADMIN_PASSWORD)' : config.adminPassword}`,
        ...(config.clockControl ? ['Training clock ON (CLOCK_CONTROL=true): the platform admin moves the platform clock with advancePlatformClock(seconds)'] : []),
        `Demo logins (password ${DEMO_PASSWORD}), one per organisation, for example:`,
        ...['REGULATOR', 'HOSPITAL', 'MANUFACTURER', 'DISTRIBUTOR', 'SETTLEMENT_OFFICE'].flatMap((role) =>
          DEMO_USERS.filter((u) => u.role === role).slice(0, 2).map((u) => `  ${role.padEnd(18)} ${u.username.padEnd(16)} ${u.displayName}`),
        ),
        '',
      ];
      process.stdout.write(lines.join('\n') + '\n');
    }
  } catch (error) {
    await failStartup(error, port);
  }
}

void bootstrap();
