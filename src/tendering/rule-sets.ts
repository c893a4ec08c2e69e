import { EntityManager } from 'typeorm';
import { RULE_SET_PRESETS, RuleSet, ruleSetOf, validateInput } from '@libs/vbp-rules';
import { RuleSetVersion } from './round.entity';
import { RuleSetChoiceInput } from './dto/round.inputs';
import { TenderingErrors } from './tendering.errors';

export interface ChosenRuleSet {
  code: string;
  version: number | null;
  description: string;
  ruleSet: RuleSet;
}

/**
 * A preset (its latest version) or a custom rule set, checked by the engine's own validation on a minimal
 * one-lot round, so a rule set the engine would refuse at opening is refused when the round is created.
 */
export function chooseRuleSet(choice: RuleSetChoiceInput): ChosenRuleSet {
  const hasPreset = !!choice.presetCode;
  const hasCustom = !!choice.customJson;
  if (hasPreset === hasCustom) throw TenderingErrors.invalid('input.ruleSet', 'Choose either a preset or a custom rule set');
  if (hasPreset) {
    const versions = RULE_SET_PRESETS.filter((p) => p.code === choice.presetCode);
    if (!versions.length) {
      throw TenderingErrors.invalid('input.ruleSet.presetCode', `Unknown preset; one of ${[...new Set(RULE_SET_PRESETS.map((p) => p.code))].join(', ')}`);
    }
    const preset = versions.reduce((a, b) => (b.version > a.version ? b : a));
    return { code: preset.code, version: preset.version, description: preset.description, ruleSet: ruleSetOf(preset) };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(choice.customJson!);
  } catch {
    throw TenderingErrors.invalid('input.ruleSet.customJson', 'Not JSON');
  }
  const probe = {
    ruleSet: parsed,
    lots: [{ id: 'L', specs: [{ id: 'S', comparableFactor: '1', ceilingUnitPrice: '1.0000' }], regions: ['R'], demand: [], bids: [] }],
  };
  const checked = validateInput(probe);
  if (!checked.ok) throw TenderingErrors.ruleSetInvalid(checked.path, checked.error);
  return { code: 'CUSTOM', version: null, description: 'Custom rule set', ruleSet: checked.input.ruleSet };
}

/** The stored version row of a chosen rule set: presets once per version, each custom set a new version. */
export async function storeRuleSet(em: EntityManager, chosen: ChosenRuleSet): Promise<RuleSetVersion> {
  if (chosen.version !== null) {
    await em
      .createQueryBuilder()
      .insert()
      .into(RuleSetVersion)
      .values({ code: chosen.code, version: chosen.version, description: chosen.description, ruleSet: chosen.ruleSet as never })
      .orIgnore()
      .execute();
    return em.findOneOrFail(RuleSetVersion, { where: { code: chosen.code, version: chosen.version } });
  }
  // custom versions are numbered in order; the advisory lock keeps two creators from taking one number
  await em.query(`SELECT pg_advisory_xact_lock(hashtextextended('rule_set_version:CUSTOM', 0))`);
  const [{ next }] = await em.query<{ next: number }[]>(`SELECT COALESCE(MAX(version), 0) + 1 AS next FROM rule_set_version WHERE code = 'CUSTOM'`);
  const row = em.create(RuleSetVersion, { code: 'CUSTOM', version: Number(next), description: chosen.description, ruleSet: chosen.ruleSet as never });
  return em.save(row);
}
