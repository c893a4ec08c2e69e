import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreditRating1795334800467 implements MigrationInterface {
  name = 'CreditRating1795334800467';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "credit_event" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organisation_id" uuid NOT NULL, "behaviour" text NOT NULL, "amount_fen" bigint, "occurred_on" date NOT NULL, "evidence" text NOT NULL, "product_ids" uuid array NOT NULL DEFAULT '{}', "source" text NOT NULL, "level_at_recording" text NOT NULL, "policy_version" text NOT NULL, "cleared_by_repair_id" uuid, "recorded_by" uuid, "recorded_at" TIMESTAMP WITH TIME ZONE NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CHK_dcacbb8d672442973f2cd918be" CHECK (source IN ('REGULATOR','SUPPLY_FAILURE','SUPERVISION')), CONSTRAINT "CHK_038a716869a139a1df472f3a7c" CHECK (behaviour IN ('KICKBACK','TAX_VIOLATION','MONOPOLY','UNFAIR_PRICE','DISTURBING_PROCUREMENT_ORDER','BREACH_OF_CONTRACT','BREACH_OF_SUPPLY')), CONSTRAINT "CHK_b3a546e23d5bd5c180b5e465a2" CHECK (amount_fen IS NULL OR amount_fen >= 0), CONSTRAINT "PK_a54c927e33ad4ce38b5d258f68b" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_43d07781066aa4de2e3fe48aa7" ON "credit_event"  ("organisation_id") `);
    await queryRunner.query(`CREATE TABLE "credit_policy_adoption" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "version" text NOT NULL, "effective_from" TIMESTAMP WITH TIME ZONE NOT NULL, "adopted_by" uuid, CONSTRAINT "PK_98d1196ce101ac89d16cf6163b4" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_4476390d933829ca21c31d4e77" ON "credit_policy_adoption"  ("effective_from") `);
    await queryRunner.query(`CREATE TABLE "credit_rating" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organisation_id" uuid NOT NULL, "seq" BIGSERIAL NOT NULL, "level" text NOT NULL, "policy_version" text NOT NULL, "rated_at" TIMESTAMP WITH TIME ZONE NOT NULL, "sanctions" jsonb NOT NULL, "suspended_product_ids" uuid array NOT NULL DEFAULT '{}', "deciding_event_ids" uuid array NOT NULL DEFAULT '{}', "reason" text NOT NULL, "current" boolean NOT NULL, CONSTRAINT "CHK_64069a5f67a66fdcdd3a181a20" CHECK (level IN ('NONE','GENERAL','MEDIUM','SERIOUS','PARTICULARLY_SERIOUS')), CONSTRAINT "PK_83b3587c864da6dd1b205f99c9e" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_e13677988bca16135046d8c5da" ON "credit_rating"  ("organisation_id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_credit_rating_current" ON "credit_rating"  ("organisation_id") WHERE current`);
    await queryRunner.query(`CREATE TABLE "credit_repair" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organisation_id" uuid NOT NULL, "rating_id" uuid NOT NULL, "measures" text array NOT NULL, "statement" text NOT NULL, "state" text NOT NULL, "filed_by" uuid NOT NULL, "filed_at" TIMESTAMP WITH TIME ZONE NOT NULL, "decided_by" uuid, "decided_at" TIMESTAMP WITH TIME ZONE, "decision_note" text, CONSTRAINT "CHK_a489806b9d7273ea31b5309e1f" CHECK (state IN ('FILED','APPROVED','REJECTED')), CONSTRAINT "PK_aadce4b99881bd0e524098ccb47" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_9a0512a1034b95133268eadba5" ON "credit_repair"  ("organisation_id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_credit_repair_open" ON "credit_repair"  ("organisation_id") WHERE state = 'FILED'`);
    await queryRunner.query(`CREATE TABLE "commitment_letter" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organisation_id" uuid NOT NULL, "document_ref" text NOT NULL, "signed_on" date NOT NULL, "filed_by" uuid NOT NULL, "filed_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_7c9d59d907b5fd63ddb141762cf" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_1dad46442f43a0950345d28e47" ON "commitment_letter"  ("organisation_id") `);
    // Published read model (docs/context-contracts.md): the current rating of each rated organisation.
    await queryRunner.query(`CREATE VIEW v_credit_rating AS
      SELECT organisation_id, level, policy_version, rated_at,
             (sanctions->>'riskNotice')::boolean AS risk_notice,
             (sanctions->>'suspendAllProducts')::boolean AS suspend_all_products,
             suspended_product_ids
        FROM credit_rating WHERE current`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP VIEW v_credit_rating`);
    await queryRunner.query(`DROP INDEX "public"."IDX_1dad46442f43a0950345d28e47"`);
    await queryRunner.query(`DROP TABLE "commitment_letter"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_credit_repair_open"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_9a0512a1034b95133268eadba5"`);
    await queryRunner.query(`DROP TABLE "credit_repair"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_credit_rating_current"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_e13677988bca16135046d8c5da"`);
    await queryRunner.query(`DROP TABLE "credit_rating"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_4476390d933829ca21c31d4e77"`);
    await queryRunner.query(`DROP TABLE "credit_policy_adoption"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_43d07781066aa4de2e3fe48aa7"`);
    await queryRunner.query(`DROP TABLE "credit_event"`);
  }
}
