import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Credit with due process (issue 17, item 5): a credit event is a notice to the organisation first
 * (credit_notice), with its replies and appeal (credit_notice_statement); the event counts (status IN_EFFECT)
 * only from the regulator's decision. Events recorded before this migration were in effect already.
 */
export class CreditDueProcess1797300001000 implements MigrationInterface {
  name = 'CreditDueProcess1797300001000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "credit_notice" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organisation_id" uuid NOT NULL, "event_id" uuid NOT NULL, "state" text NOT NULL, "proposed_level" text NOT NULL, "credit_policy_version" text NOT NULL, "process_policy_version" text NOT NULL, "notified_at" TIMESTAMP WITH TIME ZONE NOT NULL, "reply_deadline" TIMESTAMP WITH TIME ZONE NOT NULL, "decision" text, "decided_level" text, "decision_reasons" text, "decided_by" uuid, "decided_at" TIMESTAMP WITH TIME ZONE, "appeal_deadline" TIMESTAMP WITH TIME ZONE, "appealed_at" TIMESTAMP WITH TIME ZONE, "appeal_decision" text, "appeal_level" text, "appeal_reasons" text, "appeal_decided_by" uuid, "appeal_decided_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "UQ_credit_notice_event" UNIQUE ("event_id"), CONSTRAINT "CHK_f4c9b23c3355889e95d9ed606c" CHECK (appeal_decision IS NULL OR appeal_decision IN ('UPHOLD','REDUCE','WITHDRAW')), CONSTRAINT "CHK_316c9e4ac15e482f72b5dc104c" CHECK (decision IS NULL OR decision IN ('UPHOLD','REDUCE','WITHDRAW')), CONSTRAINT "CHK_a4c5f2f9c1cbd19a0cad0936c4" CHECK (state IN ('NOTIFIED','REPLIED','DECIDED','APPEALED','APPEAL_DECIDED')), CONSTRAINT "PK_3e3b35a0fdddab40546a4c1ce4a" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_865b9086cc571404cb0f247c8c" ON "credit_notice"  ("organisation_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_8eb71ef67f3062859c3a7089f5" ON "credit_notice"  ("state", "reply_deadline") `);
    await queryRunner.query(`CREATE TABLE "credit_notice_statement" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "notice_id" uuid NOT NULL, "organisation_id" uuid NOT NULL, "kind" text NOT NULL, "statement" text NOT NULL, "documents" jsonb NOT NULL, "filed_by" uuid NOT NULL, "filed_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "CHK_1b9816561aa9b6ac1456d72cd4" CHECK (kind IN ('REPLY','APPEAL')), CONSTRAINT "PK_9fddc9712bb2b611e6ddb186be7" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_630a4e5517f467d54f854ca523" ON "credit_notice_statement"  ("notice_id") `);
    // events recorded before due process took effect when recorded
    await queryRunner.query(`ALTER TABLE "credit_event" ADD "status" text NOT NULL DEFAULT 'IN_EFFECT'`);
    await queryRunner.query(`ALTER TABLE "credit_event" ALTER COLUMN "status" DROP DEFAULT`);
    await queryRunner.query(`ALTER TABLE "credit_event" ADD "level_cap" text`);
    await queryRunner.query(`ALTER TABLE "credit_event" ADD "points" integer`);
    await queryRunner.query(`ALTER TABLE "credit_event" ADD CONSTRAINT "CHK_3e056aabe141fe62d3202428aa" CHECK (level_cap IS NULL OR level_cap IN ('GENERAL','MEDIUM','SERIOUS','PARTICULARLY_SERIOUS'))`);
    await queryRunner.query(`ALTER TABLE "credit_event" ADD CONSTRAINT "CHK_69b043bb7a6055734fc6d6598d" CHECK (status IN ('PENDING','IN_EFFECT','WITHDRAWN'))`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "credit_event" DROP CONSTRAINT "CHK_69b043bb7a6055734fc6d6598d"`);
    await queryRunner.query(`ALTER TABLE "credit_event" DROP CONSTRAINT "CHK_3e056aabe141fe62d3202428aa"`);
    await queryRunner.query(`ALTER TABLE "credit_event" DROP COLUMN "points"`);
    await queryRunner.query(`ALTER TABLE "credit_event" DROP COLUMN "level_cap"`);
    await queryRunner.query(`ALTER TABLE "credit_event" DROP COLUMN "status"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_630a4e5517f467d54f854ca523"`);
    await queryRunner.query(`DROP TABLE "credit_notice_statement"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_8eb71ef67f3062859c3a7089f5"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_865b9086cc571404cb0f247c8c"`);
    await queryRunner.query(`DROP TABLE "credit_notice"`);
  }
}
