import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * National and alliance results (国家组织/联盟集采) imported into the platform: a batch and its versions (the
 * normalised content and the diff from the previous version), the source of a round (PROVINCIAL: the platform's
 * own bidding; NATIONAL, ALLIANCE: imported) and of its agreements (set from the round by a trigger, whatever
 * code inserts the agreement), and where a demand baseline figure comes from (PLATFORM receipts or IMPORTED), published as v_demand_baseline.
 */
export class ExternalAwards1797600000000 implements MigrationInterface {
  name = 'ExternalAwards1797600000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "external_award_batch" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "code" text NOT NULL, "level" text NOT NULL, "alliance_name" text, "round_id" uuid NOT NULL, "current_version" integer NOT NULL, "owner_region_code" character(6) NOT NULL, "owner_region_path" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "CHK_886184961442c057f02b83d6e1" CHECK (current_version >= 1), CONSTRAINT "CHK_cc50549bfa18c3ea27472e58ef" CHECK ((level = 'ALLIANCE') = (alliance_name IS NOT NULL)), CONSTRAINT "CHK_22f6cc0bcc66c9c61f6cdb01f3" CHECK (level IN ('NATIONAL','ALLIANCE')), CONSTRAINT "PK_2da4d7c0cb87eb48acea0d3e3fd" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_075658d6bf38cb616a343ea276" ON "external_award_batch"  ("code") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_679d74ff23726b62cf6aed8e00" ON "external_award_batch"  ("round_id") `);
    await queryRunner.query(`CREATE TABLE "external_award_version" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "batch_id" uuid NOT NULL, "version" integer NOT NULL, "format" text NOT NULL, "file_name" text, "content_sha256" character(64) NOT NULL, "file_sha256" character(64), "content" jsonb NOT NULL, "diff" jsonb NOT NULL, "variety_count" integer NOT NULL, "winner_count" integer NOT NULL, "imported_by" uuid NOT NULL, "imported_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "UQ_0a7b3d7a4ff015fb4d34081daf8" UNIQUE ("batch_id", "version"), CONSTRAINT "CHK_ca6aa8f519b2295a4bbb43af36" CHECK (format IN ('CSV','XLSX','JSON')), CONSTRAINT "CHK_86bd79580bd9914c5848a5a45b" CHECK (version >= 1), CONSTRAINT "PK_c55fa6891284632a14699ba0cf8" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_5cb82dfb155cea1ea77b556372" ON "external_award_version"  ("batch_id") `);
    await queryRunner.query(`ALTER TABLE "tender_round" ADD "source" text NOT NULL DEFAULT 'PROVINCIAL'`);
    await queryRunner.query(`ALTER TABLE "tender_round" ADD "alliance_name" text`);
    await queryRunner.query(`ALTER TABLE "tender_demand" ADD "baseline_source" text`);
    await queryRunner.query(`ALTER TABLE "demand_baseline" ADD "source" text NOT NULL DEFAULT 'IMPORTED'`);
    await queryRunner.query(`ALTER TABLE "volume_agreement" ADD "source" text NOT NULL DEFAULT 'PROVINCIAL'`);
    await queryRunner.query(`ALTER TABLE "tender_round" ADD CONSTRAINT "CHK_60b71acb1a3b2eb2cbe7ea66c4" CHECK ((source = 'ALLIANCE') = (alliance_name IS NOT NULL))`);
    await queryRunner.query(`ALTER TABLE "tender_round" ADD CONSTRAINT "CHK_644fed0c5589a2c26df80f9573" CHECK (source IN ('PROVINCIAL','NATIONAL','ALLIANCE'))`);
    await queryRunner.query(`ALTER TABLE "tender_demand" ADD CONSTRAINT "CHK_29986e6bd1303be7733d77878f" CHECK (baseline_source IS NULL OR baseline_source IN ('PLATFORM','IMPORTED'))`);
    await queryRunner.query(`ALTER TABLE "demand_baseline" ADD CONSTRAINT "CHK_4adab083a829e770adda7cf451" CHECK (source IN ('PLATFORM','IMPORTED'))`);
    await queryRunner.query(`ALTER TABLE "volume_agreement" ADD CONSTRAINT "CHK_5d65bf39b3b273e3cc60532c93" CHECK (source IN ('PROVINCIAL','NATIONAL','ALLIANCE'))`);
    await queryRunner.query(`CREATE FUNCTION volume_agreement_source_of_round() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        NEW.source := COALESCE((SELECT r.source FROM tender_round r WHERE r.id = NEW.round_id), NEW.source);
        RETURN NEW;
      END $$`);
    await queryRunner.query(`CREATE TRIGGER volume_agreement_source BEFORE INSERT ON "volume_agreement" FOR EACH ROW EXECUTE FUNCTION volume_agreement_source_of_round()`);
    // published read model: last year's purchases with the source of each figure (retained savings show it)
    await queryRunner.query(`CREATE VIEW v_demand_baseline AS
      SELECT b.hospital_id, b.variety_id, b.year, b.quantity, b.amount_fen, b.source FROM demand_baseline b`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP VIEW v_demand_baseline`);
    await queryRunner.query(`DROP TRIGGER volume_agreement_source ON "volume_agreement"`);
    await queryRunner.query(`DROP FUNCTION volume_agreement_source_of_round()`);
    await queryRunner.query(`ALTER TABLE "volume_agreement" DROP CONSTRAINT "CHK_5d65bf39b3b273e3cc60532c93"`);
    await queryRunner.query(`ALTER TABLE "demand_baseline" DROP CONSTRAINT "CHK_4adab083a829e770adda7cf451"`);
    await queryRunner.query(`ALTER TABLE "tender_demand" DROP CONSTRAINT "CHK_29986e6bd1303be7733d77878f"`);
    await queryRunner.query(`ALTER TABLE "tender_round" DROP CONSTRAINT "CHK_644fed0c5589a2c26df80f9573"`);
    await queryRunner.query(`ALTER TABLE "tender_round" DROP CONSTRAINT "CHK_60b71acb1a3b2eb2cbe7ea66c4"`);
    await queryRunner.query(`ALTER TABLE "volume_agreement" DROP COLUMN "source"`);
    await queryRunner.query(`ALTER TABLE "demand_baseline" DROP COLUMN "source"`);
    await queryRunner.query(`ALTER TABLE "tender_demand" DROP COLUMN "baseline_source"`);
    await queryRunner.query(`ALTER TABLE "tender_round" DROP COLUMN "alliance_name"`);
    await queryRunner.query(`ALTER TABLE "tender_round" DROP COLUMN "source"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_5cb82dfb155cea1ea77b556372"`);
    await queryRunner.query(`DROP TABLE "external_award_version"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_679d74ff23726b62cf6aed8e00"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_075658d6bf38cb616a343ea276"`);
    await queryRunner.query(`DROP TABLE "external_award_batch"`);
  }
}
