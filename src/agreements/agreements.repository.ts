import { Injectable } from '@nestjs/common';
import { Db } from '../platform/database/db';
import { RequestContext } from '../platform/context/request-context';
import { AgreementYear } from './agreement-year.entity';
import { VolumeAgreement } from './agreement.entity';
import { rowsByKeys } from '../platform/database/rows-by-keys';

/**
 * The agreements context's reads of the parts of an agreement: one statement for any number of parents,
 * batched per request through the request's DataLoaders. The parent rows were already scoped by the query
 * that returned them; these read children of those parents only.
 */
@Injectable()
export class AgreementsRepository {
  constructor(private readonly db: Db) {}

  /** The agreement years of each agreement, first year first. */
  yearsOf(ctx: RequestContext, agreementId: string): Promise<AgreementYear[]> {
    return ctx.loaders
      .children<string, AgreementYear>(
        'agreements.years',
        (ids) => rowsByKeys(this.db.dataSource, AgreementYear, 'agreementId', [...ids], [['yearIndex', 'ASC'], ['id', 'ASC']]),
        (y) => y.agreementId,
      )
      .load(agreementId);
  }

  /** The agreements each substitution made (they take over failed ones), in id order. */
  agreementsOfSubstitution(ctx: RequestContext, substitutionId: string): Promise<VolumeAgreement[]> {
    return ctx.loaders
      .children<string, VolumeAgreement>(
        'agreements.ofSubstitution',
        (ids) => rowsByKeys(this.db.dataSource, VolumeAgreement, 'substitutionId', [...ids], [['id', 'ASC']]),
        (a) => a.substitutionId!,
      )
      .load(substitutionId);
  }
}
