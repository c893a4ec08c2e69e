import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Supervision flags purchases above the payment standard in force (issue 17, item 4): the listing context
 * publishes its payment standards as the read model `v_payment_standard` (docs/context-contracts.md), and
 * version 1 of the monitoring rule PURCHASE_ABOVE_PAYMENT_STANDARD is seeded as data (later versions are rows
 * published by regulators).
 */
export class PurchaseAbovePaymentStandard1797300000000 implements MigrationInterface {
  name = 'PurchaseAbovePaymentStandard1797300000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE VIEW v_payment_standard AS
      SELECT ps.id AS payment_standard_id, ps.variety_id, ps.variety_spec_id, ps.product_id, ps.version, ps.unit_price,
             ps.effective_from, ps.effective_to, ps.basis, ps.policy_version, ps.source
        FROM payment_standard ps`);
    await queryRunner.query(`INSERT INTO monitoring_rule (code, version, name, subject_kind, severity, params, policy, effective_from) VALUES
        ('PURCHASE_ABOVE_PAYMENT_STANDARD', 1, '采购价高于医保支付标准', 'HOSPITAL', 'MEDIUM', '{"tolerance":"0"}'::jsonb, '健全医保支付标准与集中采购价格协同机制：医疗机构采购价高于下单时该产品（或其品种规格）执行的医保支付标准的，予以提示；tolerance 为容许超出的比例', '2025-01-01')`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM monitoring_rule WHERE code = 'PURCHASE_ABOVE_PAYMENT_STANDARD'`);
    await queryRunner.query(`DROP VIEW v_payment_standard`);
  }
}
