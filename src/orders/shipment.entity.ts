import { defineStateMachine } from '@libs/state-machine';
import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { Check, Column, Entity, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { stateEnum } from '../platform/graphql/state-enum';
import { inCheck } from '../platform/database/state-check';

export const SHIPMENT_STATES = ['SHIPPED', 'RECEIVED'] as const;
export type ShipmentState = (typeof SHIPMENT_STATES)[number];
export const ShipmentStateEnum = stateEnum(SHIPMENT_STATES, 'ShipmentState', 'SHIPPED until the hospital records its receipt (or it is auto-received)');
export const SHIPMENT_MACHINE = defineStateMachine<ShipmentState, 'receive'>({
  name: 'shipment',
  states: SHIPMENT_STATES,
  initial: 'SHIPPED',
  transitions: [{ action: 'receive', from: ['SHIPPED'], to: 'RECEIVED' }],
});
import { ReadPolicy, forRoles, ownBy, everyRow, REGION_ROLES, inRegion } from '../platform/auth/read-policy';

/** One delivery of part or all of an order by its distributor. Received at most once (receipt.shipment_id unique). */
@ReadPolicy({ roles: 'ANY', scope: { HOSPITAL: ownBy('hospitalId'), DISTRIBUTOR: ownBy('distributorId'), MANUFACTURER: everyRow, ...forRoles(REGION_ROLES, inRegion()) } })
@ObjectType('Shipment')
@Entity('shipment')
@Check(inCheck('state', SHIPMENT_STATES))
@Index(['orderId'])
@Index(['state', 'autoReceiveAt'])
@Index(['regionCode', 'shippedAt'])
export class Shipment {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field(() => ID)
  @Column('uuid')
  orderId: string;

  @Column('uuid')
  hospitalId: string;

  @Column('char', { length: 6 })
  regionCode: string;

  @Field(() => ID)
  @Column('uuid')
  distributorId: string;

  @Field(() => ShipmentStateEnum)
  @Column('text')
  state: ShipmentState;

  @Field(() => Date)
  @Column('timestamptz')
  shippedAt: Date;

  /** When the shipment is received automatically if the hospital has not received it. */
  @Field(() => Date)
  @Column('timestamptz')
  autoReceiveAt: Date;

  @Field(() => Boolean, { description: 'Left the warehouse by the order delivery deadline' })
  @Column('boolean')
  withinSla: boolean;
}

@ReadPolicy({ roles: 'ANY', note: 'read through its shipment' })
@ObjectType('ShipmentLine')
@Entity('shipment_line')
@Unique(['shipmentId', 'orderLineId', 'batchNumber'])
@Check(`quantity > 0`)
@Index(['orderLineId'])
export class ShipmentLine {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field(() => ID)
  @Column('uuid')
  shipmentId: string;

  @Field(() => ID)
  @Column('uuid')
  orderLineId: string;

  @Column('char', { length: 6 })
  regionCode: string;

  @Field(() => Int)
  @Column('int')
  quantity: number;

  @Field(() => String, { description: '批号' })
  @Column('text')
  batchNumber: string;

  @Field(() => String, { description: 'Expiry date, YYYY-MM-DD' })
  @Column('date')
  expiresOn: string;
}

/** The hospital's receipt of one shipment: accepted and rejected quantities per shipment line. */
@ReadPolicy({ roles: 'ANY', scope: { HOSPITAL: ownBy('hospitalId'), DISTRIBUTOR: everyRow, MANUFACTURER: everyRow, ...forRoles(REGION_ROLES, inRegion()) }, note: 'read through its shipment' })
@ObjectType('Receipt')
@Entity('receipt')
@Unique(['shipmentId'])
@Index(['hospitalId', 'receivedAt'])
export class Receipt {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field(() => ID)
  @Column('uuid')
  shipmentId: string;

  @Field(() => ID)
  @Column('uuid')
  orderId: string;

  @Column('uuid')
  hospitalId: string;

  @Column('char', { length: 6 })
  regionCode: string;

  @Field(() => Date)
  @Column('timestamptz')
  receivedAt: Date;

  @Field(() => Boolean, { description: 'Received by the auto-receipt job after the hospital did not act' })
  @Column('boolean')
  automatic: boolean;
}

@ReadPolicy({ roles: 'ANY', note: 'read through its receipt' })
@ObjectType('ReceiptLine')
@Entity('receipt_line')
@Unique(['shipmentLineId'])
@Check(`accepted_quantity >= 0 AND rejected_quantity >= 0`)
@Check(`returned_quantity BETWEEN 0 AND accepted_quantity`)
@Index(['receiptId'])
@Index(['orderLineId'])
export class ReceiptLine {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field(() => ID)
  @Column('uuid')
  receiptId: string;

  @Field(() => ID)
  @Column('uuid')
  shipmentLineId: string;

  @Field(() => ID)
  @Column('uuid')
  orderLineId: string;

  @Column('char', { length: 6 })
  regionCode: string;

  @Field(() => Int)
  @Column('int')
  acceptedQuantity: number;

  @Field(() => Int)
  @Column('int')
  rejectedQuantity: number;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  rejectionReason: string | null;

  @Field(() => Int)
  @Column('int', { default: 0 })
  returnedQuantity: number;
}
