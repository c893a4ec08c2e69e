import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { Check, Column, Entity, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { ReadPolicy } from '../platform/auth/read-policy';

export const RESULT_REVISION_ACTIONS = ['EXCLUDE_BID', 'REINSTATE_BID'] as const;
export type ResultRevisionAction = (typeof RESULT_REVISION_ACTIONS)[number];

/**
 * 异议成立后的结果更正: one lot's result re-evaluated by the engine after an upheld objection excluded or
 * reinstated a bid. Stored once and never changed; the opening result stays as it was, and the latest
 * revision of a lot is its result in force. `engine_input`/`engine_output` hold the lot's input (with the
 * excluded flags) and output verbatim, so anyone can re-run the engine and get the same result.
 */
@ReadPolicy({ roles: 'ANY', note: 'the service decides: who sees the round once its result is public' })
@ObjectType('ResultRevision')
@Entity('tender_result_revision')
@Unique(['lotId', 'revision'])
@Check(`revision >= 1`)
@Check(`action IN ('EXCLUDE_BID','REINSTATE_BID')`)
export class ResultRevision {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field(() => ID)
  @Index()
  @Column('uuid')
  roundId: string;

  @Field(() => ID)
  @Column('uuid')
  lotId: string;

  @Field(() => Int, { description: '1 for the first correction of the lot’s opening result' })
  @Column('int')
  revision: number;

  @Field(() => ID)
  @Column('uuid')
  objectionId: string;

  @Field(() => String, { description: RESULT_REVISION_ACTIONS.join(' or ') })
  @Column('text')
  action: ResultRevisionAction;

  @Field(() => ID)
  @Column('uuid')
  bidId: string;

  @Field(() => String)
  @Column('text')
  reason: string;

  @Field(() => [ID], { description: 'Bids of the lot excluded after this revision' })
  @Column('uuid', { array: true })
  excludedBidIds: string[];

  @Field(() => [ID])
  @Column('uuid', { array: true })
  winnersBefore: string[];

  @Field(() => [ID])
  @Column('uuid', { array: true })
  winnersAfter: string[];

  @Field(() => [ID], { description: 'Manufacturers whose bid status or awarded price changed' })
  @Column('uuid', { array: true })
  affectedManufacturerIds: string[];

  @Field(() => [ID], { description: 'Hospitals whose allocation (winner or quantity) changed' })
  @Column('uuid', { array: true })
  affectedHospitalIds: string[];

  @Field(() => Date, { description: 'Publicity of the lot restarts: the new end' })
  @Column('timestamptz')
  publicityEndsAt: Date;

  @Column('timestamptz', { nullable: true })
  previousPublicityEndsAt: Date | null;

  @Column('jsonb')
  engineInput: Record<string, unknown>;

  @Column('jsonb')
  engineOutput: Record<string, unknown>;

  @Field(() => String, { description: 'sha256 of the lot result before (canonical JSON)' })
  @Column('char', { length: 64 })
  resultDigestBefore: string;

  @Field(() => String)
  @Column('char', { length: 64 })
  resultDigestAfter: string;

  @Field(() => Date)
  @Column('timestamptz')
  createdAt: Date;

  @Column('uuid', { nullable: true })
  createdByUserId: string | null;
}
