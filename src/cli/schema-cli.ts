/**
 * npm run schema:write — regenerate schema.gql from the code-first resolvers (no database needed).
 * npm run schema:check — regenerate in memory and fail on any difference from the committed schema.gql.
 */
import 'reflect-metadata';
import { readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { NestFactory } from '@nestjs/core';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { AppModule } from '../app.module';
import { loadConfig } from '../platform/config/app-config';

export async function generateSchema(): Promise<string> {
  const config = loadConfig({ ...process.env, NODE_ENV: 'development' }, { mode: 'schema', jobsEnabled: false, demoData: false });
  const app = await NestFactory.create(AppModule.forRoot({ config }), { logger: false });
  await app.init();
  const { schema } = app.get(GraphQLSchemaHost);
  const text = printSchema(lexicographicSortSchema(schema)) + '\n';
  await app.close();
  return text;
}

async function main() {
  const file = join(process.cwd(), 'schema.gql');
  const generated = await generateSchema();
  if (process.argv[2] === 'write') {
    writeFileSync(file, generated);
    console.log(`Wrote ${file}`);
    return;
  }
  let committed = '';
  try {
    committed = readFileSync(file, 'utf8');
  } catch {
    // missing counts as different
  }
  if (committed !== generated) {
    console.error('schema.gql is out of date: run `npm run schema:write` and commit it.');
    process.exit(1);
  }
  console.log('schema:check ok — schema.gql matches the resolvers.');
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
