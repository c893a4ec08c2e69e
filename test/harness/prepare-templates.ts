/**
 * Run by the global setup in a child process (node scripts/run-ts.js …): migrates and seeds the template
 * databases. A separate process keeps the app's classes out of jest's parent process, which may also run
 * test files in band.
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../../src/app.module';
import { adminQuery, databaseUrl, TEMPLATE_DEMO, TEMPLATE_EMPTY } from './pg-server';
import { testConfig } from './test-config';

async function main(adminUrl: string) {
  for (const [name, demo] of [[TEMPLATE_EMPTY, false], [TEMPLATE_DEMO, true]] as const) {
    await adminQuery(adminUrl, `CREATE DATABASE ${name}`);
    const config = testConfig({ databaseUrl: databaseUrl(adminUrl, name), demoData: demo });
    const app = await NestFactory.create(AppModule.forRoot({ config }), { logger: false });
    await app.init(); // migrates, then seeds (jobs are off in tests)
    await app.close();
  }
}

main(process.argv[2]).then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
