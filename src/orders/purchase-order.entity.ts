import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, Unique, VersionColumn } from 'typeorm';
import { fenTransformer, unitPriceTransformer } from '@libs/money';
import { MoneyScalar, UnitPriceScalar } from '../platform/graphql/scalars';
import { ORDER_STATES, type OrderState } from '@libs/order-rules';
import { stateEnum } from '../platform/graphql/state-enum';
import { inCheck } from '../platform/database/state-check';
import { ReadPolicy, forRoles, ALL_ROLES, ownBy, everyRow, REGION_ROLES, inRegion } from '../platform/auth/read-policy';

export const OrderStateEnum = stateEnum(ORDER_STATES, 'OrderState', 'A purchase order in its workflow (transition table in libs/order-rules)');

/**
 * A hospital's purchase order (采购订单), routed to one distributor. Carries the hospital's region code so the
 * table can be partitioned or distributed by region later; the SLA policy version and deadlines it was
 * given are stored with it.
 */
@ReadPolicy({ roles: 'ANY', scope: { HOSPITAL: ownBy('hospitalId'), DISTRIBUTOR: ownBy('distributorId'), MANUFACTURER: everyRow, ...forRoles(REGION_ROLES, inRegion()) }, note: 'manufacturers: orders with a line of theirs (the service checks the lines)' })
@ObjectType('PurchaseOrder')
@Entity('purchase_order')
@Check(inCheck('state', ORDER_STATES))
@Index(['hospitalId', 'orderedAt'])
@Index(['distributorId', 'state', 'orderedAt'])
@Index(['regionCode', 'orderedAt'])
export class PurchaseOrder {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field(() => ID)
  @Column('uuid')
  hospitalId: string;

  @Field(() => String)
  @Column('char', { length: 6 })
  regionCode: string;

  @Field(() => ID)
  @Column('uuid')
  distributorId: string;

  @Field(() => OrderStateEnum)
  @Column('text')
  state: OrderState;

  @Field(() => Boolean)
  @Column('boolean')
  emergency: boolean;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  note: string | null;

  @Field(() => MoneyScalar, { name: 'total', description: 'Sum of the lines at their ordered unit prices' })
  @Column('bigint', { transformer: fenTransformer })
  totalFen: bigint;

  @Field(() => Date)
  @Column('timestamptz')
  orderedAt: Date;

  @Field(() => ID)
  @Column('uuid')
  placedBy: string;

  @Field(() => String, { description: 'Version of the SLA policy that set the deadlines' })
  @Column('text')
  slaPolicyVersion: string;

  @Field(() => Date)
  @Column('timestamptz')
  confirmBy: Date;

  @Field(() => Date)
  @Column('timestamptz')
  deliverBy: Date;

  @Field(() => Date)
  @Column('timestamptz')
  cancellableFrom: Date;

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { nullable: true })
  confirmedAt: Date | null;

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { nullable: true })
  closedAt: Date | null;

  @Field(() => String, { nullable: true, description: 'Why the distributor rejected or the hospital cancelled' })
  @Column('text', { nullable: true })
  stateReason: string | null;

  @VersionColumn()
  version: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  /** The lines just written when the order was placed, so the reply needs no read-back (not a column). */
  placedLines?: OrderLine[];
}

export const ORDER_LINE_SOURCES = ['AGREEMENT', 'LISTING'] as const;
export type OrderLineSource = (typeof ORDER_LINE_SOURCES)[number];

/**
 * One product on an order, priced at the instant of ordering from the agreement or listing in force.
 * Counters move by atomic SQL; CHECKs keep shipped ≤ ordered, accepted + rejected ≤ shipped,
 * returned ≤ accepted.
 */
@ReadPolicy({ roles: 'ANY', scope: { ...forRoles(ALL_ROLES, everyRow), MANUFACTURER: ownBy('manufacturerId') }, note: 'read through its order; a manufacturer sees only its own lines of a mixed order' })
@ObjectType('OrderLine')
@Entity('order_line')
@Unique(['orderId', 'lineNo'])
@Check(`quantity > 0`)
@Check(`source IN ('AGREEMENT','LISTING')`)
@Check(`(source = 'AGREEMENT') = (agreement_id IS NOT NULL) AND (source = 'LISTING') = (listing_id IS NOT NULL)`)
@Check(`shipped_quantity BETWEEN 0 AND quantity`)
@Check(`accepted_quantity >= 0 AND rejected_quantity >= 0 AND accepted_quantity + rejected_quantity <= shipped_quantity`)
@Check(`returned_quantity BETWEEN 0 AND accepted_quantity`)
@Check(`delivered_within_sla_quantity BETWEEN 0 AND accepted_quantity + rejected_quantity`)
@Index(['manufacturerId', 'orderedAt'])
@Index(['agreementId'], { where: 'agreement_id IS NOT NULL' })
@Index(['regionCode', 'orderedAt'])
export class OrderLine {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field(() => ID)
  @Column('uuid')
  orderId: string;

  @Field(() => Int)
  @Column('int')
  lineNo: number;

  @Column('uuid')
  hospitalId: string;

  @Column('char', { length: 6 })
  regionCode: string;

  @Field(() => ID)
  @Column('uuid')
  productId: string;

  @Field(() => ID)
  @Column('uuid')
  manufacturerId: string;

  @Field(() => ID, { nullable: true })
  @Column('uuid', { nullable: true })
  varietyId: string | null;

  @Field(() => String, { description: 'AGREEMENT or LISTING' })
  @Column('text')
  source: OrderLineSource;

  @Field(() => ID, { nullable: true })
  @Column('uuid', { nullable: true })
  agreementId: string | null;

  @Field(() => ID, { nullable: true })
  @Column('uuid', { nullable: true })
  listingId: string | null;

  @Field(() => UnitPriceScalar)
  @Column('numeric', { precision: 18, scale: 4, transformer: unitPriceTransformer })
  unitPrice: string;

  @Field(() => Int)
  @Column('int')
  quantity: number;

  @Field(() => Int)
  @Column('int', { default: 0 })
  shippedQuantity: number;

  @Field(() => Int)
  @Column('int', { default: 0 })
  acceptedQuantity: number;

  @Field(() => Int)
  @Column('int', { default: 0 })
  rejectedQuantity: number;

  @Field(() => Int)
  @Column('int', { default: 0 })
  returnedQuantity: number;

  /** accepted + rejected quantity whose shipment left within the delivery deadline */
  @Field(() => Int)
  @Column('int', { default: 0 })
  deliveredWithinSlaQuantity: number;

  @Column('timestamptz')
  orderedAt: Date;
}

