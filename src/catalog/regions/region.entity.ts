import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';

export type RegionLevel = 'PROVINCE' | 'CITY' | 'COUNTY';

/** A GB/T 2260 administrative division. `path` ('410000/410100/410102') makes subtree scoping one LIKE. */
@Entity('region')
export class Region {
  @PrimaryColumn('char', { length: 6 })
  code: string;

  @Column('text')
  name: string;

  @Column('char', { length: 6, nullable: true })
  parentCode: string | null;

  @ManyToOne(() => Region, { nullable: true, onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'parent_code' })
  parent?: Region | null;

  @Column('text')
  level: RegionLevel;

  @Index({ unique: true })
  @Column('text')
  path: string;
}
