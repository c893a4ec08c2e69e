import { MigrationInterface, QueryRunner } from 'typeorm';

export class SettlementApproval1797100000000 implements MigrationInterface {
  name = 'SettlementApproval1797100000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "settlement_batch" DROP CONSTRAINT "CHK_b70e6091ecf2f13de68b8ec025"`);
    await queryRunner.query(`ALTER TABLE "payment_instruction" DROP CONSTRAINT "CHK_673b6809a8984a978d1d33277a"`);
    await queryRunner.query(`CREATE TABLE "payee_account" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organisation_id" uuid NOT NULL, "account_name" text NOT NULL, "account_number" text NOT NULL, "bank_name" text NOT NULL, "branch_name" text NOT NULL, "cnaps_code" character(12) NOT NULL, "currency" character(3) NOT NULL DEFAULT 'CNY', "effective_from" TIMESTAMP WITH TIME ZONE NOT NULL, "state" text NOT NULL DEFAULT 'PROPOSED', "proposed_by_user_id" uuid NOT NULL, "proposed_at" TIMESTAMP WITH TIME ZONE NOT NULL, "verified_by_user_id" uuid, "verified_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "CHK_0c5676171ae5e9c52755cc3f80" CHECK (verified_by_user_id IS NULL OR verified_by_user_id <> proposed_by_user_id), CONSTRAINT "CHK_2329e238512dcdb1a119084795" CHECK ((state = 'VERIFIED') = (verified_by_user_id IS NOT NULL)), CONSTRAINT "CHK_a3ac4394ed39251e7f3439f38c" CHECK (cnaps_code ~ '^[0-9]{12}$'), CONSTRAINT "CHK_98cef1806392035f888ce441ac" CHECK (account_number ~ '^[0-9]{8,32}$'), CONSTRAINT "CHK_8e04ee5832809f7788a30055f7" CHECK (currency = 'CNY'), CONSTRAINT "CHK_bc1604845869519c459c3751df" CHECK (state IN ('PROPOSED','VERIFIED')), CONSTRAINT "PK_649cfc7f4d46bed28428612b122" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_7f3c8563253d8fef0b6386b7fb" ON "payee_account"  ("organisation_id", "effective_from") `);
    await queryRunner.query(`CREATE TABLE "line_confirmation" ("line_id" uuid NOT NULL, "hospital_id" uuid NOT NULL, "source" text NOT NULL, "confirmed_at" TIMESTAMP WITH TIME ZONE NOT NULL, "policy_version" text NOT NULL, CONSTRAINT "CHK_06636ca6abb582b40f5e2a0809" CHECK (source IN ('AUTO','RELEASED')), CONSTRAINT "PK_10f3490e932855b2200328c321e" PRIMARY KEY ("line_id"))`);
    await queryRunner.query(`CREATE TABLE "line_dispute" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "line_id" uuid NOT NULL, "hospital_id" uuid NOT NULL, "reason" text NOT NULL, "state" text NOT NULL DEFAULT 'OPEN', "raised_by_user_id" uuid NOT NULL, "raised_at" TIMESTAMP WITH TIME ZONE NOT NULL, "resolved_by_user_id" uuid, "resolved_at" TIMESTAMP WITH TIME ZONE, "resolution_note" text, CONSTRAINT "UQ_line_dispute_line" UNIQUE ("line_id"), CONSTRAINT "CHK_1c9427f236457c179b3471fe15" CHECK (state IN ('OPEN','RELEASED','UPHELD')), CONSTRAINT "PK_73ffc5ab64185dd57c32e344f50" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_3e85bc36216918686d96bf9c77" ON "line_dispute"  ("hospital_id") `);
    await queryRunner.query(`ALTER TABLE "settlement_batch" ADD "prepared_by_user_id" uuid`);
    await queryRunner.query(`ALTER TABLE "settlement_batch" ADD "prepared_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "settlement_batch" ADD "decided_by_user_id" uuid`);
    await queryRunner.query(`ALTER TABLE "settlement_batch" ADD "decided_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "settlement_batch" ADD "rejection_reason" text`);
    await queryRunner.query(`ALTER TABLE "payment_instruction" ADD "hold_reason" text`);
    await queryRunner.query(`ALTER TABLE "payment_instruction" ADD "payee_account_id" uuid`);
    await queryRunner.query(`ALTER TABLE "payment_instruction" ALTER COLUMN "issue_journal_id" DROP NOT NULL`);
    await queryRunner.query(`ALTER TABLE "settlement_batch" ADD CONSTRAINT "CHK_e2f5a79b0cefbdc603999d9526" CHECK ((state = 'REJECTED') = (rejection_reason IS NOT NULL))`);
    await queryRunner.query(`ALTER TABLE "settlement_batch" ADD CONSTRAINT "CHK_dac43f2b31d2d98d38f4a0b1ef" CHECK (state IN ('RUNNING','PREPARED','COMPLETED','REJECTED'))`);
    await queryRunner.query(`ALTER TABLE "payment_instruction" ADD CONSTRAINT "CHK_fe0ad7b22636cbcbd732ee2301" CHECK ((state = 'HELD') = (issue_journal_id IS NULL))`);
    await queryRunner.query(`ALTER TABLE "payment_instruction" ADD CONSTRAINT "CHK_07eac27420bed671e3b48d94da" CHECK ((state = 'HELD') = (hold_reason IS NOT NULL))`);
    await queryRunner.query(`ALTER TABLE "payment_instruction" ADD CONSTRAINT "CHK_edca0b62e25ab3d30898223ef8" CHECK (state IN ('HELD','ISSUED','PAID','FAILED'))`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "payment_instruction" DROP CONSTRAINT "CHK_edca0b62e25ab3d30898223ef8"`);
    await queryRunner.query(`ALTER TABLE "payment_instruction" DROP CONSTRAINT "CHK_07eac27420bed671e3b48d94da"`);
    await queryRunner.query(`ALTER TABLE "payment_instruction" DROP CONSTRAINT "CHK_fe0ad7b22636cbcbd732ee2301"`);
    await queryRunner.query(`ALTER TABLE "settlement_batch" DROP CONSTRAINT "CHK_dac43f2b31d2d98d38f4a0b1ef"`);
    await queryRunner.query(`ALTER TABLE "settlement_batch" DROP CONSTRAINT "CHK_e2f5a79b0cefbdc603999d9526"`);
    await queryRunner.query(`ALTER TABLE "payment_instruction" ALTER COLUMN "issue_journal_id" SET NOT NULL`);
    await queryRunner.query(`ALTER TABLE "payment_instruction" DROP COLUMN "payee_account_id"`);
    await queryRunner.query(`ALTER TABLE "payment_instruction" DROP COLUMN "hold_reason"`);
    await queryRunner.query(`ALTER TABLE "settlement_batch" DROP COLUMN "rejection_reason"`);
    await queryRunner.query(`ALTER TABLE "settlement_batch" DROP COLUMN "decided_at"`);
    await queryRunner.query(`ALTER TABLE "settlement_batch" DROP COLUMN "decided_by_user_id"`);
    await queryRunner.query(`ALTER TABLE "settlement_batch" DROP COLUMN "prepared_at"`);
    await queryRunner.query(`ALTER TABLE "settlement_batch" DROP COLUMN "prepared_by_user_id"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_3e85bc36216918686d96bf9c77"`);
    await queryRunner.query(`DROP TABLE "line_dispute"`);
    await queryRunner.query(`DROP TABLE "line_confirmation"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_7f3c8563253d8fef0b6386b7fb"`);
    await queryRunner.query(`DROP TABLE "payee_account"`);
    await queryRunner.query(`ALTER TABLE "payment_instruction" ADD CONSTRAINT "CHK_673b6809a8984a978d1d33277a" CHECK ((state = ANY (ARRAY['ISSUED'::text, 'PAID'::text, 'FAILED'::text])))`);
    await queryRunner.query(`ALTER TABLE "settlement_batch" ADD CONSTRAINT "CHK_b70e6091ecf2f13de68b8ec025" CHECK ((state = ANY (ARRAY['RUNNING'::text, 'COMPLETED'::text])))`);
  }
}
