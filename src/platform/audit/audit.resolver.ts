import { Args, Field, Int, ObjectType, Query, Resolver } from '@nestjs/graphql';
import { Roles } from '../auth/roles.decorator';
import { validationFailed } from '../errors/app-error';
import { AuditCheckpointService } from './audit-checkpoint.service';
import { parseCheckpoint } from './audit-checkpoints';

@ObjectType('AuditChainVerification')
export class AuditChainVerificationType {
  @Field(() => Boolean, { description: 'True when every entry links to the one before and matches its hash, and every signed checkpoint still holds' })
  ok: boolean;

  @Field(() => Int)
  checkedEntries: number;

  @Field(() => Int, { nullable: true, description: 'The first entry found changed, deleted or out of place' })
  firstBrokenSeq: number | null;

  @Field(() => String, { nullable: true })
  reason: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      'Why it failed: ENTRY_MISSING, LINK_MISMATCH, HASH_MISMATCH, CHECKPOINT_TRUNCATED (the chain ends before a checkpoint), CHECKPOINT_MISMATCH (rewritten: the hash at a checkpoint position differs), CHECKPOINT_SIGNATURE_INVALID, CHECKPOINT_INVALID',
  })
  reasonCode: string | null;

  @Field(() => Int, { nullable: true, description: 'The newest signed checkpoint the chain was held against' })
  checkpointPosition: number | null;
}

@Resolver()
@Roles('PLATFORM_ADMIN', 'REGULATOR')
export class AuditResolver {
  constructor(private readonly checkpoints: AuditCheckpointService) {}

  @Query(() => AuditChainVerificationType, {
    description: 'Re-hashes the whole audit chain and holds it against every signed checkpoint in the checkpoint directory and the one given; reports the first break',
  })
  verifyAuditChain(
    @Args('checkpoint', { type: () => String, nullable: true, description: 'A checkpoint kept elsewhere: one JSON object as served by GET /audit/checkpoints' })
    checkpoint?: string | null,
  ) {
    let given = null;
    if (checkpoint !== undefined && checkpoint !== null) {
      given = parseCheckpoint(checkpoint);
      if (!given) throw validationFailed('checkpoint', '检查点格式不正确：应为 GET /audit/checkpoints 返回的一个检查点 JSON 对象');
    }
    return this.checkpoints.verify(given);
  }
}
