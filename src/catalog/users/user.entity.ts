import { Field, ID, ObjectType } from '@nestjs/graphql';
import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
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
@Check(`failed_logins >= 0`)
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

  @Column('int', { default: 0 })
  failedLogins: number;

  @Column('timestamptz', { nullable: true })
  lockedUntil: Date | null;

  @Field(() => Boolean)
  @Column('boolean', { default: true })
  active: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}

/** A refresh token, stored only as its sha256; each use rotates it. */
@Entity('refresh_token')
export class RefreshToken {
  @PrimaryGeneratedColumn('uuid')
  id: string;

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

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
