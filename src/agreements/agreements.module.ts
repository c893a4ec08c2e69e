import { Module, Global } from '@nestjs/common';
import { AGREEMENT_ISSUANCE, AGREEMENT_SUPPLY } from '../platform/ports/context-ports';
import { AgreementsService } from './agreements.service';
import { AgreementsResolver, AgreementYearsResolver, SupplySubstitutionsResolver } from './agreements.resolver';
import { SupplySubstitutionsService } from './supply-substitutions.service';
import { AgreementYearsService } from './agreement-years.service';
import { AgreementsRepository } from './agreements.repository';

/** Volume agreements, prepayments due, completion, supply failure and takeover; provides AGREEMENT_SUPPLY and AGREEMENT_ISSUANCE. */
// Global: it provides a port (docs/context-contracts.md) that other contexts inject by token.
@Global()
@Module({
  providers: [AgreementsService, AgreementsRepository, AgreementsResolver, AgreementYearsService, AgreementYearsResolver, SupplySubstitutionsService, SupplySubstitutionsResolver, { provide: AGREEMENT_SUPPLY, useExisting: AgreementsService }, { provide: AGREEMENT_ISSUANCE, useExisting: AgreementsService }],
  exports: [AgreementsService, AgreementYearsService, AGREEMENT_SUPPLY, AGREEMENT_ISSUANCE],
})
export class AgreementsModule {}
