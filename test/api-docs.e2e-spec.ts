import { readFileSync } from 'fs';
import { join } from 'path';
import { Kind, OperationTypeNode, parse, print } from 'graphql';
import { GqlClient, startTestApp, TestApp } from '@test/harness';

/**
 * The first hour of docs/api.md, run against the demo data: every query of a role's section that needs no id
 * from an earlier step ("<…>") is sent as that role's demo user and must answer without errors.
 */
const doc = readFileSync(join(__dirname, '..', 'docs', 'api.md'), 'utf8');
const firstHour = doc.slice(doc.indexOf('## The first hour'), doc.indexOf('# Workflows in detail'));

interface Example {
  section: string;
  login: string | null;
  query: string;
}

function examples(): Example[] {
  const out: Example[] = [];
  for (const section of firstHour.split(/^### /m).slice(1)) {
    const heading = section.split('\n')[0];
    const login = /no login/.test(heading) ? null : /\(`([\w-]+)`\)/.exec(heading)?.[1];
    if (login === undefined) throw new Error(`no login in the heading "${heading}"`);
    for (const block of section.matchAll(/^```graphql\n([\s\S]*?)^```/gm)) {
      for (const definition of parse(block[1]).definitions) {
        if (definition.kind !== Kind.OPERATION_DEFINITION || definition.operation !== OperationTypeNode.QUERY || definition.variableDefinitions?.length) continue;
        const query = print(definition);
        if (!query.includes('<')) out.push({ section: heading, login, query });
      }
    }
  }
  return out;
}

describe('docs/api.md: the first hour runs against the demo data', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('answers every self-contained query of each role without errors', async () => {
    const all = examples();
    expect(all.length).toBeGreaterThan(30);
    const failures: string[] = [];
    for (const example of all) {
      const client: GqlClient = example.login === null ? t.anonymous : example.login === 'admin' ? t.admin : t.as(example.login);
      const res = await client.gql(example.query);
      if (res.errors?.length || !res.data) failures.push(`${example.section}: ${example.query.replace(/\s+/g, ' ')} → ${JSON.stringify(res.errors)}`);
    }
    expect(failures).toEqual([]);
  });

  it('finds the demo organisations by the codes the document gives', async () => {
    const table = doc.slice(doc.indexOf('## The demo province'), doc.indexOf('## The first hour'));
    const codes = [...table.matchAll(/`(\d{6}|[0-9A-Z]{18})`/g)].map((m) => m[1]);
    expect(codes.length).toBeGreaterThanOrEqual(10);
    for (const code of codes) {
      const res = await t.as('hosp-zz-1').ok<{ organisation: { code: string } }>(`query($code: String!) { organisation(code: $code) { code } }`, { code });
      expect(res.organisation.code).toBe(code);
    }
  });
});
