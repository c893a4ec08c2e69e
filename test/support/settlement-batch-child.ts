/**
 * A separate process that boots the app against a test database and runs one settlement batch slowly, so
 * a test can kill it with SIGKILL mid-batch. Prints "chunk <n> <lines>" after every committed chunk.
 * Env: DATABASE_URL, BATCH_ID, CHUNK_SIZE, CHUNK_DELAY_MS, NOW.
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../../src/app.module';
import { FakeClock } from '../../src/platform/clock/clock';
import { SettlementBatchesService } from '../../src/settlement/settlement-batches.service';
import { testConfig } from '../harness/test-config';

async function main() {
  const config = testConfig({ databaseUrl: process.env.DATABASE_URL! });
  const app = await NestFactory.createApplicationContext(AppModule.forRoot({ config, clock: new FakeClock(process.env.NOW) }), { logger: false });
  const delay = Number(process.env.CHUNK_DELAY_MS ?? '0');
  await app.get(SettlementBatchesService).runBatch(process.env.BATCH_ID!, {
    chunkSize: Number(process.env.CHUNK_SIZE ?? '10000'),
    afterChunk: async ({ chunksDone, linesSettled }) => {
      process.stdout.write(`chunk ${chunksDone} ${linesSettled}\n`);
      await new Promise((r) => setTimeout(r, delay));
    },
  });
  process.stdout.write('done\n');
  await app.close();
}

main().catch((error) => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exit(1);
});
