import { MigrationInterface, QueryRunner } from 'typeorm';

/** Cost investigations (价格成本调查, issue 17 item 3) and their document requests to manufacturers. */
export class CostInvestigation1797300002000 implements MigrationInterface {
  name = 'CostInvestigation1797300002000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "cost_investigation" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "product_id" uuid, "variety_id" uuid, "manufacturer_ids" uuid array NOT NULL DEFAULT '{}', "state" text NOT NULL, "reason" text NOT NULL, "opened_by" uuid NOT NULL, "opened_at" TIMESTAMP WITH TIME ZONE NOT NULL, "findings" text, "findings_recorded_at" TIMESTAMP WITH TIME ZONE, "outcome" text, "decided_unit_price" numeric(18,4), "conclusion" text, "credit_event_id" uuid, "concluded_by" uuid, "concluded_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "CHK_7724e11b213715b950b6557949" CHECK (product_id IS NOT NULL OR variety_id IS NOT NULL), CONSTRAINT "CHK_b37612f1a837cfcbc9bc7aa229" CHECK (outcome IS NULL OR outcome IN ('PRICE_DECISION','CREDIT_EVENT','NO_ACTION')), CONSTRAINT "CHK_d51ff497d3ad38568571adb6a6" CHECK (state IN ('OPEN','FINDINGS_RECORDED','CONCLUDED')), CONSTRAINT "PK_45d03048cf99bcbffbb918fea7c" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_a9f2bb0a6826ba3d5507b879eb" ON "cost_investigation"  ("state", "opened_at") `);
    await queryRunner.query(`CREATE TABLE "cost_document_request" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "investigation_id" uuid NOT NULL, "manufacturer_id" uuid NOT NULL, "items" text array NOT NULL, "state" text NOT NULL, "deadline" TIMESTAMP WITH TIME ZONE NOT NULL, "requested_at" TIMESTAMP WITH TIME ZONE NOT NULL, "requested_by" uuid NOT NULL, "statement" text, "documents" jsonb NOT NULL DEFAULT '[]', "submitted_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "CHK_fcba30936c3ccac0f20e2747e9" CHECK (state IN ('REQUESTED','SUBMITTED')), CONSTRAINT "PK_08cc863198da0cc00ec22f015e2" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_60738a36d728a57054fa783fad" ON "cost_document_request"  ("investigation_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_f0e65d6a51b73e05f932905207" ON "cost_document_request"  ("manufacturer_id") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_f0e65d6a51b73e05f932905207"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_60738a36d728a57054fa783fad"`);
    await queryRunner.query(`DROP TABLE "cost_document_request"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_a9f2bb0a6826ba3d5507b879eb"`);
    await queryRunner.query(`DROP TABLE "cost_investigation"`);
  }
}
