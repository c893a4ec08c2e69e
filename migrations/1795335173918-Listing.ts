import { MigrationInterface, QueryRunner } from 'typeorm';

export class Listing1795335173918 implements MigrationInterface {
  name = 'Listing1795335173918';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "listing" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "product_id" uuid NOT NULL, "manufacturer_id" uuid NOT NULL, "region_code" character(6) NOT NULL, "state" text NOT NULL, "suspension_reason" text, "unit_price" numeric(18,4) NOT NULL, "policy_version" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CHK_d65c097509592ed9bda5d9b58d" CHECK (unit_price > 0), CONSTRAINT "CHK_851299cc832ab73bb217dda3f6" CHECK ((state = 'SUSPENDED') = (suspension_reason IS NOT NULL)), CONSTRAINT "CHK_ffd1639f20a921217a9ff48cfa" CHECK (state IN ('PENDING_REVIEW','LISTED','SUSPENDED','WITHDRAWN')), CONSTRAINT "PK_381d45ebb8692362c156d6b87d7" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_de137c05596c3ca3cf9fbc2990" ON "listing"  ("product_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_484c0a1cd003109ffa51fa2b03" ON "listing"  ("manufacturer_id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_listing_active_product" ON "listing"  ("product_id", "region_code") WHERE state <> 'WITHDRAWN'`);
    await queryRunner.query(`CREATE TABLE "listing_price_history" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "listing_id" uuid NOT NULL, "product_id" uuid NOT NULL, "manufacturer_id" uuid NOT NULL, "unit_price" numeric(18,4) NOT NULL, "state" text NOT NULL, "suspension_reason" text, "valid_from" TIMESTAMP WITH TIME ZONE NOT NULL, "valid_to" TIMESTAMP WITH TIME ZONE, "changed_by" uuid, "reason" text NOT NULL, CONSTRAINT "CHK_dd8ffed0c38f1d2b747524b72b" CHECK (valid_to IS NULL OR valid_to >= valid_from), CONSTRAINT "PK_e17048f27ad8a0115fcc495ef21" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_74e32e3cea4e00b52f6bb19ade" ON "listing_price_history"  ("listing_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_1a60b833790aa41de0b7c950c4" ON "listing_price_history"  ("product_id", "valid_from") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_listing_price_history_open" ON "listing_price_history"  ("listing_id") WHERE valid_to IS NULL`);
    await queryRunner.query(`CREATE TABLE "listing_application" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "listing_id" uuid NOT NULL, "product_id" uuid NOT NULL, "manufacturer_id" uuid NOT NULL, "kind" text NOT NULL, "unit_price" numeric(18,4) NOT NULL, "state" text NOT NULL, "checks" jsonb NOT NULL, "policy_version" text NOT NULL, "submitted_by" uuid NOT NULL, "submitted_at" TIMESTAMP WITH TIME ZONE NOT NULL, "decided_by" uuid, "decided_at" TIMESTAMP WITH TIME ZONE, "decision_note" text, CONSTRAINT "CHK_13f5f9c6baa3f2339ada438574" CHECK (unit_price > 0), CONSTRAINT "CHK_b889f4ba80c31754db87a1a4a9" CHECK (kind IN ('NEW','PRICE_CHANGE')), CONSTRAINT "CHK_e17712c44a75091c0850980c3f" CHECK (state IN ('PENDING_REVIEW','AUTO_APPROVED','APPROVED','REFUSED','RETURNED_FOR_PRICE_CUT')), CONSTRAINT "PK_0770f8d48c1a6ee990340ce0b09" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_7acb3929e064deada62b09de52" ON "listing_application"  ("listing_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_9a470ddb2d751e54279341bd7b" ON "listing_application"  ("manufacturer_id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_listing_application_pending" ON "listing_application"  ("listing_id") WHERE state = 'PENDING_REVIEW'`);
    await queryRunner.query(`CREATE TABLE "reference_price" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "product_id" uuid, "province_code" character(6) NOT NULL, "generic_name" text NOT NULL, "manufacturer_id" uuid, "dosage_form" text, "spec" text NOT NULL, "unit_price" numeric(18,4) NOT NULL, "effective_on" date NOT NULL, "source" text NOT NULL, "import_id" uuid, "recorded_by" uuid, "recorded_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "CHK_24b91220a661ddfe1f87c875a5" CHECK (unit_price > 0), CONSTRAINT "PK_c497bc00b1e9299c1f1e54f8127" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_ef6ea83056921342db53b76afc" ON "reference_price"  ("product_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_2cf29d0f83d830171c3c305ab8" ON "reference_price"  ("generic_name", "manufacturer_id", "spec") `);
    await queryRunner.query(`CREATE TABLE "reference_price_import" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "file_name" text NOT NULL, "format" text NOT NULL, "sha256" character(64) NOT NULL, "row_count" integer NOT NULL, "notices_issued" integer NOT NULL, "imported_by" uuid NOT NULL, "imported_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_cb2585e9b838fedd6493f2a9314" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE TABLE "linkage_notice" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "listing_id" uuid NOT NULL, "manufacturer_id" uuid NOT NULL, "reference_price_id" uuid NOT NULL, "reference_unit_price" numeric(18,4) NOT NULL, "listing_unit_price" numeric(18,4) NOT NULL, "issued_at" TIMESTAMP WITH TIME ZONE NOT NULL, "deadline_at" TIMESTAMP WITH TIME ZONE NOT NULL, "working_days" integer NOT NULL, "calendar_version" text NOT NULL, "policy_version" text NOT NULL, "state" text NOT NULL, "resolved_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "CHK_43fae8199cfb58c8416793e6c4" CHECK (state IN ('OPEN','CUT','SUSPENDED','CLOSED')), CONSTRAINT "PK_4fa9ee884fb23fae88376fb8fa2" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_423bab28ca11cc52368a47b573" ON "linkage_notice"  ("listing_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_6c83e44d6a61737a0fdd862159" ON "linkage_notice"  ("manufacturer_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_aec712dcbcfd3c95bb19b1af06" ON "linkage_notice"  ("deadline_at") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_linkage_notice_open" ON "linkage_notice"  ("listing_id") WHERE state = 'OPEN'`);
    // Published read models (docs/context-contracts.md); add columns freely, never rename or drop one.
    await queryRunner.query(`CREATE VIEW v_listing_price AS
      SELECT h.listing_id, h.product_id, h.manufacturer_id, h.unit_price, h.valid_from, h.valid_to, h.state,
             h.suspension_reason, l.region_code, h.reason, h.changed_by
        FROM listing_price_history h JOIN listing l ON l.id = h.listing_id`);
    await queryRunner.query(`CREATE VIEW v_reference_price AS
      SELECT product_id, province_code, generic_name, manufacturer_id, dosage_form, spec, unit_price, source,
             effective_on, recorded_at, id AS reference_price_id
        FROM reference_price`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP VIEW v_reference_price`);
    await queryRunner.query(`DROP VIEW v_listing_price`);
    await queryRunner.query(`DROP INDEX "public"."UQ_linkage_notice_open"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_aec712dcbcfd3c95bb19b1af06"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_6c83e44d6a61737a0fdd862159"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_423bab28ca11cc52368a47b573"`);
    await queryRunner.query(`DROP TABLE "linkage_notice"`);
    await queryRunner.query(`DROP TABLE "reference_price_import"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_2cf29d0f83d830171c3c305ab8"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_ef6ea83056921342db53b76afc"`);
    await queryRunner.query(`DROP TABLE "reference_price"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_listing_application_pending"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_9a470ddb2d751e54279341bd7b"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_7acb3929e064deada62b09de52"`);
    await queryRunner.query(`DROP TABLE "listing_application"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_listing_price_history_open"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_1a60b833790aa41de0b7c950c4"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_74e32e3cea4e00b52f6bb19ade"`);
    await queryRunner.query(`DROP TABLE "listing_price_history"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_listing_active_product"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_484c0a1cd003109ffa51fa2b03"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_de137c05596c3ca3cf9fbc2990"`);
    await queryRunner.query(`DROP TABLE "listing"`);
  }
}
