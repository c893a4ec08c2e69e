import { readFileSync, readdirSync } from 'fs';
import { join } from 'path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';

/**
 * Validates an OCDS 1.1.5 release package offline against the official schemas and closed codelists kept in
 * libs/supervision-rules/ocds-1.1.5 (Apache-2.0, unchanged). Ajv 8 has no draft-04 mode and ajv-draft-04 is
 * not installed, so the schemas are lifted to draft-07 on load: the only draft-04 construct they use is the
 * top-level `id` (renamed `$id`); they have no boolean exclusiveMinimum/Maximum. OCDS's own annotation
 * keywords (codelist, openCodelist, deprecated, mergeStrategy…) are allowed by turning off strict mode.
 * Test support only: ajv is a devDependency.
 */
export const OCDS_DIR = join(__dirname, '..', '..', 'ocds-1.1.5');

function loadSchema(name: string): Record<string, unknown> {
  const schema = JSON.parse(readFileSync(join(OCDS_DIR, name), 'utf8')) as Record<string, unknown>;
  const { id, $schema: _draft, ...rest } = schema;
  return { $id: id, ...rest };
}

function loadCodelists(): Map<string, Set<string>> {
  const lists = new Map<string, Set<string>>();
  for (const file of readdirSync(join(OCDS_DIR, 'codelists'))) {
    const lines = readFileSync(join(OCDS_DIR, 'codelists', file), 'utf8').split(/\r?\n/).slice(1);
    lists.set(file, new Set(lines.filter(Boolean).map((l) => l.split(',')[0].replace(/^"|"$/g, ''))));
  }
  return lists;
}

export interface OcdsValidation {
  valid: boolean;
  errors: string[];
}

/** The parts of a release whose codes are checked against the codelists (the JSON schema checks the rest). */
interface ReleaseCodes {
  tag?: string[];
  initiationType?: string;
  parties?: { roles?: string[] }[];
  tender?: { status?: string; procurementMethod?: string; mainProcurementCategory?: string; awardCriteria?: string; submissionMethod?: string[] };
  awards?: { status?: string }[];
  contracts?: { status?: string }[];
}

export function createOcdsValidator(): (pkg: unknown) => OcdsValidation {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema(loadSchema('release-schema.json'));
  const validate = ajv.compile(loadSchema('release-package-schema.json'));
  const codelists = loadCodelists();
  // codes the schema leaves open (openCodelist: true) are still checked here, so a typo is caught
  const checks: [string, (r: ReleaseCodes) => unknown[]][] = [
    ['releaseTag.csv', (r) => r.tag ?? []],
    ['initiationType.csv', (r) => [r.initiationType]],
    ['partyRole.csv', (r) => (r.parties ?? []).flatMap((p) => p.roles ?? [])],
    ['tenderStatus.csv', (r) => (r.tender?.status ? [r.tender.status] : [])],
    ['method.csv', (r) => (r.tender?.procurementMethod ? [r.tender.procurementMethod] : [])],
    ['procurementCategory.csv', (r) => (r.tender?.mainProcurementCategory ? [r.tender.mainProcurementCategory] : [])],
    ['awardCriteria.csv', (r) => (r.tender?.awardCriteria ? [r.tender.awardCriteria] : [])],
    ['submissionMethod.csv', (r) => r.tender?.submissionMethod ?? []],
    ['awardStatus.csv', (r) => (r.awards ?? []).map((a) => a.status).filter(Boolean)],
    ['contractStatus.csv', (r) => (r.contracts ?? []).map((c) => c.status).filter(Boolean)],
    ['currency.csv', (r) => JSON.stringify(r).match(/"currency":"[A-Z]{3}"/g)?.map((m) => m.slice(12, 15)) ?? []],
  ];
  return (pkg: unknown) => {
    const errors: string[] = [];
    if (!validate(pkg)) errors.push(...(validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`));
    for (const [i, release] of ((pkg as { releases?: ReleaseCodes[] } | null)?.releases ?? []).entries()) {
      for (const [list, pick] of checks) {
        for (const code of pick(release)) {
          if (!codelists.get(list)!.has(String(code))) errors.push(`/releases/${i}: ${String(code)} is not in ${list}`);
        }
      }
    }
    return { valid: errors.length === 0, errors };
  };
}
