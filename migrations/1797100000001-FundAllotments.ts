import { MigrationInterface, QueryRunner } from 'typeorm';

export class FundAllotments1797100000001 implements MigrationInterface {
  name = 'FundAllotments1797100000001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "fund_allotment" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "hospital_id" uuid NOT NULL, "period_start" TIMESTAMP WITH TIME ZONE NOT NULL, "period_end" TIMESTAMP WITH TIME ZONE NOT NULL, "amount_fen" bigint NOT NULL, "set_by_user_id" uuid NOT NULL, "set_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "UQ_fund_allotment_hospital_period" UNIQUE ("hospital_id", "period_start"), CONSTRAINT "CHK_da9f43163c56bf7a65bdd31c66" CHECK (amount_fen >= 0), CONSTRAINT "CHK_62da41e8e11d73d0a52cdc5305" CHECK (period_end > period_start), CONSTRAINT "PK_ff0ea1409d796c303cf49453592" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE TABLE "allotment_hold" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "batch_id" uuid NOT NULL, "line_id" uuid NOT NULL, "hospital_id" uuid NOT NULL, "allotment_id" uuid, "amount_fen" bigint NOT NULL, "reason" text NOT NULL, "held_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "UQ_allotment_hold_batch_line" UNIQUE ("batch_id", "line_id"), CONSTRAINT "CHK_8f3d65f30bc35a68eea580bd1e" CHECK (reason IN ('ALLOTMENT_EXCEEDED','ALLOTMENT_MISSING')), CONSTRAINT "PK_18bb63720e1d365b6a5bbfeef31" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "allotment_hold_held_at_id" ON "allotment_hold"  ("held_at", "id") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."allotment_hold_held_at_id"`);
    await queryRunner.query(`DROP TABLE "allotment_hold"`);
    await queryRunner.query(`DROP TABLE "fund_allotment"`);
  }
}
