import { MigrationInterface, QueryRunner } from 'typeorm';

export class Initial1795333311479 implements MigrationInterface {
  name = 'Initial1795333311479';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "audit_log" ("seq" bigint NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL, "actor_user_id" uuid, "actor_organisation_id" uuid, "action" text NOT NULL, "entity_type" text NOT NULL, "entity_id" text NOT NULL, "data" jsonb NOT NULL, "prev_hash" character(64) NOT NULL, "hash" character(64) NOT NULL, CONSTRAINT "PK_ce5b9b7d945cab0a6c604bafd9e" PRIMARY KEY ("seq"))`);
    await queryRunner.query(`CREATE INDEX "IDX_951e6339a77994dfbad976b35c" ON "audit_log"  ("action") `);
    await queryRunner.query(`CREATE INDEX "IDX_43fef0ec7f613c19c612fffe62" ON "audit_log"  ("entity_type", "entity_id") `);
    await queryRunner.query(`CREATE TABLE "idempotency_record" ("organisation_id" uuid NOT NULL, "operation" text NOT NULL, "key" text NOT NULL, "request_hash" character(64) NOT NULL, "result" jsonb NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_66f6c3727e0f53fee8fd2bdb610" PRIMARY KEY ("organisation_id", "operation", "key"))`);
    await queryRunner.query(`CREATE TABLE "region" ("code" character(6) NOT NULL, "name" text NOT NULL, "parent_code" character(6), "level" text NOT NULL, "path" text NOT NULL, CONSTRAINT "PK_74f7723fdff738f92929c0056cb" PRIMARY KEY ("code"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_fe5ebce493b47061fe693b660a" ON "region"  ("path") `);
    await queryRunner.query(`CREATE TABLE "organisation" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "credit_code" character(18) NOT NULL, "name" text NOT NULL, "kind" text NOT NULL, "region_code" character(6) NOT NULL, "hospital_level" text, "external_key" text, "active" boolean NOT NULL DEFAULT true, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CHK_75f1d5088cc919fa2bbea816ed" CHECK ((kind = 'HOSPITAL') = (hospital_level IS NOT NULL)), CONSTRAINT "CHK_6d17c25d2356c7ca3e3b109434" CHECK (kind IN ('PLATFORM','REGULATOR','HOSPITAL','MANUFACTURER','DISTRIBUTOR','SETTLEMENT_OFFICE')), CONSTRAINT "PK_c725ae234ef1b74cce43d2d00c1" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_9554e79c2939d1df85a68d5f88" ON "organisation"  ("credit_code") `);
    await queryRunner.query(`CREATE INDEX "IDX_497921db8c90b627fe66c106a4" ON "organisation"  ("kind") `);
    await queryRunner.query(`CREATE INDEX "IDX_5283ba6ce1add8976fe6dc41e1" ON "organisation"  ("region_code") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_90e7ba8d75c51d5b81390eaaff" ON "organisation"  ("external_key") WHERE external_key IS NOT NULL`);
    await queryRunner.query(`CREATE TABLE "app_user" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "username" text NOT NULL, "display_name" text NOT NULL, "password_hash" text NOT NULL, "role" text NOT NULL, "organisation_id" uuid NOT NULL, "failed_logins" integer NOT NULL DEFAULT '0', "locked_until" TIMESTAMP WITH TIME ZONE, "active" boolean NOT NULL DEFAULT true, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CHK_02fccd472bae897e2ce636a1e5" CHECK (failed_logins >= 0), CONSTRAINT "CHK_bd37dc59d04bb354d2a9e62014" CHECK (role IN ('PLATFORM_ADMIN','REGULATOR','HOSPITAL','MANUFACTURER','DISTRIBUTOR','SETTLEMENT_OFFICE')), CONSTRAINT "PK_22a5c4a3d9b2fb8e4e73fc4ada1" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_c480e576dd71729addbc2d51b6" ON "app_user"  ("username") `);
    await queryRunner.query(`CREATE INDEX "IDX_6fa42e978fa7d7adc32736e26f" ON "app_user"  ("organisation_id") `);
    await queryRunner.query(`CREATE TABLE "refresh_token" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "user_id" uuid NOT NULL, "token_hash" character(64) NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "used_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_b575dd3c21fb0831013c909e7fe" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_6bbe63d2fe75e7f0ba1710351d" ON "refresh_token"  ("user_id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_f0812282fad2e352cdaf83ef0a" ON "refresh_token"  ("token_hash") `);
    await queryRunner.query(`CREATE TABLE "variety" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "code" text NOT NULL, "kind" text NOT NULL, "name" text NOT NULL, "dosage_form" text, "reference_unit" text NOT NULL, "high_value" boolean NOT NULL DEFAULT false, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CHK_4652de36a59a773ff63142ec85" CHECK (kind IN ('DRUG','CONSUMABLE')), CONSTRAINT "PK_f9f4b8e2caeaf27c0dbb5592db5" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_5751c6af6054d656be94f50116" ON "variety"  ("code") `);
    await queryRunner.query(`CREATE TABLE "variety_spec" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "variety_id" uuid NOT NULL, "spec" text NOT NULL, "comparable_factor" numeric(18,6) NOT NULL, CONSTRAINT "UQ_617c302872c58c49772edd317ae" UNIQUE ("variety_id", "spec"), CONSTRAINT "CHK_c3793ca0b2647070844ddcec96" CHECK (comparable_factor > 0), CONSTRAINT "PK_d34e9f28b2d2d6a7b649e90e1df" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_6bcb0e2a076d373da2945fb5c0" ON "variety_spec"  ("variety_id") `);
    await queryRunner.query(`CREATE TABLE "product" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "kind" text NOT NULL, "manufacturer_id" uuid NOT NULL, "variety_id" uuid, "variety_spec_id" uuid, "name" text NOT NULL, "spec" text NOT NULL, "dosage_form" text, "units_per_pack" integer, "approval_number" text, "consistency_status" text, "category" text, "registration_number" text, "udi_di" text, "insurance_code" text, "certificate_expires_on" date, "external_key" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CHK_88ffd8a235ffffc0501c04b1d0" CHECK (units_per_pack IS NULL OR units_per_pack > 0), CONSTRAINT "CHK_c59b5b408d430a3d7ea7c31b5d" CHECK (kind <> 'CONSUMABLE' OR (registration_number IS NOT NULL AND category IS NOT NULL)), CONSTRAINT "CHK_04da557d0054e87c5c5ae4c215" CHECK (kind <> 'DRUG' OR (approval_number IS NOT NULL AND dosage_form IS NOT NULL AND consistency_status IS NOT NULL)), CONSTRAINT "CHK_106238f9345f9d6f3aeb724557" CHECK (kind IN ('DRUG','CONSUMABLE')), CONSTRAINT "PK_bebc9158e480b949565b4dc7a82" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_e694a056cfdd66f7dc01daedc2" ON "product"  ("manufacturer_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_a8e6fc70cc7e7093a20cfef889" ON "product"  ("variety_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_22cc43e9a74d7498546e9a63e7" ON "product"  ("name") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_636b1278a0747b43bb96247c7d" ON "product"  ("approval_number") WHERE approval_number IS NOT NULL`);
    await queryRunner.query(`CREATE INDEX "IDX_cd8bc3e18f5b035a93ec4422f5" ON "product"  ("insurance_code") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_34539f5f945edd026a8fd317ca" ON "product"  ("external_key") WHERE external_key IS NOT NULL`);
    await queryRunner.query(`ALTER TABLE "region" ADD CONSTRAINT "FK_73a16baaad741cbb01fa629e95a" FOREIGN KEY ("parent_code") REFERENCES "region"("code") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "organisation" ADD CONSTRAINT "FK_5283ba6ce1add8976fe6dc41e1d" FOREIGN KEY ("region_code") REFERENCES "region"("code") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "app_user" ADD CONSTRAINT "FK_6fa42e978fa7d7adc32736e26fd" FOREIGN KEY ("organisation_id") REFERENCES "organisation"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "refresh_token" ADD CONSTRAINT "FK_6bbe63d2fe75e7f0ba1710351d4" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "variety_spec" ADD CONSTRAINT "FK_6bcb0e2a076d373da2945fb5c00" FOREIGN KEY ("variety_id") REFERENCES "variety"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "product" ADD CONSTRAINT "FK_e694a056cfdd66f7dc01daedc2b" FOREIGN KEY ("manufacturer_id") REFERENCES "organisation"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "product" ADD CONSTRAINT "FK_a8e6fc70cc7e7093a20cfef889b" FOREIGN KEY ("variety_id") REFERENCES "variety"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "product" ADD CONSTRAINT "FK_7a3c20a6dc535ea10e323e690d1" FOREIGN KEY ("variety_spec_id") REFERENCES "variety_spec"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);

    // The audit log is append-only: a trigger refuses every UPDATE, DELETE and TRUNCATE.
    await queryRunner.query(`CREATE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await queryRunner.query(`CREATE TRIGGER audit_log_no_update_delete BEFORE UPDATE OR DELETE ON "audit_log" FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change()`);
    await queryRunner.query(`CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON "audit_log" FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change()`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER audit_log_no_truncate ON "audit_log"`);
    await queryRunner.query(`DROP TRIGGER audit_log_no_update_delete ON "audit_log"`);
    await queryRunner.query(`DROP FUNCTION audit_log_refuse_change()`);
    await queryRunner.query(`ALTER TABLE "product" DROP CONSTRAINT "FK_7a3c20a6dc535ea10e323e690d1"`);
    await queryRunner.query(`ALTER TABLE "product" DROP CONSTRAINT "FK_a8e6fc70cc7e7093a20cfef889b"`);
    await queryRunner.query(`ALTER TABLE "product" DROP CONSTRAINT "FK_e694a056cfdd66f7dc01daedc2b"`);
    await queryRunner.query(`ALTER TABLE "variety_spec" DROP CONSTRAINT "FK_6bcb0e2a076d373da2945fb5c00"`);
    await queryRunner.query(`ALTER TABLE "refresh_token" DROP CONSTRAINT "FK_6bbe63d2fe75e7f0ba1710351d4"`);
    await queryRunner.query(`ALTER TABLE "app_user" DROP CONSTRAINT "FK_6fa42e978fa7d7adc32736e26fd"`);
    await queryRunner.query(`ALTER TABLE "organisation" DROP CONSTRAINT "FK_5283ba6ce1add8976fe6dc41e1d"`);
    await queryRunner.query(`ALTER TABLE "region" DROP CONSTRAINT "FK_73a16baaad741cbb01fa629e95a"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_34539f5f945edd026a8fd317ca"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_cd8bc3e18f5b035a93ec4422f5"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_636b1278a0747b43bb96247c7d"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_22cc43e9a74d7498546e9a63e7"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_a8e6fc70cc7e7093a20cfef889"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_e694a056cfdd66f7dc01daedc2"`);
    await queryRunner.query(`DROP TABLE "product"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_6bcb0e2a076d373da2945fb5c0"`);
    await queryRunner.query(`DROP TABLE "variety_spec"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_5751c6af6054d656be94f50116"`);
    await queryRunner.query(`DROP TABLE "variety"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_f0812282fad2e352cdaf83ef0a"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_6bbe63d2fe75e7f0ba1710351d"`);
    await queryRunner.query(`DROP TABLE "refresh_token"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_6fa42e978fa7d7adc32736e26f"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_c480e576dd71729addbc2d51b6"`);
    await queryRunner.query(`DROP TABLE "app_user"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_90e7ba8d75c51d5b81390eaaff"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_5283ba6ce1add8976fe6dc41e1"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_497921db8c90b627fe66c106a4"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_9554e79c2939d1df85a68d5f88"`);
    await queryRunner.query(`DROP TABLE "organisation"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_fe5ebce493b47061fe693b660a"`);
    await queryRunner.query(`DROP TABLE "region"`);
    await queryRunner.query(`DROP TABLE "idempotency_record"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_43fef0ec7f613c19c612fffe62"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_951e6339a77994dfbad976b35c"`);
    await queryRunner.query(`DROP TABLE "audit_log"`);
  }
}
