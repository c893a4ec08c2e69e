import { Field, ID, ObjectType } from '@nestjs/graphql';
import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { Organisation } from '../organisations/organisation.entity';

import { Role } from '../../platform/auth/roles';
import { ReadPolicy, forRoles, ALL_ROLES, ownBy } from '../../platform/auth/read-policy';

export { ROLES } from '../../platform/auth/roles';
export type { Role } from '../../platform/auth/roles';

/** A person with one role in one organisation. */
@ReadPolicy({ roles: 'ANY', scope: forRoles(ALL_ROLES, ownBy('organisationId')), note: 'users of the caller\'s own organisation' })
@ObjectType('User')
@Entity('app_user')
@Check(`role IN ('PLATFORM_ADMIN','REGULATOR','HOSPITAL','MANUFACTURER','DISTRIBUTOR','SETTLEMENT_OFFICE')`)
export class User {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field(() => String)
  @Index({ unique: true })
  @Column('text')
  username: string;

  @Field(() => String)
  @Column('text')
  displayName: string;

  /** scrypt$N$r$p$salt$hash */
  @Column('text')
  passwordHash: string;

  @Field(() => String)
  @Column('text')
  role: Role;

  @Field(() => ID)
  @Index()
  @Column('uuid')
  organisationId: string;

  @ManyToOne(() => Organisation, { nullable: false, onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'organisation_id' })
  organisation?: Organisation;

  @Field(() => Boolean)
  @Column('boolean', { default: true })
  active: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}

/**
 * A refresh token, stored only as its sha256; each use rotates it. Every token descends from one login: its
 * family. Presenting a spent token again (a stolen copy, or the victim after the thief) revokes the family's
 * live token, so whoever holds the newer one is logged out too.
 */
@Entity('refresh_token')
export class RefreshToken {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** the id of the login that started the chain of rotations */
  @Index()
  @Column('uuid')
  familyId: string;

  @Index()
  @Column('uuid')
  userId: string;

  @ManyToOne(() => User, { nullable: false, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  @Index({ unique: true })
  @Column('char', { length: 64 })
  tokenHash: string;

  @Column('timestamptz')
  expiresAt: Date;

  @Column('timestamptz', { nullable: true })
  usedAt: Date | null;

  /** set when a spent token of the family was presented again; a revoked token is never honoured */
  @Column('timestamptz', { nullable: true })
  revokedAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}

/**
 * Failed logins counted per (source address, username) pair — the username as typed, known or not, stored
 * only as part of a sha256 — so that throttling answers the same for real and unknown names, and a wrong
 * password from one source never locks the account for another. Rows lift by themselves with time.
 */
@Entity('login_throttle')
@Check(`failures >= 0`)
export class LoginThrottle {
  /** sha256 of "<source>\u0000<normalised username>" */
  @PrimaryColumn('char', { length: 64 })
  keyHash: string;

  @Column('int')
  failures: number;

  @Index()
  @Column('timestamptz')
  lastFailedAt: Date;

  @Column('timestamptz', { nullable: true })
  lockedUntil: Date | null;
}
