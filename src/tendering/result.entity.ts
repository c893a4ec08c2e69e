import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { unitPriceTransformer } from '@libs/money';
import { UnitPriceScalar } from '../platform/graphql/scalars';

/**
 * What opening decided, stored once and never changed (a trigger refuses UPDATE and DELETE): the engine's
 * input and output verbatim, so anyone can re-run the engine and get the same result.
 */
@Entity('tender_round_result')
export class RoundResult {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index({ unique: true })
  @Column('uuid')
  roundId: string;

  @Column('uuid')
  ruleSetVersionId: string;

  @Column('jsonb')
  engineInput: Record<string, unknown>;

  @Column('jsonb')
  engineOutput: Record<string, unknown>;

  @Column('timestamptz')
  openedAt: Date;

  @Column('uuid', { nullable: true })
  openedByUserId: string | null;
}

/** One bid's outcome at opening, with its revealed price. */
@ObjectType('BidOutcome')
@Entity('tender_bid_result')
export class BidResult {
  @Field(() => ID)
  @PrimaryColumn('uuid')
  bidId: string;

  @Field(() => ID)
  @Index()
  @Column('uuid')
  roundId: string;

  @Field(() => ID)
  @Column('uuid')
  lotId: string;

  @Field(() => ID)
  @Column('uuid')
  manufacturerId: string;

  @Field(() => ID)
  @Column('uuid')
  productId: string;

  @Field(() => ID)
  @Column('uuid')
  lotSpecId: string;

  @Field(() => UnitPriceScalar)
  @Column('numeric', { precision: 18, scale: 4, transformer: unitPriceTransformer })
  unitPrice: string;

  @Field(() => String, { description: 'WINNER, REVIVED, ELIMINATED or INVALID' })
  @Column('text')
  status: string;

  @Field(() => String, { nullable: true, description: 'ABOVE_CEILING, NOT_SHORTLISTED, PRICE_TEST or EXCLUDED (an upheld objection; the result in force, see resultRevisions)' })
  @Column('text', { nullable: true })
  reason: string | null;

  @Field(() => Int, { nullable: true })
  @Column('int', { nullable: true })
  rank: number | null;

  @Field(() => String, { description: 'Unit comparable price, 6 decimals' })
  @Column('numeric', { precision: 24, scale: 6 })
  unitComparablePrice: string;

  @Field(() => UnitPriceScalar, { nullable: true })
  @Column('numeric', { precision: 18, scale: 4, nullable: true, transformer: unitPriceTransformer })
  awardedUnitPrice: string | null;

  @Field(() => String)
  @Column('char', { length: 64 })
  commitment: string;

  @Field(() => String, { description: 'The salt of the bidder’s receipt, published so anyone can check the commitment' })
  @Column('text')
  salt: string;
}
