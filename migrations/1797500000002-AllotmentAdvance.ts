import { MigrationInterface, QueryRunner } from 'typeorm';

export class AllotmentAdvance1797500000002 implements MigrationInterface {
  name = 'AllotmentAdvance1797500000002';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "ledger_account" DROP CONSTRAINT "CHK_afb61fe1b66ee19c4111c31fcb"`);
    await queryRunner.query(`CREATE TABLE "allotment_advance" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "batch_id" uuid NOT NULL, "line_id" uuid NOT NULL, "hospital_id" uuid NOT NULL, "allotment_id" uuid NOT NULL, "line_amount_fen" bigint NOT NULL, "amount_fen" bigint NOT NULL, "advanced_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "UQ_allotment_advance_batch_line" UNIQUE ("batch_id", "line_id"), CONSTRAINT "CHK_a4708cdcb42b939330542eba83" CHECK (amount_fen > 0 AND amount_fen <= line_amount_fen), CONSTRAINT "PK_13dc5bd9e4abb3153c85087a8cc" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "allotment_advance_advanced_at_id" ON "allotment_advance"  ("advanced_at", "id") `);
    await queryRunner.query(`ALTER TABLE "region_settlement_policy" ADD "advance_limit_fen" bigint NOT NULL DEFAULT '0'`);
    await queryRunner.query(`ALTER TABLE "ledger_account" ADD CONSTRAINT "CHK_979cbea8ecbf3faa906b7bbf5e" CHECK (kind IN ('FUND_ENTITLEMENT','VBP_PREPAYMENT','PAYABLE','BANK_CLEARING','RETAINED_SAVINGS','CHAIN_PAYABLE','CHAIN_RECEIVABLE','FUND_ADVANCE'))`);
    await queryRunner.query(`ALTER TABLE "region_settlement_policy" ADD CONSTRAINT "CHK_f2c9b11b305b88c3fe9ba2366e" CHECK (advance_limit_fen >= 0)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "region_settlement_policy" DROP CONSTRAINT "CHK_f2c9b11b305b88c3fe9ba2366e"`);
    await queryRunner.query(`ALTER TABLE "ledger_account" DROP CONSTRAINT "CHK_979cbea8ecbf3faa906b7bbf5e"`);
    await queryRunner.query(`ALTER TABLE "region_settlement_policy" DROP COLUMN "advance_limit_fen"`);
    await queryRunner.query(`DROP INDEX "public"."allotment_advance_advanced_at_id"`);
    await queryRunner.query(`DROP TABLE "allotment_advance"`);
    await queryRunner.query(`ALTER TABLE "ledger_account" ADD CONSTRAINT "CHK_afb61fe1b66ee19c4111c31fcb" CHECK ((kind = ANY (ARRAY['FUND_ENTITLEMENT'::text, 'VBP_PREPAYMENT'::text, 'PAYABLE'::text, 'BANK_CLEARING'::text, 'RETAINED_SAVINGS'::text, 'CHAIN_PAYABLE'::text, 'CHAIN_RECEIVABLE'::text])))`);
  }
}
