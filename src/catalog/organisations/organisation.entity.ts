import { Field, ID, ObjectType } from '@nestjs/graphql';
import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { Region } from '../regions/region.entity';
import { ORGANISATION_CODE_CHECK } from './organisation-code';
import { ReadPolicy } from '../../platform/auth/read-policy';

export const ORGANISATION_KINDS = ['PLATFORM', 'REGULATOR', 'HOSPITAL', 'MANUFACTURER', 'DISTRIBUTOR', 'SETTLEMENT_OFFICE'] as const;
export type OrganisationKind = (typeof ORGANISATION_KINDS)[number];
export const HOSPITAL_LEVELS = ['TERTIARY', 'SECONDARY', 'PRIMARY', 'COMMUNITY'] as const;
export type HospitalLevel = (typeof HOSPITAL_LEVELS)[number];

@ReadPolicy({ roles: 'PUBLIC', note: 'registry facts (name, credit code, region): public; the organisations query lists only the caller\'s scope' })
@ObjectType('Organisation')
@Entity('organisation')
@Index('organisation_name_id', ['name', 'id'])
@Check(`kind IN ('PLATFORM','REGULATOR','HOSPITAL','MANUFACTURER','DISTRIBUTOR','SETTLEMENT_OFFICE')`)
@Check(`(kind = 'HOSPITAL') = (hospital_level IS NOT NULL)`)
@Check(ORGANISATION_CODE_CHECK)
export class Organisation {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** The public key to look an organisation up by; see organisation-code.ts. */
  @Field(() => String, {
    description: 'Public code, unique: the 统一社会信用代码 (18 characters) of hospitals, companies, the settlement office and the platform; the GB/T 2260 region code of a regulator',
  })
  @Index('UQ_organisation_code', { unique: true })
  @Column('text')
  code: string;

  /** 统一社会信用代码 (GB 32100), check character validated on the way in. */
  @Field(() => String, { description: '统一社会信用代码 (GB 32100)' })
  @Index({ unique: true })
  @Column('char', { length: 18 })
  creditCode: string;

  @Field(() => String)
  @Column('text')
  name: string;

  @Field(() => String, { description: 'PLATFORM, REGULATOR, HOSPITAL, MANUFACTURER, DISTRIBUTOR or SETTLEMENT_OFFICE' })
  @Index()
  @Column('text')
  kind: OrganisationKind;

  @Field(() => String)
  @Index()
  @Column('char', { length: 6 })
  regionCode: string;

  @ManyToOne(() => Region, { nullable: false, onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'region_code' })
  region?: Region;

  @Field(() => String, { nullable: true, description: 'TERTIARY, SECONDARY, PRIMARY or COMMUNITY (hospitals only)' })
  @Column('text', { nullable: true })
  hospitalLevel: HospitalLevel | null;

  /** Stable key of a demo or imported record, so seeding twice changes nothing. */
  @Index({ unique: true, where: 'external_key IS NOT NULL' })
  @Column('text', { nullable: true })
  externalKey: string | null;

  @Field(() => Boolean)
  @Column('boolean', { default: true })
  active: boolean;

  @Field(() => Date)
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
