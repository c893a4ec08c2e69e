import { Module } from '@nestjs/common';
import { CatalogModule } from '../catalog/catalog.module';
import { AgreementsModule } from '../agreements/agreements.module';
import { RoundsService } from './rounds.service';
import { RoundsRepository } from './rounds.repository';
import { OpeningService } from './opening.service';
import { BidsService } from './bids.service';
import { DemandService } from './demand.service';
import { PublicityService } from './publicity.service';
import { LotsResolver, PublicResultsResolver, RoundsResolver, RuleSetVersionResolver } from './rounds.resolver';
import { BidsResolver, DemandResolver } from './bids.resolver';
import { OpeningCommitteeService } from './opening-committee.service';
import { OpeningCommitteeResolver } from './opening-committee.resolver';
import { ObjectionOutcomesService } from './objection-outcomes.service';
import { RenewalsService } from './renewals.service';
import { RenewalsResolver } from './renewals.resolver';
import { ExternalAwardsService } from './external-awards.service';
import { ExternalAwardsResolver, ExternalAwardVersionResolver } from './external-awards.resolver';
import { DemandBaselinesResolver } from './demand-baselines.resolver';

/** Procurement rounds from demand reporting to confirmation, with sealed bids and the evaluation engine. */
@Module({
  imports: [CatalogModule, AgreementsModule],
  providers: [
    RoundsService,
    RoundsRepository,
    OpeningService,
    BidsService,
    DemandService,
    PublicityService,
    RoundsResolver,
    LotsResolver,
    RuleSetVersionResolver,
    PublicResultsResolver,
    BidsResolver,
    DemandResolver,
    OpeningCommitteeService,
    OpeningCommitteeResolver,
    ObjectionOutcomesService,
    RenewalsService,
    RenewalsResolver,
    ExternalAwardsService,
    ExternalAwardsResolver,
    ExternalAwardVersionResolver,
    DemandBaselinesResolver,
  ],
  exports: [RoundsService],
})
export class TenderingModule {}
