import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Small platform-wide state shared by every replica and kept across restarts: the training clock's offset
 * (`clock.offset`), whether the demo history was seeded (`demo.history`).
 */
@Entity('platform_setting')
export class PlatformSetting {
  @PrimaryColumn('varchar', { length: 64 })
  key: string;

  @Column('jsonb')
  value: Record<string, unknown>;

  @Column('timestamptz')
  updatedAt: Date;
}
