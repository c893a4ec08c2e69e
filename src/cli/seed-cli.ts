/** npm run seed:demo — seeds the base and Henan demo data into the configured database (idempotent). */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../app.module';
import { loadConfig } from '../platform/config/app-config';
import { SeedService } from '../catalog/demo/seed.service';
import { DemoHistoryService } from '../catalog/demo/demo-history.service';

async function main() {
  const config = loadConfig(process.env, { mode: 'command', jobsEnabled: false });
  const app = await NestFactory.createApplicationContext(AppModule.forRoot({ config }), { logger: false });
  const seed = app.get(SeedService);
  await seed.ensureBase();
  const report = await seed.seedDemo();
  console.log(`Demo data ensured; newly inserted: ${JSON.stringify(report)}`);
  if (config.demoHistory) {
    const history = await app.get(DemoHistoryService).ensure();
    console.log(history ? `Demo history seeded: ${JSON.stringify(history)}` : 'Demo history was already seeded');
  }
  await app.close();
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
