import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes for two batched child reads: the agreements a supply substitution made (volume_agreement by
 * substitution_id, set on few rows) and the manufacturer invoices of shipments (by shipment_id in any state;
 * the existing unique index covers MATCHED ones only).
 */
export class ChildReadIndexes1798300000000 implements MigrationInterface {
  name = 'ChildReadIndexes1798300000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "volume_agreement_substitution" ON "volume_agreement" ("substitution_id") WHERE substitution_id IS NOT NULL`);
    await queryRunner.query(`CREATE INDEX "manufacturer_invoice_shipment" ON "manufacturer_invoice" ("shipment_id") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "manufacturer_invoice_shipment"`);
    await queryRunner.query(`DROP INDEX "volume_agreement_substitution"`);
  }
}
