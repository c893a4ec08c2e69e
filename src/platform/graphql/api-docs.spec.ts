import { readFileSync } from 'fs';
import { join } from 'path';
import { buildSchema, Kind, LoneAnonymousOperationRule, parse, specifiedRules, UniqueOperationNamesRule, validate } from 'graphql';
import { AUTHORIZATION_MATRIX, Allowed } from '../../../test/security/authorization-matrix';

/**
 * docs/api.md documents every operation of schema.gql: a row of its reference table with the roles that may
 * call it (the same as the security suite's matrix), and at least one example that is valid against the
 * schema. A new query or mutation without documentation fails here.
 */
const root = join(__dirname, '..', '..', '..');
const schema = buildSchema(readFileSync(join(root, 'schema.gql'), 'utf8'));
const doc = readFileSync(join(root, 'docs', 'api.md'), 'utf8');

const operations = [
  ...Object.keys(schema.getQueryType()!.getFields()).map((name) => ({ name, kind: 'query' })),
  ...Object.keys(schema.getMutationType()!.getFields()).map((name) => ({ name, kind: 'mutation' })),
].sort((a, b) => a.name.localeCompare(b.name));

/** ```graphql blocks, with the line they start on (for the failure message). */
const blocks = [...doc.matchAll(/^```graphql\n([\s\S]*?)^```/gm)].map((m) => ({ text: m[1], line: doc.slice(0, m.index).split('\n').length }));

/** Rows of the reference table: | `name` | query or mutation | who may call it | … | */
const rows = new Map(
  [...doc.matchAll(/^\| `(\w+)` \| (query|mutation) \| ([^|]+) \|/gm)].map((m) => [m[1], { kind: m[2], roles: m[3].trim() }]),
);

function rolesOf(cell: string): Allowed {
  if (/no login/.test(cell)) return 'PUBLIC';
  if (/any logged-in/.test(cell)) return 'ANY';
  return [...cell.matchAll(/[A-Z][A-Z_]{3,}/g)].map((m) => m[0]).sort() as Allowed;
}

function normalised(allowed: Allowed | undefined): Allowed | undefined {
  return Array.isArray(allowed) ? [...allowed].sort() : allowed;
}

describe('docs/api.md', () => {
  it('names every operation of schema.gql in a heading or a code span', () => {
    const outsideBlocks = doc.replace(/^```[\s\S]*?^```/gm, '');
    const named = new Set<string>();
    for (const m of outsideBlocks.matchAll(/`(\w+)(\(|`)/g)) named.add(m[1]);
    for (const m of outsideBlocks.matchAll(/^#+ .*$/gm)) for (const w of m[0].matchAll(/\w+/g)) named.add(w[0]);
    expect(operations.filter((op) => !named.has(op.name)).map((op) => op.name)).toEqual([]);
  });

  it('lists every operation, and only those, in the reference table with its kind', () => {
    expect(operations.filter((op) => rows.get(op.name)?.kind !== op.kind).map((op) => `${op.kind} ${op.name}`)).toEqual([]);
    expect([...rows.keys()].filter((name) => !operations.some((op) => op.name === name))).toEqual([]);
  });

  it('gives each operation the roles the security suite checks it against', () => {
    const wrong = operations
      .map((op) => ({ op: op.name, documented: rolesOf(rows.get(op.name)?.roles ?? ''), enforced: normalised(AUTHORIZATION_MATRIX[op.name]) }))
      .filter((r) => JSON.stringify(r.documented) !== JSON.stringify(r.enforced));
    expect(wrong).toEqual([]);
  });

  it('has examples that are valid against schema.gql', () => {
    const rules = specifiedRules.filter((rule) => rule !== LoneAnonymousOperationRule && rule !== UniqueOperationNamesRule);
    const invalid: string[] = [];
    for (const block of blocks) {
      try {
        for (const error of validate(schema, parse(block.text), rules)) invalid.push(`docs/api.md:${block.line}: ${error.message}`);
      } catch (error) {
        invalid.push(`docs/api.md:${block.line}: ${(error as Error).message}`);
      }
    }
    expect(invalid).toEqual([]);
  });

  it('shows every operation in at least one example', () => {
    const exemplified = new Set<string>();
    for (const block of blocks) {
      let document;
      try {
        document = parse(block.text);
      } catch {
        continue; // reported by the validity test
      }
      for (const definition of document.definitions) {
        if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
        for (const selection of definition.selectionSet.selections) if (selection.kind === Kind.FIELD) exemplified.add(selection.name.value);
      }
    }
    expect(operations.filter((op) => !exemplified.has(op.name)).map((op) => op.name)).toEqual([]);
  });
});
