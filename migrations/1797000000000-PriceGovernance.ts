import { MigrationInterface, QueryRunner } from 'typeorm';

/** v_listing_price's columns as the Listing migration created them, in order. */
const LISTING_PRICE_COLUMNS = `SELECT h.listing_id, h.product_id, h.manufacturer_id, h.unit_price, h.valid_from, h.valid_to, h.state,
             h.suspension_reason, l.region_code, h.reason, h.changed_by`;

/**
 * Price governance: a price change carries its reason, evidence, the price it replaces, the reviewers its
 * policy requires and what the reviewer compares it with; each regulator's decision is a row (one per
 * reviewer and application: maker-checker); every price period names the application that put it in force.
 */
export class PriceGovernance1797000000000 implements MigrationInterface {
  name = 'PriceGovernance1797000000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "listing_application_review" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "application_id" uuid NOT NULL, "reviewer_id" uuid NOT NULL, "decision" text NOT NULL, "note" text NOT NULL, "decided_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "CHK_b461ed291de74bee4217372eb8" CHECK (decision IN ('APPROVE','REFUSE','RETURN_FOR_PRICE_CUT')), CONSTRAINT "PK_d7f102900e93ad4e40045f89537" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_listing_application_review_reviewer" ON "listing_application_review"  ("application_id", "reviewer_id") `);
    await queryRunner.query(`ALTER TABLE "listing_price_history" ADD "application_id" uuid`);
    await queryRunner.query(`ALTER TABLE "listing_application" ADD "reason" text`);
    await queryRunner.query(`ALTER TABLE "listing_application" ADD "evidence" jsonb NOT NULL DEFAULT '[]'`);
    await queryRunner.query(`ALTER TABLE "listing_application" ADD "previous_unit_price" numeric(18,4)`);
    await queryRunner.query(`ALTER TABLE "listing_application" ADD "reviews_required" smallint NOT NULL DEFAULT '1'`);
    await queryRunner.query(`ALTER TABLE "listing_application" ADD "price_change_policy_version" text`);
    await queryRunner.query(`ALTER TABLE "listing_application" ADD "comparison" jsonb`);
    await queryRunner.query(`ALTER TABLE "listing_application" ADD "effective_at" TIMESTAMP WITH TIME ZONE`);
    // the published price view gains the period's id (a unique paging key) and the application behind it
    await queryRunner.query(`CREATE OR REPLACE VIEW v_listing_price AS
      ${LISTING_PRICE_COLUMNS}, h.id AS period_id, h.application_id
        FROM listing_price_history h JOIN listing l ON l.id = h.listing_id`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    // CREATE OR REPLACE cannot drop columns: recreate the view as the Listing migration made it
    await queryRunner.query(`DROP VIEW v_listing_price`);
    await queryRunner.query(`CREATE VIEW v_listing_price AS
      ${LISTING_PRICE_COLUMNS}
        FROM listing_price_history h JOIN listing l ON l.id = h.listing_id`);
    await queryRunner.query(`ALTER TABLE "listing_application" DROP COLUMN "effective_at"`);
    await queryRunner.query(`ALTER TABLE "listing_application" DROP COLUMN "comparison"`);
    await queryRunner.query(`ALTER TABLE "listing_application" DROP COLUMN "price_change_policy_version"`);
    await queryRunner.query(`ALTER TABLE "listing_application" DROP COLUMN "reviews_required"`);
    await queryRunner.query(`ALTER TABLE "listing_application" DROP COLUMN "previous_unit_price"`);
    await queryRunner.query(`ALTER TABLE "listing_application" DROP COLUMN "evidence"`);
    await queryRunner.query(`ALTER TABLE "listing_application" DROP COLUMN "reason"`);
    await queryRunner.query(`ALTER TABLE "listing_price_history" DROP COLUMN "application_id"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_listing_application_review_reviewer"`);
    await queryRunner.query(`DROP TABLE "listing_application_review"`);
  }
}
