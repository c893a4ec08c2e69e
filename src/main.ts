import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module';
import { ConfigError, loadConfig } from './platform/config/app-config';
import { logger, PinoNestLogger } from './platform/logging/logger';
import { configureHttp } from './platform/http/configure-http';
import { DEMO_PASSWORD, DEMO_USERS } from './catalog/demo/demo-data';

async function bootstrap() {
  const started = Date.now();
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot({ config }), { logger: new PinoNestLogger(), bodyParser: true });
  configureHttp(app);
  app.enableShutdownHooks();
  await app.listen(config.port, '0.0.0.0');
  const url = await app.getUrl();
  logger.info({ url: `${url}/graphql`, ms: Date.now() - started, env: config.nodeEnv }, 'VBP platform ready');
  if (config.demoData) {
    const lines = [
      `\nVBP platform ready at ${url.replace('[::1]', 'localhost')}/graphql (GraphiQL in a browser) in ${((Date.now() - started) / 1000).toFixed(1)} s`,
      `Platform admin: ${config.adminUsername} / ${process.env.ADMIN_PASSWORD ? '(ADMIN_PASSWORD)' : config.adminPassword}`,
      `Demo logins (password ${DEMO_PASSWORD}), one per organisation, for example:`,
      ...['REGULATOR', 'HOSPITAL', 'MANUFACTURER', 'DISTRIBUTOR', 'SETTLEMENT_OFFICE'].flatMap((role) =>
        DEMO_USERS.filter((u) => u.role === role).slice(0, 2).map((u) => `  ${role.padEnd(18)} ${u.username.padEnd(16)} ${u.displayName}`),
      ),
      ...(config.clockControl ? ['Training clock ON (CLOCK_CONTROL=true): the platform admin moves the platform clock with advancePlatformClock(seconds)'] : []),
      '',
    ];
    process.stdout.write(lines.join('\n') + '\n');
  }
}

bootstrap().catch((error) => {
  logger.fatal({ err: error }, 'start-up failed');
  process.exit(1);
});
