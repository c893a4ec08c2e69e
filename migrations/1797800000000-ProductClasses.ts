import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Product classes the procurement targets need: drugs apart from TCM decoction pieces (中药饮片), and
 * consumables split into high- and low-value with their national classification code. Existing products are
 * classified from what the catalogue knew: drugs as DRUG, consumables by their variety's high_value flag, the
 * classification code from the 11 digits after the C of the insurance consumable code.
 */
export class ProductClasses1797800000000 implements MigrationInterface {
  name = 'ProductClasses1797800000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "product" ADD "product_class" text`);
    await queryRunner.query(`ALTER TABLE "product" ADD "national_category_code" text`);
    await queryRunner.query(`UPDATE product p SET product_class = CASE
        WHEN p.kind = 'DRUG' THEN 'DRUG'
        WHEN COALESCE((SELECT v.high_value FROM variety v WHERE v.id = p.variety_id), false) THEN 'HIGH_VALUE_CONSUMABLE'
        ELSE 'LOW_VALUE_CONSUMABLE' END,
      national_category_code = CASE WHEN p.kind = 'CONSUMABLE' AND p.insurance_code ~ '^C[0-9]{26}$' THEN substr(p.insurance_code, 2, 11) END`);
    await queryRunner.query(`ALTER TABLE "product" ALTER COLUMN "product_class" SET NOT NULL`);
    // a consumable must name its class (the CHECK below refuses DRUG for it); a drug without one is a drug
    await queryRunner.query(`ALTER TABLE "product" ALTER COLUMN "product_class" SET DEFAULT 'DRUG'`);
    await queryRunner.query(`CREATE INDEX "IDX_5180431560794000f319fe2815" ON "product"  ("product_class") `);
    await queryRunner.query(`ALTER TABLE "product" ADD CONSTRAINT "CHK_292840edce4bbebd13faeaa552" CHECK (national_category_code IS NULL OR national_category_code ~ '^[0-9]{2,11}$')`);
    await queryRunner.query(`ALTER TABLE "product" ADD CONSTRAINT "CHK_25622e591256d943b492fd43b6" CHECK ((kind = 'DRUG') = (product_class IN ('DRUG','TCM_DECOCTION_PIECE')))`);
    await queryRunner.query(`ALTER TABLE "product" ADD CONSTRAINT "CHK_5fe121fc2edaed0486b83f3780" CHECK (product_class IN ('DRUG','TCM_DECOCTION_PIECE','HIGH_VALUE_CONSUMABLE','LOW_VALUE_CONSUMABLE'))`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "product" DROP CONSTRAINT "CHK_5fe121fc2edaed0486b83f3780"`);
    await queryRunner.query(`ALTER TABLE "product" DROP CONSTRAINT "CHK_25622e591256d943b492fd43b6"`);
    await queryRunner.query(`ALTER TABLE "product" DROP CONSTRAINT "CHK_292840edce4bbebd13faeaa552"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_5180431560794000f319fe2815"`);
    await queryRunner.query(`ALTER TABLE "product" DROP COLUMN "national_category_code"`);
    await queryRunner.query(`ALTER TABLE "product" DROP COLUMN "product_class"`);
  }
}
