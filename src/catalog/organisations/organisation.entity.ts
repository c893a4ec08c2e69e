import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { Region } from '../regions/region.entity';

export const ORGANISATION_KINDS = ['PLATFORM', 'REGULATOR', 'HOSPITAL', 'MANUFACTURER', 'DISTRIBUTOR', 'SETTLEMENT_OFFICE'] as const;
export type OrganisationKind = (typeof ORGANISATION_KINDS)[number];
export const HOSPITAL_LEVELS = ['TERTIARY', 'SECONDARY', 'PRIMARY', 'COMMUNITY'] as const;
export type HospitalLevel = (typeof HOSPITAL_LEVELS)[number];

@Entity('organisation')
@Check(`kind IN ('PLATFORM','REGULATOR','HOSPITAL','MANUFACTURER','DISTRIBUTOR','SETTLEMENT_OFFICE')`)
@Check(`(kind = 'HOSPITAL') = (hospital_level IS NOT NULL)`)
export class Organisation {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** 统一社会信用代码 (GB 32100), check character validated on the way in. */
  @Index({ unique: true })
  @Column('char', { length: 18 })
  creditCode: string;

  @Column('text')
  name: string;

  @Index()
  @Column('text')
  kind: OrganisationKind;

  @Index()
  @Column('char', { length: 6 })
  regionCode: string;

  @ManyToOne(() => Region, { nullable: false, onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'region_code' })
  region?: Region;

  @Column('text', { nullable: true })
  hospitalLevel: HospitalLevel | null;

  /** Stable key of a demo or imported record, so seeding twice changes nothing. */
  @Index({ unique: true, where: 'external_key IS NOT NULL' })
  @Column('text', { nullable: true })
  externalKey: string | null;

  @Column('boolean', { default: true })
  active: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
