import { MigrationInterface, QueryRunner } from 'typeorm';

export class SealingCommittee1796600000000 implements MigrationInterface {
  name = 'SealingCommittee1796600000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "opening_committee_member" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "round_id" uuid NOT NULL, "user_id" uuid NOT NULL, "share_index" integer NOT NULL, "designated_at" TIMESTAMP WITH TIME ZONE NOT NULL, "share_digest" character(64), "undelivered_share" bytea, "delivered_at" TIMESTAMP WITH TIME ZONE, "submitted_share" bytea, "submitted_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "UQ_3b361bcf2b4f1c8c9b7b746804b" UNIQUE ("round_id", "share_index"), CONSTRAINT "UQ_36ded54b7a8ed2224223a810c8e" UNIQUE ("round_id", "user_id"), CONSTRAINT "CHK_a006a03de2688bd078468c033c" CHECK (share_index BETWEEN 1 AND 255), CONSTRAINT "PK_b815c4baf4d0b9f785a72bfbe46" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_f47aee248d5edb461f93234bd8" ON "opening_committee_member"  ("round_id") `);
    await queryRunner.query(`ALTER TABLE "tender_round" ADD "sealing_mode" text NOT NULL DEFAULT 'DEMO_SINGLE_KEY'`);
    await queryRunner.query(`ALTER TABLE "tender_round" ADD "opening_threshold" integer`);
    await queryRunner.query(`ALTER TABLE "tender_round" ADD "sealing_public_key" bytea`);
    await queryRunner.query(`ALTER TABLE "tender_round" ADD "sealing_key_created_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "tender_bid" ADD "seal_ephemeral_key" bytea`);
    await queryRunner.query(`ALTER TABLE "tender_round" ADD CONSTRAINT "CHK_4e8e3e9e5e58a98853fb3d5dcb" CHECK (opening_threshold IS NULL OR opening_threshold >= 2)`);
    await queryRunner.query(`ALTER TABLE "tender_round" ADD CONSTRAINT "CHK_386355c4ac1b04aa64d828bb93" CHECK (sealing_mode IN ('COMMITTEE','DEMO_SINGLE_KEY'))`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "tender_round" DROP CONSTRAINT "CHK_386355c4ac1b04aa64d828bb93"`);
    await queryRunner.query(`ALTER TABLE "tender_round" DROP CONSTRAINT "CHK_4e8e3e9e5e58a98853fb3d5dcb"`);
    await queryRunner.query(`ALTER TABLE "tender_bid" DROP COLUMN "seal_ephemeral_key"`);
    await queryRunner.query(`ALTER TABLE "tender_round" DROP COLUMN "sealing_key_created_at"`);
    await queryRunner.query(`ALTER TABLE "tender_round" DROP COLUMN "sealing_public_key"`);
    await queryRunner.query(`ALTER TABLE "tender_round" DROP COLUMN "opening_threshold"`);
    await queryRunner.query(`ALTER TABLE "tender_round" DROP COLUMN "sealing_mode"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_f47aee248d5edb461f93234bd8"`);
    await queryRunner.query(`DROP TABLE "opening_committee_member"`);
  }
}
