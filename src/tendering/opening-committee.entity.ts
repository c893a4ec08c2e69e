import { Check, Column, Entity, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';

/**
 * A named member of a round's opening committee (开标委员会) and the life of their key share:
 * designated → share made when bidding opens (held here only until the member fetches it, then wiped) →
 * share submitted after the bid deadline (held until the k-th arrives and the round opens, then wiped).
 * `share_digest` lets each submitted share be checked on its own without keeping the share.
 */
@Entity('opening_committee_member')
@Unique(['roundId', 'userId'])
@Unique(['roundId', 'shareIndex'])
@Check(`share_index BETWEEN 1 AND 255`)
export class OpeningCommitteeMember {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index()
  @Column('uuid')
  roundId: string;

  @Column('uuid')
  userId: string;

  /** The share's abscissa x (1..n) in the Shamir split. */
  @Column('int')
  shareIndex: number;

  @Column('timestamptz')
  designatedAt: Date;

  /** sha256 over the round, the index and the share: checks a submitted share; set when the key is split. */
  @Column('char', { length: 64, nullable: true })
  shareDigest: string | null;

  /** The share's bytes between the split and the member's one fetch; null once delivered. */
  @Column('bytea', { nullable: true })
  undeliveredShare: Buffer | null;

  @Column('timestamptz', { nullable: true })
  deliveredAt: Date | null;

  /** The share as submitted after the deadline, until the round opens (then wiped). */
  @Column('bytea', { nullable: true })
  submittedShare: Buffer | null;

  @Column('timestamptz', { nullable: true })
  submittedAt: Date | null;
}
