import { MigrationInterface, QueryRunner } from 'typeorm';

export class Tendering1795335075432 implements MigrationInterface {
  name = 'Tendering1795335075432';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "rule_set_version" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "code" text NOT NULL, "version" integer NOT NULL, "rule_set" jsonb NOT NULL, "description" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_4f8ba0154e45a697866016c2f4e" UNIQUE ("code", "version"), CONSTRAINT "CHK_b49fc70f78d04bee29d594be65" CHECK (version >= 1), CONSTRAINT "PK_74fdfac0dbb28a127636a028f7f" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE TABLE "tender_round" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" text NOT NULL, "level" text NOT NULL, "state" text NOT NULL DEFAULT 'DRAFT', "owner_region_code" character(6) NOT NULL, "owner_region_path" text NOT NULL, "covered_region_codes" text array NOT NULL, "covered_region_paths" text array NOT NULL, "rule_set_version_id" uuid NOT NULL, "demand_deadline" TIMESTAMP WITH TIME ZONE NOT NULL, "bid_deadline" TIMESTAMP WITH TIME ZONE NOT NULL, "cycle_start" TIMESTAMP WITH TIME ZONE NOT NULL, "cycle_end" TIMESTAMP WITH TIME ZONE, "publicity_days" integer NOT NULL, "publicity_ends_at" TIMESTAMP WITH TIME ZONE, "policy_version" integer NOT NULL, "previous_round_id" uuid, "cancel_reason" text, "opened_at" TIMESTAMP WITH TIME ZONE, "confirmed_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CHK_e651522edeb147e69e8b96c961" CHECK (publicity_days >= 1), CONSTRAINT "CHK_9cbdcedc6109904f76365f2495" CHECK (demand_deadline < bid_deadline AND bid_deadline < cycle_start), CONSTRAINT "CHK_8df1f7823d86d4489f955b9eba" CHECK (state IN ('DRAFT','DEMAND_REPORTING','BIDDING','OPENED','PUBLICIZED','CONFIRMED','IN_EFFECT','EXPIRED','CANCELLED')), CONSTRAINT "CHK_d5c03761b960f567377957d8f2" CHECK (level IN ('NATIONAL','ALLIANCE','PROVINCIAL','MUNICIPAL','HOSPITAL_GROUP')), CONSTRAINT "PK_fa71db3bc8cfa3bc5153423450b" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_13d7d0890648c2ba35953d79e1" ON "tender_round"  ("state") `);
    await queryRunner.query(`CREATE TABLE "tender_lot" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "round_id" uuid NOT NULL, "seq" integer NOT NULL, "variety_id" uuid NOT NULL, "name" text NOT NULL, "reference_unit" text NOT NULL, CONSTRAINT "UQ_fb7726bebd0611cb12e970a1662" UNIQUE ("round_id", "variety_id"), CONSTRAINT "PK_b4c10e209d4ad0cc25a9b44b9c1" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_c9f45861dc860218075b8820b3" ON "tender_lot"  ("round_id") `);
    await queryRunner.query(`CREATE TABLE "tender_lot_spec" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "lot_id" uuid NOT NULL, "variety_spec_id" uuid NOT NULL, "spec" text NOT NULL, "comparable_factor" numeric(18,6) NOT NULL, "ceiling_unit_price" numeric(18,4) NOT NULL, CONSTRAINT "UQ_d8bd0e1aecb95df3aad03870209" UNIQUE ("lot_id", "variety_spec_id"), CONSTRAINT "CHK_ef2b1b2f9881379086af510beb" CHECK (ceiling_unit_price > 0), CONSTRAINT "CHK_955d6f19c69a70a849fe49e199" CHECK (comparable_factor > 0), CONSTRAINT "PK_071664e26ba93a194a1917e7f9e" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_da3df1248ba99cd2b5b2b4e578" ON "tender_lot_spec"  ("lot_id") `);
    await queryRunner.query(`CREATE TABLE "tender_demand" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "round_id" uuid NOT NULL, "lot_id" uuid NOT NULL, "hospital_id" uuid NOT NULL, "hospital_region_code" character(6) NOT NULL, "supply_region_code" character(6) NOT NULL, "quantity" bigint NOT NULL, "preferred_manufacturer_id" uuid, "reason" text, "baseline_quantity" bigint, "policy_version" integer NOT NULL, "reported_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_72fb9ecef3068479709d4ae493f" UNIQUE ("lot_id", "hospital_id"), CONSTRAINT "CHK_6c616d6216a21a3e44fa16dfb1" CHECK (quantity >= 0), CONSTRAINT "PK_e1ac4166a174362e1dc7eff44dd" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_ca701240c277fc312ac61c3fa0" ON "tender_demand"  ("round_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_5451fec5f575a826aed2bc0c6b" ON "tender_demand"  ("hospital_id") `);
    await queryRunner.query(`CREATE TABLE "demand_baseline" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "hospital_id" uuid NOT NULL, "variety_id" uuid NOT NULL, "year" integer NOT NULL, "quantity" bigint NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_a7c7cca4fe4ad3f95907c4747aa" UNIQUE ("hospital_id", "variety_id", "year"), CONSTRAINT "CHK_f0aefd087fc8df66d24bb0eb7f" CHECK (quantity >= 0), CONSTRAINT "PK_9708bf2cc914492e4515cc2de9d" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE TABLE "tender_bid" ("id" uuid NOT NULL, "round_id" uuid NOT NULL, "lot_id" uuid NOT NULL, "manufacturer_id" uuid NOT NULL, "product_id" uuid NOT NULL, "lot_spec_id" uuid NOT NULL, "supply_capacity" bigint NOT NULL, "region_preferences" text array NOT NULL, "accepts_revival" boolean NOT NULL, "sealed_price" bytea NOT NULL, "seal_iv" bytea NOT NULL, "seal_tag" bytea NOT NULL, "commitment" character(64) NOT NULL, "state" text NOT NULL, "submitted_at" TIMESTAMP WITH TIME ZONE NOT NULL, "withdrawn_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "CHK_e9cccd49376eed66ee1ff51d97" CHECK (supply_capacity > 0), CONSTRAINT "CHK_d2ba6138037d09dbdf9ba8e5c9" CHECK (state IN ('ACTIVE','WITHDRAWN')), CONSTRAINT "PK_359024485b9d8b30ea24862a35c" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_f08095efbd1c0ce5478daf7076" ON "tender_bid"  ("round_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_9db3885fb49a0fb4ebc6161938" ON "tender_bid"  ("manufacturer_id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_tender_bid_active_per_lot" ON "tender_bid"  ("lot_id", "manufacturer_id") WHERE state = 'ACTIVE'`);
    await queryRunner.query(`CREATE TABLE "tender_round_result" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "round_id" uuid NOT NULL, "rule_set_version_id" uuid NOT NULL, "engine_input" jsonb NOT NULL, "engine_output" jsonb NOT NULL, "opened_at" TIMESTAMP WITH TIME ZONE NOT NULL, "opened_by_user_id" uuid, CONSTRAINT "PK_bd60ade3e53fe121422928c0a89" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_46841bb77e4859127e786955d7" ON "tender_round_result"  ("round_id") `);
    await queryRunner.query(`CREATE TABLE "tender_bid_result" ("bid_id" uuid NOT NULL, "round_id" uuid NOT NULL, "lot_id" uuid NOT NULL, "manufacturer_id" uuid NOT NULL, "product_id" uuid NOT NULL, "lot_spec_id" uuid NOT NULL, "unit_price" numeric(18,4) NOT NULL, "status" text NOT NULL, "reason" text, "rank" integer, "unit_comparable_price" numeric(24,6) NOT NULL, "awarded_unit_price" numeric(18,4), "commitment" character(64) NOT NULL, "salt" text NOT NULL, CONSTRAINT "PK_bec84d07da12b15dea918b0a07a" PRIMARY KEY ("bid_id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_a2de9dafe240cb96b0ed3b7991" ON "tender_bid_result"  ("round_id") `);
    await queryRunner.query(`CREATE TABLE "tender_objection" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "round_id" uuid NOT NULL, "lot_id" uuid, "manufacturer_id" uuid NOT NULL, "text" text NOT NULL, "state" text NOT NULL, "answer" text, "answered_at" TIMESTAMP WITH TIME ZONE, "answered_by_user_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CHK_b691993b1149f6474524b0e644" CHECK ((state = 'ANSWERED') = (answer IS NOT NULL)), CONSTRAINT "CHK_3f2c9115a09393699e8872ef5a" CHECK (state IN ('OPEN','ANSWERED')), CONSTRAINT "PK_e9c65db5502f30d9c67df5c8e6d" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_588c4f8633a790fe6d5ad7f790" ON "tender_objection"  ("round_id") `);
    await queryRunner.query(`CREATE TABLE "volume_agreement" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "round_id" uuid NOT NULL, "lot_id" uuid NOT NULL, "variety_id" uuid NOT NULL, "hospital_id" uuid NOT NULL, "region_code" character(6) NOT NULL, "manufacturer_id" uuid NOT NULL, "product_id" uuid NOT NULL, "bid_id" uuid NOT NULL, "annual_quantity" bigint NOT NULL, "agreed_quantity" bigint NOT NULL, "purchased_quantity" bigint NOT NULL DEFAULT '0', "awarded_unit_price" numeric(18,4) NOT NULL, "cycle_start" TIMESTAMP WITH TIME ZONE NOT NULL, "cycle_end" TIMESTAMP WITH TIME ZONE NOT NULL, "state" text NOT NULL DEFAULT 'ACTIVE', "backup_bid_id" uuid, "backup_manufacturer_id" uuid, "backup_product_id" uuid, "backup_unit_price" numeric(18,4), "backup_quantity_factor" numeric(24,10), "takes_over_agreement_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CHK_4cfad15bcc34caa18e7c0ef1d0" CHECK (cycle_start < cycle_end), CONSTRAINT "CHK_fc191dae33be8c7e44b79437c5" CHECK (agreed_quantity >= 0 AND annual_quantity >= 0), CONSTRAINT "CHK_f5278105fd3227b0574d68730b" CHECK (purchased_quantity >= 0), CONSTRAINT "CHK_a41932eef15f5bb532c6aabbbb" CHECK (state IN ('ACTIVE','SUPPLY_FAILED')), CONSTRAINT "PK_dbc83c596f197bf3dfcf0e66bfd" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_139146932cbff57d562e97917e" ON "volume_agreement"  ("round_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_32e0528124b73759acadccd48b" ON "volume_agreement"  ("manufacturer_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_760c5cdb5a70f2525b2ed3e0b3" ON "volume_agreement"  ("hospital_id", "product_id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_volume_agreement_takeover" ON "volume_agreement"  ("takes_over_agreement_id") WHERE takes_over_agreement_id IS NOT NULL`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_volume_agreement_original" ON "volume_agreement"  ("round_id", "lot_id", "hospital_id", "bid_id") WHERE takes_over_agreement_id IS NULL`);
    await queryRunner.query(`CREATE TABLE "prepayment_due" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "round_id" uuid NOT NULL, "hospital_id" uuid NOT NULL, "region_code" character(6) NOT NULL, "amount_fen" bigint NOT NULL, "share" text NOT NULL, "policy_version" integer NOT NULL, "due_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "UQ_971f6971dd2ca397238d28474ba" UNIQUE ("round_id", "hospital_id"), CONSTRAINT "CHK_f83589c8d06155f81428d3ede1" CHECK (amount_fen >= 0), CONSTRAINT "PK_41d5bcf6ed38076e169b8b6aff7" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_c2789d43f95c2cfb5ee4fe9850" ON "prepayment_due"  ("hospital_id") `);
    await queryRunner.query(`CREATE TABLE "supply_failure" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "agreement_id" uuid NOT NULL, "hospital_id" uuid NOT NULL, "region_code" character(6) NOT NULL, "description" text NOT NULL, "state" text NOT NULL, "reported_at" TIMESTAMP WITH TIME ZONE NOT NULL, "verified_at" TIMESTAMP WITH TIME ZONE, "verified_by_user_id" uuid, "takeover_agreement_id" uuid, "credit_event_id" uuid, CONSTRAINT "CHK_1e4287a5c33395133690f2943c" CHECK (state IN ('REPORTED','VERIFIED')), CONSTRAINT "PK_c5aa4c794e3c2b12364bff20f05" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_supply_failure_one_per_agreement" ON "supply_failure"  ("agreement_id") `);
    await queryRunner.query(`ALTER TABLE "tender_round" ADD CONSTRAINT "FK_1d3a6774fa263d9a7ec7f966057" FOREIGN KEY ("rule_set_version_id") REFERENCES "rule_set_version"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "tender_lot" ADD CONSTRAINT "FK_c9f45861dc860218075b8820b37" FOREIGN KEY ("round_id") REFERENCES "tender_round"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "tender_lot" ADD CONSTRAINT "FK_264dc4fed00e036114d7ce246ea" FOREIGN KEY ("variety_id") REFERENCES "variety"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "tender_lot_spec" ADD CONSTRAINT "FK_da3df1248ba99cd2b5b2b4e5785" FOREIGN KEY ("lot_id") REFERENCES "tender_lot"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "tender_lot_spec" ADD CONSTRAINT "FK_3d6051e4680e24cfab88bc5ea94" FOREIGN KEY ("variety_spec_id") REFERENCES "variety_spec"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    // Hand-written: what TypeORM does not model.
    // An opening's result is immutable: no UPDATE or DELETE of the stored result or its per-bid rows.
    await queryRunner.query(`CREATE FUNCTION tender_result_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'an opened round''s result is immutable (%)', TG_TABLE_NAME USING ERRCODE = 'check_violation'; END $$`);
    await queryRunner.query(`CREATE TRIGGER tender_round_result_immutable BEFORE UPDATE OR DELETE ON "tender_round_result" FOR EACH ROW EXECUTE FUNCTION tender_result_refuse_change()`);
    await queryRunner.query(`CREATE TRIGGER tender_bid_result_immutable BEFORE UPDATE OR DELETE ON "tender_bid_result" FOR EACH ROW EXECUTE FUNCTION tender_result_refuse_change()`);
    // Published read models (docs/context-contracts.md).
    await queryRunner.query(`CREATE VIEW v_volume_agreement AS
      SELECT a.id AS agreement_id, a.round_id, a.lot_id, a.variety_id, a.hospital_id, a.region_code, a.manufacturer_id,
             a.product_id, a.bid_id, a.agreed_quantity, a.purchased_quantity, a.awarded_unit_price,
             NULL::numeric(18,4) AS pre_vbp_unit_price, a.cycle_start, a.cycle_end, a.state,
             a.annual_quantity, a.takes_over_agreement_id
        FROM volume_agreement a`);
    await queryRunner.query(`CREATE VIEW v_prepayment_due AS
      SELECT p.id AS prepayment_due_id, p.round_id, p.hospital_id, p.region_code, p.amount_fen, p.due_at, p.share, p.policy_version
        FROM prepayment_due p`);
    await queryRunner.query(`CREATE VIEW v_round_result AS
      SELECT r.id AS round_id, r.name AS round_name, r.level AS round_level, r.state AS round_state,
             rr.opened_at, rs.code AS rule_set_code, rs.version AS rule_set_version,
             l.id AS lot_id, l.variety_id, l.name AS lot_name, l.reference_unit,
             lo->>'status' AS lot_status, (lo->>'cycleYears')::int AS cycle_years,
             br.bid_id, br.manufacturer_id, br.product_id, br.lot_spec_id, ls.spec,
             br.unit_price, br.status AS bid_status, br.reason AS bid_reason, br.rank,
             br.unit_comparable_price, br.awarded_unit_price,
             COALESCE((SELECT SUM((a->>'agreedQuantity')::bigint) FROM jsonb_array_elements(lo->'allocations') a
                        WHERE a->>'bidId' = br.bid_id::text), 0)::bigint AS agreed_quantity,
             br.commitment
        FROM tender_round_result rr
        JOIN tender_round r ON r.id = rr.round_id
        JOIN rule_set_version rs ON rs.id = rr.rule_set_version_id
        JOIN tender_bid_result br ON br.round_id = rr.round_id
        JOIN tender_lot l ON l.id = br.lot_id
        JOIN tender_lot_spec ls ON ls.id = br.lot_spec_id
        CROSS JOIN LATERAL (SELECT x FROM jsonb_array_elements(rr.engine_output->'lots') x WHERE x->>'id' = br.lot_id::text) AS lot_json(lo)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP VIEW v_round_result`);
    await queryRunner.query(`DROP VIEW v_prepayment_due`);
    await queryRunner.query(`DROP VIEW v_volume_agreement`);
    await queryRunner.query(`DROP TRIGGER tender_bid_result_immutable ON "tender_bid_result"`);
    await queryRunner.query(`DROP TRIGGER tender_round_result_immutable ON "tender_round_result"`);
    await queryRunner.query(`DROP FUNCTION tender_result_refuse_change()`);
    await queryRunner.query(`ALTER TABLE "tender_lot_spec" DROP CONSTRAINT "FK_3d6051e4680e24cfab88bc5ea94"`);
    await queryRunner.query(`ALTER TABLE "tender_lot_spec" DROP CONSTRAINT "FK_da3df1248ba99cd2b5b2b4e5785"`);
    await queryRunner.query(`ALTER TABLE "tender_lot" DROP CONSTRAINT "FK_264dc4fed00e036114d7ce246ea"`);
    await queryRunner.query(`ALTER TABLE "tender_lot" DROP CONSTRAINT "FK_c9f45861dc860218075b8820b37"`);
    await queryRunner.query(`ALTER TABLE "tender_round" DROP CONSTRAINT "FK_1d3a6774fa263d9a7ec7f966057"`);
    await queryRunner.query(`DROP INDEX "public"."uq_supply_failure_one_per_agreement"`);
    await queryRunner.query(`DROP TABLE "supply_failure"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_c2789d43f95c2cfb5ee4fe9850"`);
    await queryRunner.query(`DROP TABLE "prepayment_due"`);
    await queryRunner.query(`DROP INDEX "public"."uq_volume_agreement_original"`);
    await queryRunner.query(`DROP INDEX "public"."uq_volume_agreement_takeover"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_760c5cdb5a70f2525b2ed3e0b3"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_32e0528124b73759acadccd48b"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_139146932cbff57d562e97917e"`);
    await queryRunner.query(`DROP TABLE "volume_agreement"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_588c4f8633a790fe6d5ad7f790"`);
    await queryRunner.query(`DROP TABLE "tender_objection"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_a2de9dafe240cb96b0ed3b7991"`);
    await queryRunner.query(`DROP TABLE "tender_bid_result"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_46841bb77e4859127e786955d7"`);
    await queryRunner.query(`DROP TABLE "tender_round_result"`);
    await queryRunner.query(`DROP INDEX "public"."uq_tender_bid_active_per_lot"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_9db3885fb49a0fb4ebc6161938"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_f08095efbd1c0ce5478daf7076"`);
    await queryRunner.query(`DROP TABLE "tender_bid"`);
    await queryRunner.query(`DROP TABLE "demand_baseline"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_5451fec5f575a826aed2bc0c6b"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_ca701240c277fc312ac61c3fa0"`);
    await queryRunner.query(`DROP TABLE "tender_demand"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_da3df1248ba99cd2b5b2b4e578"`);
    await queryRunner.query(`DROP TABLE "tender_lot_spec"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_c9f45861dc860218075b8820b3"`);
    await queryRunner.query(`DROP TABLE "tender_lot"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_13d7d0890648c2ba35953d79e1"`);
    await queryRunner.query(`DROP TABLE "tender_round"`);
    await queryRunner.query(`DROP TABLE "rule_set_version"`);
  }
}
