import type { EmbeddedServer } from '../../src/platform/database/embedded-postgres';

export default async function globalTeardown() {
  const server = (globalThis as Record<string, unknown>).__VBP_TEST_PG__ as EmbeddedServer | undefined;
  await server?.stop();
}
