import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique, UpdateDateColumn } from 'typeorm';
import { unitPriceTransformer } from '@libs/money';
import { UnitPriceScalar } from '../platform/graphql/scalars';
import { stateEnum } from '../platform/graphql/state-enum';
import { inCheck } from '../platform/database/state-check';
import { Variety, VarietySpec } from '../catalog/products/product.entity';
import { ReadPolicy } from '../platform/auth/read-policy';
import { VBP_SOURCES, VbpSource, VbpSourceEnum } from '../platform/ports/vbp-source';

export const ROUND_LEVELS = ['NATIONAL', 'ALLIANCE', 'PROVINCIAL', 'MUNICIPAL', 'HOSPITAL_GROUP'] as const;
export type RoundLevel = (typeof ROUND_LEVELS)[number];
export const ROUND_STATES = ['DRAFT', 'DEMAND_REPORTING', 'BIDDING', 'OPENED', 'PUBLICIZED', 'CONFIRMED', 'IN_EFFECT', 'EXPIRED', 'CANCELLED'] as const;
export type RoundState = (typeof ROUND_STATES)[number];
/**
 * How a round's bids are sealed. COMMITTEE: to the round's own X25519 key, whose private half is split among
 * the opening committee (production). DEMO_SINGLE_KEY: with the configured BID_SEALING_KEY (demo and tests).
 */
export const SEALING_MODES = ['COMMITTEE', 'DEMO_SINGLE_KEY'] as const;
export type SealingMode = (typeof SEALING_MODES)[number];
export const RoundStateEnum = stateEnum(ROUND_STATES, 'RoundState', 'Where a procurement round is in its timetable');
export const ROUND_SOURCES = VBP_SOURCES;
export type RoundSource = VbpSource;

/** A rule set as run: a preset's version or a regulator's custom set, never edited once stored. */
@ReadPolicy({ roles: 'ANY' })
@ObjectType('RuleSetVersion')
@Entity('rule_set_version')
@Unique(['code', 'version'])
@Check(`version >= 1`)
export class RuleSetVersion {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field(() => String, { description: 'BATCH_7, BATCH_10, BATCH_11, SPECIAL_ANTIBIOTICS or CUSTOM' })
  @Column('text')
  code: string;

  @Field(() => Int)
  @Column('int')
  version: number;

  /** Served as JSON text by RuleSetVersionResolver. */
  @Column('jsonb')
  ruleSet: Record<string, unknown>;

  @Field(() => String)
  @Column('text')
  description: string;

  @Field(() => Date)
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}

/** 带量采购批次: one procurement round and its timetable. */
@ReadPolicy({ roles: 'ANY', note: 'drafts and other regions: the service decides (canSee)' })
@ObjectType('Round')
@Entity('tender_round')
@Check(`level IN ('NATIONAL','ALLIANCE','PROVINCIAL','MUNICIPAL','HOSPITAL_GROUP')`)
@Check(inCheck('state', ROUND_STATES))
@Check(`demand_deadline < bid_deadline AND bid_deadline < cycle_start`)
@Check(`publicity_days >= 1`)
@Check(`sealing_mode IN ('COMMITTEE','DEMO_SINGLE_KEY')`)
@Check(`opening_threshold IS NULL OR opening_threshold >= 2`)
@Check(inCheck('source', ROUND_SOURCES))
@Check(`(source = 'ALLIANCE') = (alliance_name IS NOT NULL)`)
export class Round {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field(() => String)
  @Column('text')
  name: string;

  @Field(() => String, { description: ROUND_LEVELS.join(', ') })
  @Column('text')
  level: RoundLevel;

  @Field(() => RoundStateEnum)
  @Index()
  @Column('text', { default: 'DRAFT' })
  state: RoundState;

  @Field(() => VbpSourceEnum, { description: 'Where the results come from: the platform’s own bidding (PROVINCIAL) or an imported national or alliance batch' })
  @Column('text', { default: 'PROVINCIAL' })
  source: RoundSource;

  @Field(() => String, { nullable: true, description: 'ALLIANCE rounds: the alliance’s name (e.g. 省际联盟)' })
  @Column('text', { nullable: true })
  allianceName: string | null;

  /** The creating regulator's region: regulators above it in the tree manage the round too. */
  @Field(() => String)
  @Column('char', { length: 6 })
  ownerRegionCode: string;

  @Column('text')
  ownerRegionPath: string;

  /** Supply regions (GB/T 2260): hospitals in their subtrees report demand; winners choose among them. */
  @Field(() => [String])
  @Column('text', { array: true })
  coveredRegionCodes: string[];

  @Column('text', { array: true })
  coveredRegionPaths: string[];

  @Field(() => ID)
  @Column('uuid')
  ruleSetVersionId: string;

  @ManyToOne(() => RuleSetVersion, { nullable: false, onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'rule_set_version_id' })
  ruleSetVersion?: RuleSetVersion;

  @Field(() => Date)
  @Column('timestamptz')
  demandDeadline: Date;

  @Field(() => Date)
  @Column('timestamptz')
  bidDeadline: Date;

  @Field(() => Date, { description: 'Agreements start here; each lot runs for the cycle years the engine decides' })
  @Column('timestamptz')
  cycleStart: Date;

  @Field(() => Date, { nullable: true, description: 'Set at confirmation: the latest cycle end of the lots' })
  @Column('timestamptz', { nullable: true })
  cycleEnd: Date | null;

  @Field(() => Int)
  @Column('int')
  publicityDays: number;

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { nullable: true })
  publicityEndsAt: Date | null;

  /** Version of the tendering policy (demand floor, publicity, prepayment share) the round runs under. */
  @Field(() => Int)
  @Column('int')
  policyVersion: number;

  @Field(() => ID, { nullable: true, description: 'The round this one renews' })
  @Column('uuid', { nullable: true })
  previousRoundId: string | null;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  cancelReason: string | null;

  @Field(() => Date, { nullable: true, description: 'When the round was announced (DRAFT → DEMAND_REPORTING): the date of its public notice' })
  @Column('timestamptz', { nullable: true })
  publishedAt: Date | null;

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { nullable: true })
  openedAt: Date | null;

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { nullable: true })
  confirmedAt: Date | null;

  @Field(() => String, { description: `How bids are sealed: ${SEALING_MODES.join(', ')}` })
  @Column('text', { default: 'DEMO_SINGLE_KEY' })
  sealingMode: SealingMode;

  @Field(() => Int, { nullable: true, description: 'COMMITTEE rounds: how many committee members’ key shares open the round (k of n)' })
  @Column('int', { nullable: true })
  openingThreshold: number | null;

  /** COMMITTEE rounds: the round's X25519 public key (32 bytes), created when bidding opens; served as hex. */
  @Column('bytea', { nullable: true })
  sealingPublicKey: Buffer | null;

  @Field(() => Date, { nullable: true, description: 'When the round’s sealing key pair was made and split (bidding opened)' })
  @Column('timestamptz', { nullable: true })
  sealingKeyCreatedAt: Date | null;

  @Field(() => Date)
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}

/** One variety of a round. */
@ReadPolicy({ roles: 'ANY' })
@ObjectType('Lot')
@Entity('tender_lot')
@Unique(['roundId', 'varietyId'])
export class Lot {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field(() => ID)
  @Index()
  @Column('uuid')
  roundId: string;

  @ManyToOne(() => Round, { nullable: false, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'round_id' })
  round?: Round;

  @Field(() => Int)
  @Column('int')
  seq: number;

  @Field(() => ID)
  @Column('uuid')
  varietyId: string;

  @ManyToOne(() => Variety, { nullable: false, onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'variety_id' })
  variety?: Variety;

  @Field(() => String)
  @Column('text')
  name: string;

  @Field(() => String)
  @Column('text')
  referenceUnit: string;
}

/** A spec admitted to a lot, with its comparable factor and maximum valid unit price (最高有效申报价). */
@ReadPolicy({ roles: 'ANY' })
@ObjectType('LotSpec')
@Entity('tender_lot_spec')
@Unique(['lotId', 'varietySpecId'])
@Check(`comparable_factor > 0`)
@Check(`ceiling_unit_price > 0`)
export class LotSpec {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field(() => ID)
  @Index()
  @Column('uuid')
  lotId: string;

  @ManyToOne(() => Lot, { nullable: false, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'lot_id' })
  lot?: Lot;

  @Field(() => ID)
  @Column('uuid')
  varietySpecId: string;

  @ManyToOne(() => VarietySpec, { nullable: false, onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'variety_spec_id' })
  varietySpec?: VarietySpec;

  @Field(() => String)
  @Column('text')
  spec: string;

  @Field(() => String, { description: 'Comparable factor to the reference unit (exact decimal)' })
  @Column('numeric', { precision: 18, scale: 6 })
  comparableFactor: string;

  @Field(() => UnitPriceScalar)
  @Column('numeric', { precision: 18, scale: 4, transformer: unitPriceTransformer })
  ceilingUnitPrice: string;
}
