import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { Db } from '../platform/database/db';
import { RequestContext } from '../platform/context/request-context';
import { byKeys } from '../platform/graphql/loaders';
import { Lot, LotSpec, RuleSetVersion } from './round.entity';

/**
 * The tendering context's reads of what hangs below a round: one statement per field for a whole page of
 * rounds, batched per request (see OrdersRepository for the pattern).
 */
@Injectable()
export class RoundsRepository {
  constructor(private readonly db: Db) {}

  lotsOf(ctx: RequestContext, roundId: string): Promise<Lot[]> {
    return ctx.loaders
      .children<string, Lot>('rounds.lots', (ids) => this.db.manager.find(Lot, { where: { roundId: In([...ids]) }, order: { seq: 'ASC' } }), (l) => l.roundId)
      .load(roundId);
  }

  specsOf(ctx: RequestContext, lotId: string): Promise<LotSpec[]> {
    return ctx.loaders
      .children<string, LotSpec>('rounds.lotSpecs', (ids) => this.db.manager.find(LotSpec, { where: { lotId: In([...ids]) }, order: { comparableFactor: 'ASC' } }), (s) => s.lotId)
      .load(lotId);
  }

  ruleSetVersion(ctx: RequestContext, id: string): Promise<RuleSetVersion | null> {
    return ctx.loaders
      .get<string, RuleSetVersion>('rounds.ruleSetVersion', async (ids) => byKeys(ids, await this.db.manager.find(RuleSetVersion, { where: { id: In([...ids]) } }), (v) => v.id))
      .load(id);
  }
}
