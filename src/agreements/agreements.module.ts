import { Module, Global } from '@nestjs/common';
import { AGREEMENT_SUPPLY } from '../platform/ports/context-ports';
import { AgreementsService } from './agreements.service';
import { AgreementsResolver } from './agreements.resolver';

/** Volume agreements, prepayments due, completion, supply failure and takeover; provides AGREEMENT_SUPPLY. */
// Global: it provides a port (docs/context-contracts.md) that other contexts inject by token.
@Global()
@Module({
  providers: [AgreementsService, AgreementsResolver, { provide: AGREEMENT_SUPPLY, useExisting: AgreementsService }],
  exports: [AgreementsService, AGREEMENT_SUPPLY],
})
export class AgreementsModule {}
