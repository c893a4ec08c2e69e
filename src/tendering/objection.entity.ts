import { Field, ID, ObjectType } from '@nestjs/graphql';
import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { ReadPolicy, ownBy, everyRow } from '../platform/auth/read-policy';

/** 异议: a manufacturer's objection to a publicized result, answered by a regulator. */
@ReadPolicy({ roles: 'ANY', scope: { MANUFACTURER: ownBy('manufacturerId'), REGULATOR: everyRow } })
@ObjectType('Objection')
@Entity('tender_objection')
@Check(`state IN ('OPEN','ANSWERED')`)
@Check(`(state = 'ANSWERED') = (answer IS NOT NULL)`)
export class Objection {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field(() => ID)
  @Index()
  @Column('uuid')
  roundId: string;

  @Field(() => ID, { nullable: true })
  @Column('uuid', { nullable: true })
  lotId: string | null;

  @Field(() => ID)
  @Column('uuid')
  manufacturerId: string;

  @Field(() => String)
  @Column('text')
  text: string;

  @Field(() => String, { description: 'OPEN or ANSWERED' })
  @Column('text')
  state: 'OPEN' | 'ANSWERED';

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  answer: string | null;

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { nullable: true })
  answeredAt: Date | null;

  @Column('uuid', { nullable: true })
  answeredByUserId: string | null;

  @Field(() => Date)
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
