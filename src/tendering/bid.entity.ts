import { defineStateMachine } from '@libs/state-machine';
import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { quantityTransformer } from '../platform/database/quantity-transformer';
import { UnitPriceScalar } from '../platform/graphql/scalars';
import { stateEnum } from '../platform/graphql/state-enum';
import { inCheck } from '../platform/database/state-check';
import { ReadPolicy, ownBy, everyRow } from '../platform/auth/read-policy';

export const BID_STATES = ['ACTIVE', 'WITHDRAWN'] as const;
export type BidState = (typeof BID_STATES)[number];
export const BidStateEnum = stateEnum(BID_STATES, 'BidState', 'ACTIVE until withdrawn before the deadline');
/** A bid is ACTIVE from submission (a replacement stays ACTIVE) until its manufacturer withdraws it before the deadline. */
export const BID_MACHINE = defineStateMachine<BidState, 'replace' | 'withdraw'>({
  name: 'bid',
  states: BID_STATES,
  initial: 'ACTIVE',
  transitions: [
    { action: 'replace', from: ['ACTIVE'], to: 'ACTIVE' },
    { action: 'withdraw', from: ['ACTIVE'], to: 'WITHDRAWN' },
  ],
});

/**
 * A sealed bid. The price exists only inside `sealed_price` (AES-256-GCM, with the commitment's salt) until
 * the round is opened — sealed to the round's public key (COMMITTEE) or with the demo key (DEMO_SINGLE_KEY); `commitment` = sha256(canonical bid JSON + salt) is what the bidder's receipt shows.
 * At most one ACTIVE bid per manufacturer and lot (partial unique index).
 */
@ReadPolicy({ roles: ['MANUFACTURER', 'REGULATOR', 'PLATFORM_ADMIN'], scope: { MANUFACTURER: ownBy('manufacturerId'), REGULATOR: everyRow } })
@ObjectType('Bid')
@Entity('tender_bid')
@Index('uq_tender_bid_active_per_lot', ['lotId', 'manufacturerId'], { unique: true, where: `state = 'ACTIVE'` })
@Check(inCheck('state', BID_STATES))
@Check(`supply_capacity > 0`)
export class Bid {
  @Field(() => ID)
  @PrimaryColumn('uuid')
  id: string;

  @Field(() => ID)
  @Index()
  @Column('uuid')
  roundId: string;

  @Field(() => ID)
  @Column('uuid')
  lotId: string;

  @Field(() => ID)
  @Index()
  @Column('uuid')
  manufacturerId: string;

  @Field(() => ID)
  @Column('uuid')
  productId: string;

  @Field(() => ID)
  @Column('uuid')
  lotSpecId: string;

  @Field(() => Int, { description: 'Annual supply capacity in the reference unit' })
  @Column('bigint', { transformer: quantityTransformer })
  supplyCapacity: number;

  @Field(() => [String])
  @Column('text', { array: true })
  regionPreferences: string[];

  @Field(() => Boolean)
  @Column('boolean')
  acceptsRevival: boolean;

  @Column('bytea')
  sealedPrice: Buffer;

  @Column('bytea')
  sealIv: Buffer;

  @Column('bytea')
  sealTag: Buffer;

  /** COMMITTEE rounds: the per-bid ephemeral X25519 public key of the hybrid seal; null under the demo key. */
  @Column('bytea', { nullable: true })
  sealEphemeralKey: Buffer | null;

  @Field(() => String, { description: 'sha256 commitment of the canonical bid and the receipt’s salt' })
  @Column('char', { length: 64 })
  commitment: string;

  @Field(() => BidStateEnum)
  @Column('text')
  state: BidState;

  @Field(() => Date)
  @Column('timestamptz')
  submittedAt: Date;

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { nullable: true })
  withdrawnAt: Date | null;

  /** Filled by the resolver: the price, for its own bidder or after opening; otherwise null. */
  @Field(() => UnitPriceScalar, { nullable: true, description: 'Own bids, or anyone’s after opening; null while sealed' })
  unitPrice?: string | null;
}

