import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { Check, Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { ReadPolicy, forRoles, ownBy, everyRow, REGION_ROLES, inRegion } from '../platform/auth/read-policy';

/** A return (退货) of accepted goods after receipt, with its reason; reduces accepted quantities. */
@ReadPolicy({ roles: 'ANY', scope: { HOSPITAL: ownBy('hospitalId'), DISTRIBUTOR: everyRow, MANUFACTURER: everyRow, ...forRoles(REGION_ROLES, inRegion()) }, note: 'read through its order' })
@ObjectType('GoodsReturn')
@Entity('goods_return')
@Index(['orderId'])
export class GoodsReturn {
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

  @Field(() => String)
  @Column('text')
  reason: string;

  @Field(() => Date)
  @Column('timestamptz')
  returnedAt: Date;
}

@ReadPolicy({ roles: 'ANY', note: 'read through its return' })
@ObjectType('GoodsReturnLine')
@Entity('goods_return_line')
@Check(`quantity > 0`)
@Index(['returnId'])
@Index(['receiptLineId'])
export class GoodsReturnLine {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field(() => ID)
  @Column('uuid')
  returnId: string;

  @Field(() => ID)
  @Column('uuid')
  receiptLineId: string;

  @Field(() => ID)
  @Column('uuid')
  orderLineId: string;

  @Column('char', { length: 6 })
  regionCode: string;

  @Field(() => Int)
  @Column('int')
  quantity: number;
}
