import { Field, Int, ObjectType, Query, Resolver } from '@nestjs/graphql';
import { Roles } from '../auth/roles.decorator';
import { AuditService } from './audit.service';

@ObjectType('AuditChainVerification')
export class AuditChainVerificationType {
  @Field(() => Boolean, { description: 'True when every entry links to the one before and matches its hash' })
  ok: boolean;

  @Field(() => Int)
  checkedEntries: number;

  @Field(() => Int, { nullable: true, description: 'The first entry found changed, deleted or out of place' })
  firstBrokenSeq: number | null;

  @Field(() => String, { nullable: true })
  reason: string | null;
}

@Resolver()
@Roles('PLATFORM_ADMIN', 'REGULATOR')
export class AuditResolver {
  constructor(private readonly audit: AuditService) {}

  @Query(() => AuditChainVerificationType, { description: 'Re-hashes the whole audit chain and reports the first broken entry' })
  verifyAuditChain() {
    return this.audit.verifyChain();
  }
}
