import { MigrationInterface, QueryRunner } from 'typeorm';

export class PaymentStandards1797200000000 implements MigrationInterface {
  name = 'PaymentStandards1797200000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "payment_standard" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "variety_id" uuid NOT NULL, "variety_spec_id" uuid NOT NULL, "product_id" uuid, "version" integer NOT NULL, "unit_price" numeric(18,4) NOT NULL, "effective_from" TIMESTAMP WITH TIME ZONE NOT NULL, "effective_to" TIMESTAMP WITH TIME ZONE, "basis" text NOT NULL, "policy_version" text NOT NULL, "source" text NOT NULL, "inputs_hash" text NOT NULL, "created_by" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "CHK_2e2c61727438f89af8c2d5b16a" CHECK (unit_price > 0), CONSTRAINT "CHK_a48b658f6552dc264ba02b4e42" CHECK (effective_to IS NULL OR effective_to > effective_from), CONSTRAINT "CHK_dcf27542c8ee3975f3cb5a5081" CHECK (basis IN ('VBP_AWARD','CONVERGENCE')), CONSTRAINT "PK_6f59000835855eaea00722f3cd6" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "payment_standard_spec_effective" ON "payment_standard"  ("variety_spec_id", "effective_from") `);
    await queryRunner.query(`CREATE INDEX "payment_standard_variety_effective" ON "payment_standard"  ("variety_id", "effective_from") `);
    await queryRunner.query(`CREATE INDEX "payment_standard_created_at_id" ON "payment_standard"  ("created_at", "id") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."payment_standard_created_at_id"`);
    await queryRunner.query(`DROP INDEX "public"."payment_standard_variety_effective"`);
    await queryRunner.query(`DROP INDEX "public"."payment_standard_spec_effective"`);
    await queryRunner.query(`DROP TABLE "payment_standard"`);
  }
}
