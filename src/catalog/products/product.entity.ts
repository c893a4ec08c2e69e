import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique, UpdateDateColumn } from 'typeorm';
import { Organisation } from '../organisations/organisation.entity';
import { ReadPolicy } from '../../platform/auth/read-policy';
import { inCheck } from '../../platform/database/state-check';
import { stateEnum } from '../../platform/graphql/state-enum';

export const PRODUCT_KINDS = ['DRUG', 'CONSUMABLE'] as const;
export type ProductKind = (typeof PRODUCT_KINDS)[number];
export const CONSISTENCY_STATUSES = ['PASSED', 'REFERENCE', 'ORIGINATOR', 'NOT_EVALUATED'] as const;
export type ConsistencyStatus = (typeof CONSISTENCY_STATUSES)[number];
/**
 * What the procurement targets count a product as: drugs other than TCM decoction pieces (中药饮片, left out of
 * the 90 % drug target), decoction pieces, and consumables split into high-value (高值, the 80 % target) and
 * low-value ones (低值).
 */
export const PRODUCT_CLASSES = ['DRUG', 'TCM_DECOCTION_PIECE', 'HIGH_VALUE_CONSUMABLE', 'LOW_VALUE_CONSUMABLE'] as const;
export type ProductClass = (typeof PRODUCT_CLASSES)[number];
export const ProductClassEnum = stateEnum(PRODUCT_CLASSES, 'ProductClass', 'Drug (excl. decoction pieces), TCM decoction piece, high- or low-value consumable');

/** 品种: specs of one generic name and dosage form (or one consumable category) compared in one unit. */
@ReadPolicy({ roles: 'ANY' })
@ObjectType('Variety')
@Entity('variety')
@Check(`kind IN ('DRUG','CONSUMABLE')`)
export class Variety {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field(() => String)
  @Index({ unique: true })
  @Column('text')
  code: string;

  @Field(() => String)
  @Column('text')
  kind: ProductKind;

  /** Generic name for drugs, product category for consumables. */
  @Field(() => String)
  @Column('text')
  name: string;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  dosageForm: string | null;

  @Field(() => String)
  @Column('text')
  referenceUnit: string;

  /** High-value consumable (高值医用耗材): counted against the 80% platform purchase target. */
  @Field(() => Boolean)
  @Column('boolean', { default: false })
  highValue: boolean;

  @Field(() => Date)
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}

/** A spec of a variety with its comparable factor (差比价) to the reference unit; rounds copy it. */
@ReadPolicy({ roles: 'ANY' })
@ObjectType('VarietySpec')
@Entity('variety_spec')
@Check(`comparable_factor > 0`)
@Unique(['varietyId', 'spec'])
export class VarietySpec {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field(() => ID)
  @Index()
  @Column('uuid')
  varietyId: string;

  @ManyToOne(() => Variety, { nullable: false, onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'variety_id' })
  variety?: Variety;

  @Field(() => String)
  @Column('text')
  spec: string;

  @Field(() => String)
  @Column('numeric', { precision: 18, scale: 6 })
  comparableFactor: string;
}

/**
 * A drug or consumable of one manufacturer (its marketing authorisation holder). One table for both kinds:
 * orders, listings and settlement treat them alike; check constraints keep each kind's required fields.
 */
@ReadPolicy({ roles: 'ANY' })
@ObjectType('Product')
@Entity('product')
@Index('product_name_id', ['name', 'id'])
@Check(`kind IN ('DRUG','CONSUMABLE')`)
@Check(`kind <> 'DRUG' OR (approval_number IS NOT NULL AND dosage_form IS NOT NULL AND consistency_status IS NOT NULL)`)
@Check(`kind <> 'CONSUMABLE' OR (registration_number IS NOT NULL AND category IS NOT NULL)`)
@Check(`units_per_pack IS NULL OR units_per_pack > 0`)
@Check(inCheck('product_class', PRODUCT_CLASSES))
@Check(`(kind = 'DRUG') = (product_class IN ('DRUG','TCM_DECOCTION_PIECE'))`)
@Check(`national_category_code IS NULL OR national_category_code ~ '^[0-9]{2,11}$'`)
export class Product {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field(() => String)
  @Column('text')
  kind: ProductKind;

  @Field(() => ID)
  @Index()
  @Column('uuid')
  manufacturerId: string;

  @ManyToOne(() => Organisation, { nullable: false, onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'manufacturer_id' })
  manufacturer?: Organisation;

  @Field(() => ID, { nullable: true })
  @Index()
  @Column('uuid', { nullable: true })
  varietyId: string | null;

  @ManyToOne(() => Variety, { nullable: true, onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'variety_id' })
  variety?: Variety | null;

  @Field(() => ID, { nullable: true })
  @Column('uuid', { nullable: true })
  varietySpecId: string | null;

  @ManyToOne(() => VarietySpec, { nullable: true, onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'variety_spec_id' })
  varietySpec?: VarietySpec | null;

  /** Generic name (drug) or product name (consumable). */
  @Field(() => String)
  @Index()
  @Column('text')
  name: string;

  @Field(() => String)
  @Column('text')
  spec: string;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  dosageForm: string | null;

  @Field(() => Int, { nullable: true })
  @Column('int', { nullable: true })
  unitsPerPack: number | null;

  @Field(() => String, { nullable: true })
  @Index({ unique: true, where: 'approval_number IS NOT NULL' })
  @Column('text', { nullable: true })
  approvalNumber: string | null;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  consistencyStatus: ConsistencyStatus | null;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  category: string | null;

  @Field(() => ProductClassEnum, { description: 'What the procurement targets count it as' })
  @Index()
  @Column('text', { default: 'DRUG' })
  productClass: ProductClass;

  /** 医保医用耗材分类 code (the classification segment of the insurance consumable code, 2–11 digits); consumables only. */
  @Field(() => String, { nullable: true, description: 'National insurance consumable classification (医保医用耗材分类) code' })
  @Column('text', { nullable: true })
  nationalCategoryCode: string | null;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  registrationNumber: string | null;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  udiDi: string | null;

  @Field(() => String, { nullable: true })
  @Index()
  @Column('text', { nullable: true })
  insuranceCode: string | null;

  /** Certificate (approval or registration) expiry, when known: an expired one suspends listings. */
  @Field(() => String, { nullable: true })
  @Column('date', { nullable: true })
  certificateExpiresOn: string | null;

  @Index({ unique: true, where: 'external_key IS NOT NULL' })
  @Column('text', { nullable: true })
  externalKey: string | null;

  @Field(() => Date)
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Field(() => Date)
  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
