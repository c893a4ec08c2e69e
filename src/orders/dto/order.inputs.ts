import { Field, ID, InputType, Int } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Matches, Max, Min, ValidateNested } from 'class-validator';
import { MoneyScalar } from '../../platform/graphql/scalars';
import { ORDER_LIMITS, ORDER_STATES, type OrderState } from '@libs/order-rules';
import { OrderStateEnum } from '../purchase-order.entity';
import { IsBusinessDate, IsBusinessMonth, NotBeforeEpoch } from '../../platform/graphql/date-validators';

export const MAX_QUANTITY = 10_000_000;

@InputType()
export class AppointDistributorInput {
  @Field(() => ID, { nullable: true, description: 'Platform admins only; manufacturers appoint for themselves' })
  @IsOptional()
  @IsUUID('all')
  manufacturerId?: string | null;

  @Field(() => ID)
  @IsUUID('all')
  distributorId: string;

  @Field(() => String, { description: 'GB/T 2260 code; covers the region and its subtree' })
  @Matches(/^\d{6}$/, { message: 'must be a 6-digit GB/T 2260 code' })
  regionCode: string;

  @Field(() => Date)
  @NotBeforeEpoch()
  startsAt: Date;

  @Field(() => Date, { nullable: true })
  @IsOptional()
  @NotBeforeEpoch()
  endsAt?: Date | null;
}

@InputType()
export class OrderLineInput {
  @Field(() => ID)
  @IsUUID('all')
  productId: string;

  /** checked in the service so the field path reads like the others ('input.lines[0].quantity') */
  @Field(() => Int, { description: 'A positive whole number of units' })
  quantity: number;
}

@InputType()
export class PlaceOrderInput {
  @Field(() => String, { description: 'Chosen by the client; a retry with the same key returns the first result' })
  @IsString()
  idempotencyKey: string;

  @Field(() => Boolean, { nullable: true })
  @IsOptional()
  @IsBoolean()
  emergency?: boolean | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @Length(0, 500)
  note?: string | null;

  @Field(() => [OrderLineInput], { description: `1 to ${ORDER_LIMITS.maxLinesPerOrder} lines (ORDER_LIMITS.maxLinesPerOrder), one per product` })
  @ValidateNested({ each: true })
  @Type(() => OrderLineInput)
  @ArrayMinSize(1, { message: '订单至少要有 1 行' })
  @ArrayMaxSize(ORDER_LIMITS.maxLinesPerOrder, { message: `一张订单最多 ${ORDER_LIMITS.maxLinesPerOrder} 行，请拆分为多张订单` })
  lines: OrderLineInput[];
}

@InputType()
export class ShipmentLineInput {
  @Field(() => ID)
  @IsUUID('all')
  orderLineId: string;

  @Field(() => Int)
  @IsInt()
  @Min(1)
  @Max(MAX_QUANTITY)
  quantity: number;

  @Field(() => String, { description: '批号' })
  @IsString()
  @Length(1, 50)
  batchNumber: string;

  @Field(() => String, { description: 'Expiry (有效期至, inclusive), YYYY-MM-DD; must lie after the day of shipping' })
  @IsBusinessDate()
  expiresOn: string;
}

@InputType()
export class ShipOrderInput {
  @Field(() => ID)
  @IsUUID('all')
  orderId: string;

  @Field(() => [ShipmentLineInput])
  @ValidateNested({ each: true })
  @Type(() => ShipmentLineInput)
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  lines: ShipmentLineInput[];
}

@InputType()
export class ReceiptLineInput {
  @Field(() => ID)
  @IsUUID('all')
  shipmentLineId: string;

  @Field(() => Int)
  @IsInt()
  @Min(0)
  @Max(MAX_QUANTITY)
  acceptedQuantity: number;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_QUANTITY)
  rejectedQuantity?: number | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 500)
  rejectionReason?: string | null;
}

@InputType()
export class ReceiveShipmentInput {
  @Field(() => ID)
  @IsUUID('all')
  shipmentId: string;

  @Field(() => [ReceiptLineInput])
  @ValidateNested({ each: true })
  @Type(() => ReceiptLineInput)
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  lines: ReceiptLineInput[];
}

@InputType()
export class ReturnLineInput {
  @Field(() => ID)
  @IsUUID('all')
  receiptLineId: string;

  @Field(() => Int)
  @IsInt()
  @Min(1)
  @Max(MAX_QUANTITY)
  quantity: number;
}

@InputType()
export class ReturnGoodsInput {
  @Field(() => ID)
  @IsUUID('all')
  orderId: string;

  @Field(() => String)
  @IsString()
  @Length(2, 500)
  reason: string;

  @Field(() => [ReturnLineInput])
  @ValidateNested({ each: true })
  @Type(() => ReturnLineInput)
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  lines: ReturnLineInput[];
}

@InputType()
export class InvoiceLineInput {
  @Field(() => ID)
  @IsUUID('all')
  orderLineId: string;

  @Field(() => Int)
  @IsInt()
  @Min(0)
  @Max(MAX_QUANTITY)
  quantity: number;

  @Field(() => MoneyScalar)
  amount: bigint;
}

@InputType()
export class SubmitManufacturerInvoiceInput {
  @Field(() => ID)
  @IsUUID('all')
  shipmentId: string;

  @Field(() => ID, { nullable: true, description: 'The issuing manufacturer (a distributor recording it names it; a manufacturer records its own)' })
  @IsOptional()
  @IsUUID('all')
  manufacturerId?: string | null;

  @Field(() => String, { description: '发票号码' })
  @IsString()
  @Length(1, 50)
  invoiceNumber: string;

  @Field(() => [InvoiceLineInput], { description: 'Per order line: the quantity shipped and the supply amount' })
  @ValidateNested({ each: true })
  @Type(() => InvoiceLineInput)
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  lines: InvoiceLineInput[];
}

@InputType()
export class SubmitInvoiceInput {
  @Field(() => ID)
  @IsUUID('all')
  shipmentId: string;

  @Field(() => String, { description: '发票号码' })
  @IsString()
  @Length(1, 50)
  invoiceNumber: string;

  @Field(() => [InvoiceLineInput])
  @ValidateNested({ each: true })
  @Type(() => InvoiceLineInput)
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  lines: InvoiceLineInput[];
}

@InputType()
export class ReportOffPlatformPurchaseInput {
  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID('all')
  productId?: string | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID('all')
  varietyId?: string | null;

  @Field(() => String, { description: 'YYYY-MM' })
  @IsBusinessMonth()
  month: string;

  @Field(() => Int)
  @IsInt()
  @Min(1)
  @Max(MAX_QUANTITY)
  quantity: number;

  @Field(() => MoneyScalar)
  amount: bigint;

  @Field(() => String)
  @IsString()
  @Length(2, 500)
  reason: string;
}

@InputType()
export class OrderFilter {
  @Field(() => OrderStateEnum, { nullable: true })
  @IsOptional()
  @IsIn([...ORDER_STATES], { message: `must be one of ${ORDER_STATES.join(', ')}` })
  state?: OrderState | null;
}
