import { Field, ID, ObjectType } from '@nestjs/graphql';
import { Check, Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { fenTransformer } from '@libs/money';
import { MoneyScalar } from '../platform/graphql/scalars';
import { stateEnum } from '../platform/graphql/state-enum';
import { inCheck } from '../platform/database/state-check';
import { ReadPolicy, forRoles, ownBy, REGION_ROLES, inRegion } from '../platform/auth/read-policy';
import { InvoiceMismatch } from './invoice.entity';

export const SUPPLY_INVOICE_STATES = ['MATCHED', 'MISMATCHED'] as const;
export type SupplyInvoiceState = (typeof SUPPLY_INVOICE_STATES)[number];
export const SupplyInvoiceStateEnum = stateEnum(SUPPLY_INVOICE_STATES, 'ManufacturerInvoiceState', 'MATCHED when it invoices the shipped quantities at no more than the hospital is charged');

/**
 * The manufacturer → distributor invoice (两票制: the first of the two invoices; the distributor → hospital one
 * is `Invoice`) for one manufacturer's lines of a shipment. Its amount is the supply price; what the hospital is
 * charged minus it is the distribution fee. At most one MATCHED per shipment and manufacturer. Settlement reads
 * matched ones through v_manufacturer_invoice_line.
 */
@ReadPolicy({
  roles: ['MANUFACTURER', 'DISTRIBUTOR', 'HOSPITAL', 'REGULATOR', 'SETTLEMENT_OFFICE', 'PLATFORM_ADMIN'],
  scope: { MANUFACTURER: ownBy('manufacturerId'), DISTRIBUTOR: ownBy('distributorId'), HOSPITAL: ownBy('hospitalId'), ...forRoles(REGION_ROLES, inRegion()) },
  note: 'its two parties; the hospital checks both invoices of its deliveries (两票制)',
})
@ObjectType('ManufacturerInvoice')
@Entity('manufacturer_invoice')
@Check(inCheck('state', SUPPLY_INVOICE_STATES))
@Index('manufacturer_invoice_matched', ['shipmentId', 'manufacturerId'], { unique: true, where: `state = 'MATCHED'` })
@Index('manufacturer_invoice_shipment', ['shipmentId'])
export class ManufacturerInvoice {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field(() => ID)
  @Column('uuid')
  shipmentId: string;

  @Field(() => ID)
  @Column('uuid')
  orderId: string;

  @Field(() => ID, { description: 'The issuer' })
  @Column('uuid')
  manufacturerId: string;

  @Field(() => ID, { description: 'The recipient (the order’s distributor)' })
  @Column('uuid')
  distributorId: string;

  @Column('uuid')
  hospitalId: string;

  @Column('char', { length: 6 })
  regionCode: string;

  @Field(() => String, { description: '发票号码' })
  @Column('text')
  invoiceNumber: string;

  @Field(() => SupplyInvoiceStateEnum)
  @Column('text')
  state: SupplyInvoiceState;

  @Field(() => MoneyScalar, { name: 'total', description: 'Supply amount (what the distributor owes the manufacturer)' })
  @Column('bigint', { transformer: fenTransformer })
  totalFen: bigint;

  @Field(() => MoneyScalar, { name: 'saleTotal', description: 'The same goods at the hospital’s price (shipped quantities)' })
  @Column('bigint', { transformer: fenTransformer })
  saleTotalFen: bigint;

  @Field(() => [InvoiceMismatch], { description: 'kind QUANTITY, AMOUNT_ABOVE_SALE, NOT_SHIPPED or NOT_INVOICED' })
  @Column('jsonb')
  mismatches: InvoiceMismatch[];

  @Field(() => Date)
  @Column('timestamptz')
  submittedAt: Date;

  @Column('uuid')
  submittedBy: string;
}

/** One line of a manufacturer invoice (per order line of the shipment). */
@Entity('manufacturer_invoice_line')
@Check(`quantity >= 0 AND amount_fen >= 0`)
@Index(['invoiceId'])
export class ManufacturerInvoiceLine {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  invoiceId: string;

  @Column('uuid')
  orderLineId: string;

  @Column('int')
  quantity: number;

  @Column('bigint', { transformer: fenTransformer })
  amountFen: bigint;
}
