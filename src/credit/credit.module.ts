import { Module, Global } from '@nestjs/common';
import { CREDIT_CHECKS } from '../platform/ports/context-ports';
import { CreditService } from './credit.service';
import { CreditResolver } from './credit.resolver';

/** Price and procurement credit rating: events, ratings, sanctions, repair, commitment letters, disclosure. */
// Global: it provides a port (docs/context-contracts.md) that other contexts inject by token.
@Global()
@Module({
  providers: [CreditService, CreditResolver, { provide: CREDIT_CHECKS, useExisting: CreditService }],
  exports: [CreditService, CREDIT_CHECKS],
})
export class CreditModule {}
