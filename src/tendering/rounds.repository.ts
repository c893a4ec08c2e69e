import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { Db } from '../platform/database/db';
import { RequestContext } from '../platform/context/request-context';
import { byKeys } from '../platform/graphql/loaders';
import { Lot, LotSpec, Round, RuleSetVersion } from './round.entity';
import { ExternalAwardVersion } from './external-award.entity';
import { RenewalDemand, RenewalOffer } from './renewal.entity';

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

  /** Every imported version of each national or alliance batch, oldest first. */
  externalAwardVersionsOf(ctx: RequestContext, batchId: string): Promise<ExternalAwardVersion[]> {
    return ctx.loaders
      .children<string, ExternalAwardVersion>(
        'rounds.externalAwardVersions',
        (ids) => this.db.manager.find(ExternalAwardVersion, { where: { batchId: In([...ids]) }, order: { version: 'ASC', id: 'ASC' } }),
        (v) => v.batchId,
      )
      .load(batchId);
  }

  round(ctx: RequestContext, id: string): Promise<Round | null> {
    return ctx.loaders.get<string, Round>('rounds.round', async (ids) => byKeys(ids, await this.db.manager.find(Round, { where: { id: In([...ids]) } }), (r) => r.id)).load(id);
  }

  /** The offers of each renewal by lot and bid; with `manufacturerId`, only that manufacturer's. */
  renewalOffersOf(ctx: RequestContext, renewalId: string, manufacturerId: string | null): Promise<RenewalOffer[]> {
    return ctx.loaders
      .children<string, RenewalOffer>(
        manufacturerId ? `rounds.renewalOffers.of.${manufacturerId}` : 'rounds.renewalOffers',
        (ids) =>
          this.db.manager.find(RenewalOffer, {
            where: manufacturerId ? { renewalId: In([...ids]), manufacturerId } : { renewalId: In([...ids]) },
            order: { lotId: 'ASC', bidId: 'ASC' },
          }),
        (o) => o.renewalId,
      )
      .load(renewalId);
  }

  /** The demand lines of each renewal by lot and hospital; with `hospitalId`, only that hospital's. */
  renewalDemandOf(ctx: RequestContext, renewalId: string, hospitalId: string | null): Promise<RenewalDemand[]> {
    return ctx.loaders
      .children<string, RenewalDemand>(
        hospitalId ? `rounds.renewalDemand.of.${hospitalId}` : 'rounds.renewalDemand',
        (ids) =>
          this.db.manager.find(RenewalDemand, {
            where: hospitalId ? { renewalId: In([...ids]), hospitalId } : { renewalId: In([...ids]) },
            order: { lotId: 'ASC', hospitalId: 'ASC' },
          }),
        (d) => d.renewalId,
      )
      .load(renewalId);
  }
}
