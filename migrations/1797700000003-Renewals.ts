import { MigrationInterface, QueryRunner } from 'typeorm';

export class Renewals1797700000003 implements MigrationInterface {
  name = 'Renewals1797700000003';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "tender_renewal" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "round_id" uuid NOT NULL, "name" text NOT NULL, "state" text NOT NULL, "rules_code" text NOT NULL, "rules_version" integer NOT NULL, "rules" jsonb NOT NULL, "started_at" TIMESTAMP WITH TIME ZONE NOT NULL, "response_deadline" TIMESTAMP WITH TIME ZONE NOT NULL, "cycle_start" TIMESTAMP WITH TIME ZONE NOT NULL, "renewed_round_id" uuid, "completed_at" TIMESTAMP WITH TIME ZONE, "created_by_user_id" uuid, CONSTRAINT "CHK_1c5d984fcd6d099cd5663921d1" CHECK ((state = 'COMPLETED') = (renewed_round_id IS NOT NULL)), CONSTRAINT "CHK_633bd267a2065b2bcc075d6fca" CHECK (started_at < response_deadline AND response_deadline < cycle_start), CONSTRAINT "CHK_b67baebdd1f61ec4cfc05d5021" CHECK (state IN ('OFFERS_OPEN','COMPLETED')), CONSTRAINT "PK_d1eeadc5a13a56aaa8f00ca10d9" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_d2ad33cce2513a45d4ac72d890" ON "tender_renewal"  ("round_id") `);
    await queryRunner.query(`CREATE TABLE "tender_renewal_offer" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "renewal_id" uuid NOT NULL, "lot_id" uuid NOT NULL, "bid_id" uuid NOT NULL, "manufacturer_id" uuid NOT NULL, "product_id" uuid NOT NULL, "lot_spec_id" uuid NOT NULL, "comparable_factor" numeric(18,6) NOT NULL, "current_unit_price" numeric(18,4) NOT NULL, "reference_unit_price" numeric(18,4), "reference_province_code" text, "state" text NOT NULL, "offered_unit_price" numeric(18,4), "responded_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "UQ_e9302df2bf5fcadcf4ba3b9b517" UNIQUE ("renewal_id", "lot_id", "bid_id"), CONSTRAINT "CHK_ff3835e7edd60c6ca017ba30c2" CHECK ((state = 'ACCEPTED') = (offered_unit_price IS NOT NULL)), CONSTRAINT "CHK_0efbcebbce5a3e79382b13826b" CHECK (state IN ('PENDING','ACCEPTED','DECLINED','LAPSED')), CONSTRAINT "PK_da21be114f776121c254ff13154" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_ce8727cd90bbe2fba48cb93568" ON "tender_renewal_offer"  ("renewal_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_b45e103fe6b0f4023aa1a9d89b" ON "tender_renewal_offer"  ("manufacturer_id") `);
    await queryRunner.query(`CREATE TABLE "tender_renewal_demand" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "renewal_id" uuid NOT NULL, "lot_id" uuid NOT NULL, "hospital_id" uuid NOT NULL, "region_code" character(6) NOT NULL, "quantity" bigint NOT NULL, "previous_quantity" bigint NOT NULL, "previous_agreement_id" uuid NOT NULL, "previous_bid_id" uuid NOT NULL, "reported_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "UQ_c42b1c8fa4158336ff2d2295f46" UNIQUE ("renewal_id", "lot_id", "hospital_id"), CONSTRAINT "CHK_55c30620f24c9bb2b7f14e2849" CHECK (quantity >= 0), CONSTRAINT "PK_fba4fbe5830e3ea5bba04028e62" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_424fe4da896f6b226306825fe1" ON "tender_renewal_demand"  ("renewal_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_dba9968dc22cbcd93816d4b107" ON "tender_renewal_demand"  ("hospital_id") `);
    await queryRunner.query(`ALTER TABLE "volume_agreement" ADD "renews_agreement_id" uuid`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "volume_agreement" DROP COLUMN "renews_agreement_id"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_dba9968dc22cbcd93816d4b107"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_424fe4da896f6b226306825fe1"`);
    await queryRunner.query(`DROP TABLE "tender_renewal_demand"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_b45e103fe6b0f4023aa1a9d89b"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_ce8727cd90bbe2fba48cb93568"`);
    await queryRunner.query(`DROP TABLE "tender_renewal_offer"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_d2ad33cce2513a45d4ac72d890"`);
    await queryRunner.query(`DROP TABLE "tender_renewal"`);
  }
}
