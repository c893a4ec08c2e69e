import { Module, Global } from '@nestjs/common';
import { CREDIT_CHECKS } from '../platform/ports/context-ports';
import { CreditService } from './credit.service';
import { CreditResolver } from './credit.resolver';
import { CreditNoticesService } from './credit-notices.service';
import { CreditEventNoticeResolver, CreditNoticesResolver } from './credit-notices.resolver';
import { CreditRepository } from './credit.repository';

/** Price and procurement credit rating: events, ratings, sanctions, repair, commitment letters, disclosure. */
// Global: it provides a port (docs/context-contracts.md) that other contexts inject by token.
@Global()
@Module({
  providers: [CreditService, CreditRepository, CreditResolver, CreditNoticesService, CreditNoticesResolver, CreditEventNoticeResolver, { provide: CREDIT_CHECKS, useExisting: CreditService }],
  exports: [CreditService, CREDIT_CHECKS],
})
export class CreditModule {}
