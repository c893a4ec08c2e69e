import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { Check, Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { unitPriceTransformer } from '@libs/money';
import { UnitPriceScalar } from '../platform/graphql/scalars';
import { ReadPolicy, forRoles, everyRow, REGION_ROLES } from '../platform/auth/read-policy';

export const SUBSTITUTION_KINDS = ['WINNER', 'LISTING_PRICE'] as const;
export type SubstitutionKind = (typeof SUBSTITUTION_KINDS)[number];

/**
 * 替代供应: a lot's only winner failed to supply and a regulator assigned a substitute — another winner of the
 * same variety (from another lot, batch or level) at its awarded price, or a temporary purchase at the
 * substitute product's listing price capped by `price_cap`. The hospitals' agreements with the failed winner
 * moved over with their remaining quantities; the failure is a credit event. Visible to supervision.
 */
@ReadPolicy({ roles: ['REGULATOR', 'SETTLEMENT_OFFICE', 'PLATFORM_ADMIN'], scope: { ...forRoles(REGION_ROLES, everyRow) }, note: 'regions: the service keeps substitutions touching the caller’s region' })
@ObjectType('SupplySubstitution')
@Entity('supply_substitution')
@Index('supply_substitution_created_at_id', ['createdAt', 'id'])
@Check(`kind IN ('WINNER','LISTING_PRICE')`)
@Check(`(kind = 'WINNER') = (substitute_bid_id IS NOT NULL)`)
@Check(`(kind = 'LISTING_PRICE') = (price_cap IS NOT NULL)`)
@Check(`agreements_moved >= 1`)
export class SupplySubstitution {
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

  @Field(() => ID)
  @Column('uuid')
  varietyId: string;

  @Field(() => ID)
  @Column('uuid')
  failedManufacturerId: string;

  @Field(() => String, { description: SUBSTITUTION_KINDS.join(' or ') })
  @Column('text')
  kind: SubstitutionKind;

  @Field(() => ID)
  @Column('uuid')
  substituteManufacturerId: string;

  @Field(() => ID)
  @Column('uuid')
  substituteProductId: string;

  @Field(() => ID, { nullable: true, description: 'WINNER: the substitute’s winning bid (another lot, batch or level)' })
  @Column('uuid', { nullable: true })
  substituteBidId: string | null;

  @Field(() => ID, { nullable: true, description: 'LISTING_PRICE: the listing whose price (capped) applies' })
  @Column('uuid', { nullable: true })
  substituteListingId: string | null;

  @Field(() => UnitPriceScalar, { description: 'The unit price the moved agreements carry' })
  @Column('numeric', { precision: 18, scale: 4, transformer: unitPriceTransformer })
  unitPrice: string;

  @Field(() => UnitPriceScalar, { nullable: true, description: 'LISTING_PRICE: the cap on the listing price' })
  @Column('numeric', { precision: 18, scale: 4, nullable: true, transformer: unitPriceTransformer })
  priceCap: string | null;

  @Field(() => Date, { nullable: true, description: 'LISTING_PRICE: end of the temporary purchase (default: the cycle end)' })
  @Column('timestamptz', { nullable: true })
  temporaryUntil: Date | null;

  @Field(() => String)
  @Column('text')
  reason: string;

  @Field(() => Int)
  @Column('int')
  agreementsMoved: number;

  @Field(() => [String], { description: 'Regions (GB/T 2260) of the moved agreements' })
  @Column('text', { array: true })
  regionCodes: string[];

  @Field(() => ID, { nullable: true })
  @Column('uuid', { nullable: true })
  creditEventId: string | null;

  @Field(() => Date)
  @Column('timestamptz')
  createdAt: Date;

  @Column('uuid', { nullable: true })
  createdByUserId: string | null;
}
