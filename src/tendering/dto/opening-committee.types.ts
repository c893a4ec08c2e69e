import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { ReadPolicy, everyRow } from '../../platform/auth/read-policy';

@ObjectType()
export class OpeningCommitteeMemberView {
  @Field(() => ID)
  userId: string;

  @Field(() => String)
  username: string;

  @Field(() => String)
  displayName: string;

  @Field(() => Int, { description: 'The share’s index x (1..n)' })
  shareIndex: number;

  @Field(() => Date, { nullable: true, description: 'When the member fetched their share (once)' })
  deliveredAt: Date | null;

  @Field(() => Date, { nullable: true, description: 'When the member submitted their share for opening' })
  submittedAt: Date | null;
}

@ObjectType()
@ReadPolicy({ roles: ['REGULATOR', 'PLATFORM_ADMIN'], scope: { REGULATOR: everyRow }, note: 'the service answers only the round\'s managing regulators and its committee members' })
export class OpeningCommittee {
  @Field(() => ID)
  roundId: string;

  @Field(() => Int, { description: 'k' })
  threshold: number;

  @Field(() => Int, { description: 'n' })
  memberCount: number;

  @Field(() => Int, { description: 'Shares submitted for opening so far' })
  submittedCount: number;

  @Field(() => String, { nullable: true, description: 'The round’s X25519 public key (hex), once bidding opened' })
  publicKey: string | null;

  @Field(() => Date, { nullable: true })
  keyCreatedAt: Date | null;

  @Field(() => [OpeningCommitteeMemberView])
  members: OpeningCommitteeMemberView[];
}

@ObjectType({ description: 'Your key share of a round, delivered once: keep it offline until opening' })
@ReadPolicy({ roles: ['REGULATOR'], scope: { REGULATOR: everyRow }, note: 'only ever the calling member\'s own share, once' })
export class OpeningKeyShare {
  @Field(() => ID)
  roundId: string;

  @Field(() => Int)
  shareIndex: number;

  @Field(() => String, { description: 'The share as text (VBPS1-<x>-<hex>); the server no longer holds it after this answer' })
  share: string;

  @Field(() => Int)
  threshold: number;

  @Field(() => Int)
  memberCount: number;

  @Field(() => String, { description: 'The round’s public key (hex) the share belongs to' })
  publicKey: string;
}

@ObjectType()
@ReadPolicy({ roles: ['REGULATOR'], scope: { REGULATOR: everyRow }, note: 'the submitting member\'s own progress report' })
export class OpeningProgress {
  @Field(() => ID)
  roundId: string;

  @Field(() => Int)
  submittedCount: number;

  @Field(() => Int)
  threshold: number;

  @Field(() => Boolean, { description: 'True when this share was the k-th and the round is now opened' })
  opened: boolean;

  @Field(() => String)
  roundState: string;
}
