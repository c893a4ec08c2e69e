import { MigrationInterface, QueryRunner } from 'typeorm';

export class SupplySubstitutions1797700000002 implements MigrationInterface {
  name = 'SupplySubstitutions1797700000002';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "supply_substitution" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "round_id" uuid NOT NULL, "lot_id" uuid NOT NULL, "variety_id" uuid NOT NULL, "failed_manufacturer_id" uuid NOT NULL, "kind" text NOT NULL, "substitute_manufacturer_id" uuid NOT NULL, "substitute_product_id" uuid NOT NULL, "substitute_bid_id" uuid, "substitute_listing_id" uuid, "unit_price" numeric(18,4) NOT NULL, "price_cap" numeric(18,4), "temporary_until" TIMESTAMP WITH TIME ZONE, "reason" text NOT NULL, "agreements_moved" integer NOT NULL, "region_codes" text array NOT NULL, "credit_event_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "created_by_user_id" uuid, CONSTRAINT "CHK_e03a1a0081aa1163fcd9e7f935" CHECK (agreements_moved >= 1), CONSTRAINT "CHK_b6edf9236aaedd497cf9e8e0b2" CHECK ((kind = 'LISTING_PRICE') = (price_cap IS NOT NULL)), CONSTRAINT "CHK_656748c61a3b4095dc294bf973" CHECK ((kind = 'WINNER') = (substitute_bid_id IS NOT NULL)), CONSTRAINT "CHK_069685e03b4fb4a5aba1d236f1" CHECK (kind IN ('WINNER','LISTING_PRICE')), CONSTRAINT "PK_d0706b3a8671a5e8723092fe766" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_d791eeea8260af3100c787c091" ON "supply_substitution"  ("round_id") `);
    await queryRunner.query(`CREATE INDEX "supply_substitution_created_at_id" ON "supply_substitution"  ("created_at", "id") `);
    await queryRunner.query(`ALTER TABLE "volume_agreement" ADD "substitution_id" uuid`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "volume_agreement" DROP COLUMN "substitution_id"`);
    await queryRunner.query(`DROP INDEX "public"."supply_substitution_created_at_id"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_d791eeea8260af3100c787c091"`);
    await queryRunner.query(`DROP TABLE "supply_substitution"`);
  }
}
