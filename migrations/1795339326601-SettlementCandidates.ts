import { MigrationInterface, QueryRunner } from 'typeorm';

export class SettlementCandidates1795339326601 implements MigrationInterface {
  name = 'SettlementCandidates1795339326601';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "settlement_candidate" ("batch_id" uuid NOT NULL, "line_id" uuid NOT NULL, "kind" text NOT NULL, "hospital_id" uuid NOT NULL, "region_code" character(6) NOT NULL, "manufacturer_id" uuid NOT NULL, "product_id" uuid NOT NULL, "agreement_id" uuid, "unit_price" numeric(18,4) NOT NULL, "quantity" bigint NOT NULL, "accepted_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_1a2dc2a4239c444fe22fe21e361" PRIMARY KEY ("batch_id", "line_id"))`);
    await queryRunner.query(`ALTER TABLE "settlement_batch" ADD "candidates_taken_at" TIMESTAMP WITH TIME ZONE`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "settlement_batch" DROP COLUMN "candidates_taken_at"`);
    await queryRunner.query(`DROP TABLE "settlement_candidate"`);
  }
}
