import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Organisations get a unique public code (src/catalog/organisations/organisation-code.ts): a regulator's is
 * the region code it administers, everyone else's the unified social credit code. Existing rows are filled
 * in by that rule, so the backfill is deterministic; two regulators of one region would stop it (the code
 * must be unique), which the demo and the platform never had.
 */
export class OrganisationCode1796800000001 implements MigrationInterface {
  name = 'OrganisationCode1796800000001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "organisation" ADD "code" text`);
    await queryRunner.query(`UPDATE "organisation" SET "code" = CASE WHEN kind = 'REGULATOR' THEN region_code::text ELSE credit_code::text END`);
    await queryRunner.query(`ALTER TABLE "organisation" ALTER COLUMN "code" SET NOT NULL`);
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_organisation_code" ON "organisation"  ("code") `);
    await queryRunner.query(`ALTER TABLE "organisation" ADD CONSTRAINT "CHK_164515e630c81e47cddd8149ae" CHECK ((kind = 'REGULATOR' AND code = region_code) OR (kind <> 'REGULATOR' AND code = credit_code))`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "organisation" DROP CONSTRAINT "CHK_164515e630c81e47cddd8149ae"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_organisation_code"`);
    await queryRunner.query(`ALTER TABLE "organisation" DROP COLUMN "code"`);
  }
}
