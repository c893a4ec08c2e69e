import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { Check, Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { fenTransformer } from '@libs/money';
import { MoneyScalar } from '../platform/graphql/scalars';
import { stateEnum } from '../platform/graphql/state-enum';
import { inCheck } from '../platform/database/state-check';

export const INVOICE_STATES = ['MATCHED', 'MISMATCHED'] as const;
export type InvoiceState = (typeof INVOICE_STATES)[number];
export const InvoiceStateEnum = stateEnum(INVOICE_STATES, 'InvoiceState', 'MATCHED when the invoice agrees with what was received at the ordered prices');
import { ReadPolicy, forRoles, ownBy, everyRow, REGION_ROLES, inRegion } from '../platform/auth/read-policy';

@ObjectType('InvoiceMismatch')
export class InvoiceMismatch {
  @Field(() => ID)
  orderLineId: string;

  @Field(() => String, { description: 'QUANTITY, AMOUNT, NOT_RECEIVED or NOT_INVOICED' })
  kind: string;

  @Field(() => String, { description: 'What the order and receipt say (quantity, or amount in fen)' })
  expected: string;

  @Field(() => String)
  invoiced: string;
}

/**
 * A supplier's invoice (发票) for one shipment, matched three ways on arrival. A mismatched invoice is kept
 * with its mismatches and may be superseded by a corrected one; at most one MATCHED invoice per shipment.
 */
@ReadPolicy({ roles: ['HOSPITAL', 'DISTRIBUTOR', 'REGULATOR', 'SETTLEMENT_OFFICE', 'PLATFORM_ADMIN'], scope: { HOSPITAL: ownBy('hospitalId'), DISTRIBUTOR: everyRow, ...forRoles(REGION_ROLES, inRegion()) }, note: 'between the distributor and the hospital; distributors reach it only through their own shipments' })
@ObjectType('Invoice')
@Entity('invoice')
@Check(inCheck('state', INVOICE_STATES))
@Index(['shipmentId'], { unique: true, where: `state = 'MATCHED'` })
@Index(['shipmentId'])
export class Invoice {
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

  @Field(() => String, { description: '发票号码' })
  @Column('text')
  invoiceNumber: string;

  @Field(() => InvoiceStateEnum)
  @Column('text')
  state: InvoiceState;

  @Field(() => MoneyScalar, { name: 'total' })
  @Column('bigint', { transformer: fenTransformer })
  totalFen: bigint;

  @Field(() => MoneyScalar, { name: 'expectedTotal' })
  @Column('bigint', { transformer: fenTransformer })
  expectedTotalFen: bigint;

  @Field(() => [InvoiceMismatch])
  @Column('jsonb')
  mismatches: InvoiceMismatch[];

  @Field(() => Date)
  @Column('timestamptz')
  submittedAt: Date;

  @Column('uuid')
  submittedBy: string;
}

@ObjectType('InvoiceLine')
@Entity('invoice_line')
@Check(`quantity >= 0 AND amount_fen >= 0`)
@Index(['invoiceId'])
export class InvoiceLine {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  invoiceId: string;

  @Field(() => ID)
  @Column('uuid')
  orderLineId: string;

  @Field(() => Int)
  @Column('int')
  quantity: number;

  @Field(() => MoneyScalar, { name: 'amount' })
  @Column('bigint', { transformer: fenTransformer })
  amountFen: bigint;
}
