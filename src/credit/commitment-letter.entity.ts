import { Field, ID, ObjectType } from '@nestjs/graphql';
import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { ReadPolicy, ownBy, everyRow } from '../platform/auth/read-policy';

/** 承诺书: required on file before a manufacturer may bid or apply to list. One per organisation. */
@ReadPolicy({ roles: ['MANUFACTURER', 'DISTRIBUTOR', 'REGULATOR', 'PLATFORM_ADMIN'], scope: { REGULATOR: everyRow, MANUFACTURER: ownBy('organisationId'), DISTRIBUTOR: ownBy('organisationId') } })
@ObjectType('CommitmentLetter')
@Entity('commitment_letter')
export class CommitmentLetter {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field(() => ID)
  @Index({ unique: true })
  @Column('uuid')
  organisationId: string;

  @Field(() => String, { description: 'Reference of the signed document (file id or archive number)' })
  @Column('text')
  documentRef: string;

  @Field(() => String, { description: 'YYYY-MM-DD' })
  @Column('date')
  signedOn: string;

  @Field(() => ID)
  @Column('uuid')
  filedBy: string;

  @Field(() => Date)
  @Column('timestamptz')
  filedAt: Date;
}
