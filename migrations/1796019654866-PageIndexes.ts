import { MigrationInterface, QueryRunner } from 'typeorm';

export class PageIndexes1796019654866 implements MigrationInterface {
  name = 'PageIndexes1796019654866';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "listing_created_at_id" ON "listing"  ("created_at", "id") `);
    await queryRunner.query(`CREATE INDEX "listing_application_submitted_at_id" ON "listing_application"  ("submitted_at", "id") `);
    await queryRunner.query(`CREATE INDEX "reference_price_effective_on_id" ON "reference_price"  ("effective_on", "id") `);
    await queryRunner.query(`CREATE INDEX "linkage_notice_issued_at_id" ON "linkage_notice"  ("issued_at", "id") `);
    await queryRunner.query(`CREATE INDEX "volume_agreement_created_at_id" ON "volume_agreement"  ("created_at", "id") `);
    await queryRunner.query(`CREATE INDEX "prepayment_due_due_at_id" ON "prepayment_due"  ("due_at", "id") `);
    await queryRunner.query(`CREATE INDEX "supply_failure_reported_at_id" ON "supply_failure"  ("reported_at", "id") `);
    await queryRunner.query(`CREATE INDEX "ledger_account_kind_id" ON "ledger_account"  ("kind", "id") `);
    await queryRunner.query(`CREATE INDEX "settlement_batch_started_at_id" ON "settlement_batch"  ("started_at", "id") `);
    await queryRunner.query(`CREATE INDEX "payment_instruction_issued_at_id" ON "payment_instruction"  ("issued_at", "id") `);
    await queryRunner.query(`CREATE INDEX "off_platform_purchase_month_id" ON "off_platform_purchase"  ("month", "id") `);
    await queryRunner.query(`CREATE INDEX "prepayment_posting_posted_at_key" ON "prepayment_posting"  ("posted_at", "prepayment_due_id") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."prepayment_posting_posted_at_key"`);
    await queryRunner.query(`DROP INDEX "public"."off_platform_purchase_month_id"`);
    await queryRunner.query(`DROP INDEX "public"."payment_instruction_issued_at_id"`);
    await queryRunner.query(`DROP INDEX "public"."settlement_batch_started_at_id"`);
    await queryRunner.query(`DROP INDEX "public"."ledger_account_kind_id"`);
    await queryRunner.query(`DROP INDEX "public"."supply_failure_reported_at_id"`);
    await queryRunner.query(`DROP INDEX "public"."prepayment_due_due_at_id"`);
    await queryRunner.query(`DROP INDEX "public"."volume_agreement_created_at_id"`);
    await queryRunner.query(`DROP INDEX "public"."linkage_notice_issued_at_id"`);
    await queryRunner.query(`DROP INDEX "public"."reference_price_effective_on_id"`);
    await queryRunner.query(`DROP INDEX "public"."listing_application_submitted_at_id"`);
    await queryRunner.query(`DROP INDEX "public"."listing_created_at_id"`);
  }
}
