import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Login throttling per (source, username) replaces the per-account lockout columns; refresh tokens get a
 * family (the login they descend from) and a revocation instant.
 */
export class LoginThrottleTokenFamilies1796400000000 implements MigrationInterface {
  name = 'LoginThrottleTokenFamilies1796400000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "app_user" DROP CONSTRAINT "CHK_02fccd472bae897e2ce636a1e5"`);
    await queryRunner.query(`CREATE TABLE "login_throttle" ("key_hash" character(64) NOT NULL, "failures" integer NOT NULL, "last_failed_at" TIMESTAMP WITH TIME ZONE NOT NULL, "locked_until" TIMESTAMP WITH TIME ZONE, CONSTRAINT "CHK_c22248a6f48f7d2ca48ffa0019" CHECK (failures >= 0), CONSTRAINT "PK_58297e0a1c374c7c17bd4b74521" PRIMARY KEY ("key_hash"))`);
    await queryRunner.query(`CREATE INDEX "IDX_7633c970ce78a58414bd82b517" ON "login_throttle"  ("last_failed_at") `);
    await queryRunner.query(`ALTER TABLE "app_user" DROP COLUMN "locked_until"`);
    await queryRunner.query(`ALTER TABLE "app_user" DROP COLUMN "failed_logins"`);
    // tokens issued before families existed each start their own family
    await queryRunner.query(`ALTER TABLE "refresh_token" ADD "family_id" uuid`);
    await queryRunner.query(`UPDATE "refresh_token" SET "family_id" = "id"`);
    await queryRunner.query(`ALTER TABLE "refresh_token" ALTER COLUMN "family_id" SET NOT NULL`);
    await queryRunner.query(`ALTER TABLE "refresh_token" ADD "revoked_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`CREATE INDEX "IDX_eb31f2a7917404a46e17f539f1" ON "refresh_token"  ("family_id") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_eb31f2a7917404a46e17f539f1"`);
    await queryRunner.query(`ALTER TABLE "refresh_token" DROP COLUMN "revoked_at"`);
    await queryRunner.query(`ALTER TABLE "refresh_token" DROP COLUMN "family_id"`);
    await queryRunner.query(`ALTER TABLE "app_user" ADD "failed_logins" integer NOT NULL DEFAULT '0'`);
    await queryRunner.query(`ALTER TABLE "app_user" ADD "locked_until" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`DROP INDEX "public"."IDX_7633c970ce78a58414bd82b517"`);
    await queryRunner.query(`DROP TABLE "login_throttle"`);
    await queryRunner.query(`ALTER TABLE "app_user" ADD CONSTRAINT "CHK_02fccd472bae897e2ce636a1e5" CHECK ((failed_logins >= 0))`);
  }
}
