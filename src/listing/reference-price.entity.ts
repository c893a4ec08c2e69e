import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { Check, Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { unitPriceTransformer } from '@libs/money';
import { UnitPriceScalar } from '../platform/graphql/scalars';
import { stateEnum } from '../platform/graphql/state-enum';
import { inCheck } from '../platform/database/state-check';
import { ReadPolicy, ownBy, everyRow } from '../platform/auth/read-policy';

/** Another province's listing price of a product (four-same: generic name, manufacturer, dosage form, spec). */
@ReadPolicy({ roles: ['REGULATOR', 'PLATFORM_ADMIN', 'MANUFACTURER'] })
@ObjectType('ReferencePrice')
@Entity('reference_price')
@Index('reference_price_effective_on_id', ['effectiveOn', 'id'])
@Index(['genericName', 'manufacturerId', 'spec'])
@Check(`unit_price > 0`)
export class ReferencePrice {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field(() => ID, { nullable: true })
  @Index()
  @Column('uuid', { nullable: true })
  productId: string | null;

  @Field(() => String)
  @Column('char', { length: 6 })
  provinceCode: string;

  @Field(() => String)
  @Column('text')
  genericName: string;

  @Field(() => ID, { nullable: true })
  @Column('uuid', { nullable: true })
  manufacturerId: string | null;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  dosageForm: string | null;

  @Field(() => String)
  @Column('text')
  spec: string;

  @Field(() => UnitPriceScalar)
  @Column('numeric', { precision: 18, scale: 4, transformer: unitPriceTransformer })
  unitPrice: string;

  @Field(() => String, { description: 'YYYY-MM-DD' })
  @Column('date')
  effectiveOn: string;

  @Field(() => String)
  @Column('text')
  source: string;

  @Field(() => ID, { nullable: true })
  @Column('uuid', { nullable: true })
  importId: string | null;

  @Field(() => ID, { nullable: true })
  @Column('uuid', { nullable: true })
  recordedBy: string | null;

  @Field(() => Date)
  @Column('timestamptz')
  recordedAt: Date;
}

/** One imported file: every row or none (the rows reference it). */
@ReadPolicy({ roles: ['REGULATOR', 'PLATFORM_ADMIN'] })
@ObjectType('ReferencePriceImport')
@Entity('reference_price_import')
export class ReferencePriceImport {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field(() => String)
  @Column('text')
  fileName: string;

  @Field(() => String, { description: 'CSV or XLSX' })
  @Column('text')
  format: string;

  @Field(() => String, { description: 'SHA-256 of the file' })
  @Column('char', { length: 64 })
  sha256: string;

  @Field(() => Int)
  @Column('int')
  rowCount: number;

  @Field(() => Int, { description: 'Listings that received a linkage notice' })
  @Column('int')
  noticesIssued: number;

  @Field(() => ID)
  @Column('uuid')
  importedBy: string;

  @Field(() => Date)
  @Column('timestamptz')
  importedAt: Date;
}

export const LINKAGE_NOTICE_STATES = ['OPEN', 'CUT', 'SUSPENDED', 'CLOSED'] as const;
export type LinkageNoticeState = (typeof LINKAGE_NOTICE_STATES)[number];
export const LinkageNoticeStateEnum = stateEnum(LINKAGE_NOTICE_STATES, 'LinkageNoticeState', 'OPEN until the price is CUT, the listing SUSPENDED at the deadline, or the notice CLOSED with the listing');

/** 价格联动 notice: a lower reference price appeared; cut by the deadline or the listing is suspended. */
@ReadPolicy({ roles: ['REGULATOR', 'PLATFORM_ADMIN', 'MANUFACTURER'], scope: { REGULATOR: everyRow, MANUFACTURER: ownBy('manufacturerId') } })
@ObjectType('LinkageNotice')
@Entity('linkage_notice')
@Index('linkage_notice_issued_at_id', ['issuedAt', 'id'])
@Index('UQ_linkage_notice_open', ['listingId'], { unique: true, where: `state = 'OPEN'` })
@Check(inCheck('state', LINKAGE_NOTICE_STATES))
export class LinkageNotice {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field(() => ID)
  @Index()
  @Column('uuid')
  listingId: string;

  @Field(() => ID)
  @Index()
  @Column('uuid')
  manufacturerId: string;

  @Field(() => ID)
  @Column('uuid')
  referencePriceId: string;

  @Field(() => UnitPriceScalar, { description: 'The price to cut to (at most)' })
  @Column('numeric', { precision: 18, scale: 4, transformer: unitPriceTransformer })
  referenceUnitPrice: string;

  @Field(() => UnitPriceScalar, { description: 'The listing price when the notice was issued' })
  @Column('numeric', { precision: 18, scale: 4, transformer: unitPriceTransformer })
  listingUnitPrice: string;

  @Field(() => Date)
  @Column('timestamptz')
  issuedAt: Date;

  @Field(() => Date, { description: 'End of the last working day to cut (Asia/Shanghai)' })
  @Index()
  @Column('timestamptz')
  deadlineAt: Date;

  @Field(() => Int)
  @Column('int')
  workingDays: number;

  @Field(() => String)
  @Column('text')
  calendarVersion: string;

  @Field(() => String)
  @Column('text')
  policyVersion: string;

  @Field(() => LinkageNoticeStateEnum)
  @Column('text')
  state: LinkageNoticeState;

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { nullable: true })
  resolvedAt: Date | null;
}
