import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

const bigintAsNumber = { to: (v: number) => v, from: (v: string | null) => (v === null ? null : Number(v)) };

/**
 * One entry of the append-only, hash-chained audit log. A mutation inserts its entry (seq from a sequence,
 * no lock) in its own transaction; right after commit the chainer gives committed entries their place in
 * the chain: `chainPos`, `prevHash` (the hash at chainPos − 1) and `hash` = sha256(prevHash + canonical JSON
 * of the entry). A trigger refuses UPDATE (but that one-time chaining), DELETE and TRUNCATE.
 */
@Entity('audit_log')
@Index(['entityType', 'entityId'])
export class AuditEntry {
  // pg returns bigint as text; the transformer gives numbers (safe: far below 2^53 entries)
  @PrimaryGeneratedColumn('increment', { type: 'bigint', transformer: bigintAsNumber } as { type: 'bigint' })
  seq: number;

  @Index('IDX_audit_log_chain_pos', { unique: true })
  @Column('bigint', { nullable: true, transformer: bigintAsNumber })
  chainPos: number | null;

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

  @Column('char', { length: 64, nullable: true })
  prevHash: string | null;

  @Column('char', { length: 64, nullable: true })
  hash: string | null;
}
