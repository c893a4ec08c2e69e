import { Field, ObjectType } from '@nestjs/graphql';
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { ReadPolicy } from '../../platform/auth/read-policy';

export type RegionLevel = 'PROVINCE' | 'CITY' | 'COUNTY';

/** A GB/T 2260 administrative division. `path` ('410000/410100/410102') makes subtree scoping one LIKE. */
@ReadPolicy({ roles: 'PUBLIC' })
@ObjectType('Region')
@Entity('region')
export class Region {
  @Field(() => String, { description: 'GB/T 2260 code' })
  @PrimaryColumn('char', { length: 6 })
  code: string;

  @Field(() => String)
  @Column('text')
  name: string;

  @Field(() => String, { nullable: true })
  @Column('char', { length: 6, nullable: true })
  parentCode: string | null;

  @ManyToOne(() => Region, { nullable: true, onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'parent_code' })
  parent?: Region | null;

  @Field(() => String, { description: 'PROVINCE, CITY or COUNTY' })
  @Column('text')
  level: RegionLevel;

  @Index({ unique: true })
  @Column('text')
  path: string;
}
