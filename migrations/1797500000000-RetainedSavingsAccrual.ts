import { MigrationInterface, QueryRunner } from 'typeorm';

export class RetainedSavingsAccrual1797500000000 implements MigrationInterface {
  name = 'RetainedSavingsAccrual1797500000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "ledger_account" DROP CONSTRAINT "CHK_77ab7e3e0c209e4f83b2b1cdec"`);
    await queryRunner.query(`ALTER TABLE "ledger_journal" DROP CONSTRAINT "CHK_578926244b153b620b08a2d1c3"`);
    await queryRunner.query(`CREATE TABLE "retained_savings_accrual" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "hospital_id" uuid NOT NULL, "region_code" character(6) NOT NULL, "round_id" uuid NOT NULL, "agreement_year" integer NOT NULL, "year_start" TIMESTAMP WITH TIME ZONE NOT NULL, "year_end" TIMESTAMP WITH TIME ZONE NOT NULL, "budget_fen" bigint NOT NULL, "spent_fen" bigint NOT NULL, "savings_fen" bigint NOT NULL, "score" character(1) NOT NULL, "share" numeric(6,4) NOT NULL, "policy_version" text NOT NULL, "amount_fen" bigint NOT NULL, "journal_id" uuid, "batch_id" uuid, "accrued_at" TIMESTAMP WITH TIME ZONE NOT NULL, "accrued_by_user_id" uuid NOT NULL, CONSTRAINT "UQ_retained_savings_accrual_hospital_year" UNIQUE ("hospital_id", "round_id", "agreement_year"), CONSTRAINT "CHK_f051b9f4fdd2c935e1fa57da99" CHECK (score IN ('A','B','C','D')), CONSTRAINT "CHK_4e3dcd1ba593b0f3abdf437281" CHECK ((amount_fen = 0) = (journal_id IS NULL)), CONSTRAINT "CHK_178586ac575763d9ab1eb81046" CHECK (amount_fen >= 0), CONSTRAINT "CHK_5ee442c5f90660d665c0ad802f" CHECK (agreement_year >= 1), CONSTRAINT "PK_8749afdd521f0887419fb8d2ec8" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_f78bb1f0d46fbcc5957ed683fb" ON "retained_savings_accrual"  ("batch_id") `);
    await queryRunner.query(`ALTER TABLE "settlement_batch" ADD "savings_amount_fen" bigint NOT NULL DEFAULT '0'`);
    await queryRunner.query(`ALTER TABLE "ledger_account" ADD CONSTRAINT "CHK_a5af5ebc4a6551e6ddf8992ef5" CHECK (kind IN ('FUND_ENTITLEMENT','VBP_PREPAYMENT','PAYABLE','BANK_CLEARING','RETAINED_SAVINGS'))`);
    await queryRunner.query(`ALTER TABLE "ledger_journal" ADD CONSTRAINT "CHK_70b9311280d4831504e929ecae" CHECK (kind IN ('PREPAYMENT','SETTLEMENT','PAYMENT_ISSUED','PAYMENT_FAILED','REVERSAL','RETAINED_SAVINGS'))`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "ledger_journal" DROP CONSTRAINT "CHK_70b9311280d4831504e929ecae"`);
    await queryRunner.query(`ALTER TABLE "ledger_account" DROP CONSTRAINT "CHK_a5af5ebc4a6551e6ddf8992ef5"`);
    await queryRunner.query(`ALTER TABLE "settlement_batch" DROP COLUMN "savings_amount_fen"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_f78bb1f0d46fbcc5957ed683fb"`);
    await queryRunner.query(`DROP TABLE "retained_savings_accrual"`);
    await queryRunner.query(`ALTER TABLE "ledger_journal" ADD CONSTRAINT "CHK_578926244b153b620b08a2d1c3" CHECK ((kind = ANY (ARRAY['PREPAYMENT'::text, 'SETTLEMENT'::text, 'PAYMENT_ISSUED'::text, 'PAYMENT_FAILED'::text, 'REVERSAL'::text])))`);
    await queryRunner.query(`ALTER TABLE "ledger_account" ADD CONSTRAINT "CHK_77ab7e3e0c209e4f83b2b1cdec" CHECK ((kind = ANY (ARRAY['FUND_ENTITLEMENT'::text, 'VBP_PREPAYMENT'::text, 'PAYABLE'::text, 'BANK_CLEARING'::text])))`);
  }
}
