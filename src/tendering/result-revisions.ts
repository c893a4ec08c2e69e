import { EntityManager } from 'typeorm';
import { RoundResult as EngineResult } from '@libs/vbp-rules';
import { ResultRevision } from './result-revision.entity';

/** The latest revision of each of the round's lots that has one (its result in force). */
export async function latestRevisions(em: EntityManager, roundId: string): Promise<Map<string, ResultRevision>> {
  const rows = await em
    .createQueryBuilder(ResultRevision, 'v')
    .distinctOn(['v.lot_id'])
    .where('v.round_id = :roundId', { roundId })
    .orderBy('v.lot_id')
    .addOrderBy('v.revision', 'DESC')
    .getMany();
  return new Map(rows.map((r) => [r.lotId, r]));
}

/** The round's result in force: the opening output with each revised lot replaced by its latest revision. */
export async function effectiveOutput(em: EntityManager, roundId: string, opening: EngineResult): Promise<EngineResult> {
  const revisions = await latestRevisions(em, roundId);
  if (!revisions.size) return opening;
  return { lots: opening.lots.map((lot) => (revisions.get(lot.id)?.engineOutput as unknown as EngineResult['lots'][number] | undefined) ?? lot) };
}

/**
 * The publicity end that applies to an objection on `lotId` (or the whole round): a revised lot's restarted
 * publicity, else the round's original publicity end (before any restart extended the round's).
 */
export async function objectionDeadline(em: EntityManager, round: { id: string; publicityEndsAt: Date | null }, lotId: string | null): Promise<Date | null> {
  const revisions = await em.find(ResultRevision, { where: { roundId: round.id }, order: { createdAt: 'ASC', revision: 'ASC' } });
  if (!revisions.length) return round.publicityEndsAt;
  const ofLot = lotId ? revisions.filter((r) => r.lotId === lotId) : [];
  if (ofLot.length) return ofLot[ofLot.length - 1].publicityEndsAt;
  return revisions[0].previousPublicityEndsAt ?? round.publicityEndsAt;
}
