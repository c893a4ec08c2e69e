import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { Check, Column, Entity, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { ReadPolicy } from '../platform/auth/read-policy';
import { stateEnum } from '../platform/graphql/state-enum';
import { inCheck } from '../platform/database/state-check';
import type { ExternalAwardChangeData, ExternalAwardContent } from './external-awards-file';

export const EXTERNAL_AWARD_LEVELS = ['NATIONAL', 'ALLIANCE'] as const;
export type ExternalAwardLevel = (typeof EXTERNAL_AWARD_LEVELS)[number];
export const ExternalAwardLevelEnum = stateEnum(EXTERNAL_AWARD_LEVELS, 'ExternalAwardLevel', 'NATIONAL (国家组织集采) or ALLIANCE (省际联盟)');
export const EXTERNAL_AWARD_FORMATS = ['CSV', 'XLSX', 'JSON'] as const;
export type ExternalAwardFormat = (typeof EXTERNAL_AWARD_FORMATS)[number];
export const ExternalAwardFormatEnum = stateEnum(EXTERNAL_AWARD_FORMATS, 'ExternalAwardFormat', 'How a version of external results arrived: a CSV or XLSX file, or JSON from a machine client');

/**
 * A national or alliance batch whose results this province implements (国家组织/联盟集采结果落地). The batch is
 * materialised as a round of source NATIONAL or ALLIANCE (`roundId`): hospitals report demand for its lots and
 * agreements come from the same volume and allocation rules as the platform's own rounds.
 */
@ReadPolicy({ roles: ['REGULATOR', 'PLATFORM_ADMIN'] })
@ObjectType('ExternalAwardBatch')
@Entity('external_award_batch')
@Check(inCheck('level', EXTERNAL_AWARD_LEVELS))
@Check(`(level = 'ALLIANCE') = (alliance_name IS NOT NULL)`)
@Check(`current_version >= 1`)
export class ExternalAwardBatch {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field(() => String, { description: 'The batch code as the file gives it (e.g. GY-YD2023-1)' })
  @Index({ unique: true })
  @Column('text')
  code: string;

  @Field(() => ExternalAwardLevelEnum)
  @Column('text')
  level: ExternalAwardLevel;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  allianceName: string | null;

  @Field(() => ID, { description: 'The round that implements the batch in this province' })
  @Index({ unique: true })
  @Column('uuid')
  roundId: string;

  @Field(() => Int)
  @Column('int')
  currentVersion: number;

  @Column('char', { length: 6 })
  ownerRegionCode: string;

  @Column('text')
  ownerRegionPath: string;

  @Field(() => Date)
  @Column('timestamptz')
  createdAt: Date;
}

/** One imported version of a batch's results; a corrected file makes the next version, with its diff. */
@ReadPolicy({ roles: ['REGULATOR', 'PLATFORM_ADMIN'] })
@ObjectType('ExternalAwardVersion')
@Entity('external_award_version')
@Unique(['batchId', 'version'])
@Check(`version >= 1`)
@Check(inCheck('format', EXTERNAL_AWARD_FORMATS))
export class ExternalAwardVersion {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field(() => ID)
  @Index()
  @Column('uuid')
  batchId: string;

  @Field(() => Int)
  @Column('int')
  version: number;

  @Field(() => ExternalAwardFormatEnum)
  @Column('text')
  format: ExternalAwardFormat;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  fileName: string | null;

  @Field(() => String, { description: 'SHA-256 of the normalised content: the same results in CSV, XLSX or JSON hash alike' })
  @Column('char', { length: 64 })
  contentSha256: string;

  @Field(() => String, { nullable: true, description: 'SHA-256 of the uploaded file as sent (null for JSON)' })
  @Column('char', { length: 64, nullable: true })
  fileSha256: string | null;

  /** The normalised results: batch terms, varieties, specs, winners, prices, regions (served by fields below). */
  @Column('jsonb')
  content: ExternalAwardContent;

  /** Changes from the previous version (empty for version 1). */
  @Column('jsonb')
  diff: ExternalAwardChangeData[];

  @Field(() => Int)
  @Column('int')
  varietyCount: number;

  @Field(() => Int)
  @Column('int')
  winnerCount: number;

  @Field(() => ID)
  @Column('uuid')
  importedBy: string;

  @Field(() => Date)
  @Column('timestamptz')
  importedAt: Date;
}
