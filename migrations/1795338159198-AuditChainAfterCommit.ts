import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit chain is extended after commit instead of inside every mutation: entries get their sequence
 * number from a sequence with no lock, and the chainer sets chain_pos, prev_hash and hash once. Existing
 * entries keep their hashes: their chain position is their sequence number.
 */
export class AuditChainAfterCommit1795338159198 implements MigrationInterface {
  name = 'AuditChainAfterCommit1795338159198';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE SEQUENCE "audit_log_seq_seq" OWNED BY "audit_log"."seq"`);
    await queryRunner.query(`SELECT setval('audit_log_seq_seq', COALESCE((SELECT max(seq) FROM audit_log), 0) + 1, false)`);
    await queryRunner.query(`ALTER TABLE "audit_log" ALTER COLUMN "seq" SET DEFAULT nextval('"audit_log_seq_seq"')`);
    await queryRunner.query(`ALTER TABLE "audit_log" ADD "chain_pos" bigint`);
    await queryRunner.query(`ALTER TABLE "audit_log" DISABLE TRIGGER audit_log_no_update_delete`);
    await queryRunner.query(`UPDATE "audit_log" SET "chain_pos" = "seq"`);
    await queryRunner.query(`ALTER TABLE "audit_log" ENABLE TRIGGER audit_log_no_update_delete`);
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_audit_log_chain_pos" ON "audit_log" ("chain_pos")`);
    await queryRunner.query(`ALTER TABLE "audit_log" ALTER COLUMN "prev_hash" DROP NOT NULL`);
    await queryRunner.query(`ALTER TABLE "audit_log" ALTER COLUMN "hash" DROP NOT NULL`);
    // append-only, but for the one-time chaining of an unchained entry (nothing else may change)
    await queryRunner.query(`CREATE OR REPLACE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'UPDATE' AND OLD.hash IS NULL AND OLD.chain_pos IS NULL AND NEW.hash IS NOT NULL AND NEW.chain_pos IS NOT NULL
           AND NEW.seq = OLD.seq AND NEW.at = OLD.at AND NEW.action = OLD.action AND NEW.entity_type = OLD.entity_type
           AND NEW.entity_id = OLD.entity_id AND NEW.data = OLD.data
           AND NEW.actor_user_id IS NOT DISTINCT FROM OLD.actor_user_id
           AND NEW.actor_organisation_id IS NOT DISTINCT FROM OLD.actor_organisation_id THEN
          RETURN NEW;
        END IF;
        RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE OR REPLACE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await queryRunner.query(`DROP INDEX "public"."IDX_audit_log_chain_pos"`);
    await queryRunner.query(`ALTER TABLE "audit_log" DROP COLUMN "chain_pos"`);
    await queryRunner.query(`ALTER TABLE "audit_log" ALTER COLUMN "seq" DROP DEFAULT`);
    await queryRunner.query(`DROP SEQUENCE "audit_log_seq_seq"`);
    await queryRunner.query(`ALTER TABLE "audit_log" DISABLE TRIGGER audit_log_no_update_delete`);
    await queryRunner.query(`UPDATE "audit_log" SET "prev_hash" = repeat('0', 64) WHERE "prev_hash" IS NULL`);
    await queryRunner.query(`UPDATE "audit_log" SET "hash" = repeat('0', 64) WHERE "hash" IS NULL`);
    await queryRunner.query(`ALTER TABLE "audit_log" ENABLE TRIGGER audit_log_no_update_delete`);
    await queryRunner.query(`ALTER TABLE "audit_log" ALTER COLUMN "prev_hash" SET NOT NULL`);
    await queryRunner.query(`ALTER TABLE "audit_log" ALTER COLUMN "hash" SET NOT NULL`);
  }
}
