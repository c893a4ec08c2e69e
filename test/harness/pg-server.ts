import { Client } from 'pg';

/** Names shared by the global setup (which makes them) and the test files (which clone them). */
export const TEMPLATE_DEMO = 'vbp_template_demo';
export const TEMPLATE_EMPTY = 'vbp_template_empty';
export const ADMIN_URL_ENV = 'VBP_TEST_PG_ADMIN_URL';

export function databaseUrl(adminUrl: string, database: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

export async function adminQuery<T = unknown>(adminUrl: string, sql: string): Promise<T[]> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}
