import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/**
 * The stored result of a mutation a client may retry: the same key returns the same result; the same key
 * with a different request is refused. Scoped by organisation so one party cannot probe another's keys.
 */
@Entity('idempotency_record')
export class IdempotencyRecord {
  @PrimaryColumn('uuid')
  organisationId: string;

  @PrimaryColumn('text')
  operation: string;

  @PrimaryColumn('text')
  key: string;

  @Column('char', { length: 64 })
  requestHash: string;

  @Column('jsonb')
  result: unknown;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
