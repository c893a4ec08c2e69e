import { Field, ID, ObjectType } from '@nestjs/graphql';
import { Check, Column, Entity, Generated, Index, PrimaryGeneratedColumn } from 'typeorm';
import { ReadPolicy } from '../platform/auth/read-policy';

@ObjectType('CreditSanctions')
export class CreditSanctionsView {
  @Field(() => Boolean) writtenReminder: boolean;
  @Field(() => Boolean, { description: 'Hospitals see a risk notice on the organisation\'s products' }) riskNotice: boolean;
  @Field(() => Boolean, { description: 'Bidding, listing and delivery of the products involved are suspended' }) suspendProductsInvolved: boolean;
  @Field(() => Boolean, { description: 'All its products are suspended in the province' }) suspendAllProducts: boolean;
  @Field(() => Boolean) publicDisclosure: boolean;
}

/**
 * One rating of an organisation. Ratings are never updated in place except to retire them: a new rating
 * inserts a row and the previous one loses `current`, so the history stays.
 */
@ReadPolicy({ roles: 'ANY', note: 'ratings are read by hospitals choosing suppliers; sanctions are disclosed' })
@ObjectType('CreditRating')
@Entity('credit_rating')
@Index('UQ_credit_rating_current', ['organisationId'], { unique: true, where: 'current' })
@Check(`level IN ('NONE','GENERAL','MEDIUM','SERIOUS','PARTICULARLY_SERIOUS')`)
export class CreditRating {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field(() => ID)
  @Index()
  @Column('uuid')
  organisationId: string;

  /** Order of ratings: several may share a ratedAt (one transaction, a frozen clock). */
  @Column('bigint')
  @Generated('increment')
  seq: string;

  @Field(() => String, { description: 'NONE, GENERAL (一般), MEDIUM (中等), SERIOUS (严重), PARTICULARLY_SERIOUS (特别严重)' })
  @Column('text')
  level: string;

  @Field(() => String)
  @Column('text')
  policyVersion: string;

  @Field(() => Date)
  @Column('timestamptz')
  ratedAt: Date;

  @Field(() => CreditSanctionsView)
  @Column('jsonb')
  sanctions: CreditSanctionsView;

  @Field(() => [ID], { description: 'Products whose bidding, listing and delivery are suspended (besides all of them at PARTICULARLY_SERIOUS)' })
  @Column('uuid', { array: true, default: () => "'{}'" })
  suspendedProductIds: string[];

  @Field(() => [ID])
  @Column('uuid', { array: true, default: () => "'{}'" })
  decidingEventIds: string[];

  @Field(() => String, { description: 'Why it was rated: EVENT_RECORDED, QUARTERLY, POLICY_ADOPTED, REPAIR_APPROVED' })
  @Column('text')
  reason: string;

  @Field(() => Boolean)
  @Column('boolean')
  current: boolean;
}
