import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { Check, Column, Entity, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { quantityTransformer } from '../platform/database/quantity-transformer';
import { stateEnum } from '../platform/graphql/state-enum';
import { inCheck } from '../platform/database/state-check';
import { ReadPolicy, forRoles, ownBy, everyRow, REGION_ROLES, ORGANISATION_ROLES } from '../platform/auth/read-policy';

export const AGREEMENT_YEAR_STATES = ['AWAITING_RESIGN', 'SIGNED', 'CLOSED'] as const;
export type AgreementYearState = (typeof AGREEMENT_YEAR_STATES)[number];
export const AgreementYearStateEnum = stateEnum(
  AGREEMENT_YEAR_STATES,
  'AgreementYearState',
  'AWAITING_RESIGN until the hospital re-signs (续签) or the default is signed for it; SIGNED while the year runs; CLOSED after year-end',
);

/**
 * 协议年度: one year of a volume agreement's cycle. Year 1 is signed with the agreement; each later year is
 * re-signed (续签) with a quantity that defaults to the past year's actual use. `purchased_quantity` counts the
 * receipts accepted within the year; year-end records the shortfall (visible to supervision) or surplus.
 */
@ReadPolicy({ roles: 'ANY', scope: { ...forRoles(ORGANISATION_ROLES, ownBy('hospitalId', 'manufacturerId')), ...forRoles(REGION_ROLES, everyRow) } })
@ObjectType('AgreementYear')
@Entity('agreement_year')
@Unique(['agreementId', 'yearIndex'])
@Check(inCheck('state', AGREEMENT_YEAR_STATES))
@Check(`year_index >= 1`)
@Check(`starts_at < ends_at`)
@Check(`purchased_quantity >= 0`)
@Check(`(state = 'AWAITING_RESIGN') = (agreed_quantity IS NULL)`)
@Check(`(state = 'CLOSED') = (closed_at IS NOT NULL)`)
@Index(['endsAt', 'state'])
export class AgreementYear {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field(() => ID)
  @Index()
  @Column('uuid')
  agreementId: string;

  @Field(() => ID)
  @Column('uuid')
  hospitalId: string;

  @Field(() => ID)
  @Column('uuid')
  manufacturerId: string;

  @Field(() => String)
  @Column('char', { length: 6 })
  regionCode: string;

  @Field(() => Int, { description: '1 for the cycle’s first year' })
  @Column('int')
  yearIndex: number;

  @Field(() => Date)
  @Column('timestamptz')
  startsAt: Date;

  @Field(() => Date)
  @Column('timestamptz')
  endsAt: Date;

  @Field(() => AgreementYearStateEnum)
  @Column('text')
  state: AgreementYearState;

  @Field(() => Int, { nullable: true, description: 'The year’s agreed quantity (units of the product’s spec); null until re-signed' })
  @Column('bigint', { nullable: true, transformer: quantityTransformer })
  agreedQuantity: number | null;

  @Field(() => Int, { description: 'Accepted receipts within the year' })
  @Column('bigint', { default: 0, transformer: quantityTransformer })
  purchasedQuantity: number;

  @Field(() => Int, { nullable: true, description: 'The re-signing default: the past year’s actual use (set when the past year closes)' })
  @Column('bigint', { nullable: true, transformer: quantityTransformer })
  defaultQuantity: number | null;

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { nullable: true })
  resignedAt: Date | null;

  @Field(() => String, { nullable: true, description: 'HOSPITAL (re-signed by the hospital) or DEFAULT (signed at the default when the window closed)' })
  @Column('text', { nullable: true })
  resignedBy: string | null;

  @Field(() => Int, { description: 'Version of the agreement year rules (re-signing bounds) the year runs under' })
  @Column('int')
  rulesVersion: number;

  @Field(() => Int, { nullable: true, description: 'At year-end: agreed − purchased when short' })
  @Column('bigint', { nullable: true, transformer: quantityTransformer })
  shortfallQuantity: number | null;

  @Field(() => Int, { nullable: true, description: 'At year-end: purchased − agreed when over (bought at the awarded price)' })
  @Column('bigint', { nullable: true, transformer: quantityTransformer })
  surplusQuantity: number | null;

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { nullable: true })
  closedAt: Date | null;
}
