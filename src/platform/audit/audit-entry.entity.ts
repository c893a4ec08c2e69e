import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

const bigintAsNumber = { to: (v: number) => v, from: (v: string) => Number(v) };

/**
 * One link of the append-only, hash-chained audit log. `hash` = sha256(prevHash + canonical JSON of the
 * entry's other fields); a trigger refuses UPDATE, DELETE and TRUNCATE.
 */
@Entity('audit_log')
@Index(['entityType', 'entityId'])
export class AuditEntry {
  @PrimaryColumn('bigint', { transformer: bigintAsNumber })
  seq: number;

  @Column('timestamptz')
  at: Date;

  @Column('uuid', { nullable: true })
  actorUserId: string | null;

  @Column('uuid', { nullable: true })
  actorOrganisationId: string | null;

  @Index()
  @Column('text')
  action: string;

  @Column('text')
  entityType: string;

  @Column('text')
  entityId: string;

  @Column('jsonb')
  data: Record<string, unknown>;

  @Column('char', { length: 64 })
  prevHash: string;

  @Column('char', { length: 64 })
  hash: string;
}
