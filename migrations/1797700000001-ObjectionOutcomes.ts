import { MigrationInterface, QueryRunner } from 'typeorm';

/** v_round_result's columns as OcdsEvents left them, every one in order; `BID` and `LOT` say where a bid's and lot's outcome come from. */
const roundResultView = (bid: { status: string; reason: string; rank: string; awarded: string }, revised: boolean) => `CREATE OR REPLACE VIEW v_round_result AS
      SELECT r.id AS round_id, r.name AS round_name, r.level AS round_level, r.state AS round_state,
             rr.opened_at, rs.code AS rule_set_code, rs.version AS rule_set_version,
             l.id AS lot_id, l.variety_id, l.name AS lot_name, l.reference_unit,
             lo->>'status' AS lot_status, (lo->>'cycleYears')::int AS cycle_years,
             br.bid_id, br.manufacturer_id, br.product_id, br.lot_spec_id, ls.spec,
             br.unit_price, ${bid.status} AS bid_status, ${bid.reason} AS bid_reason, ${bid.rank} AS rank,
             br.unit_comparable_price, ${bid.awarded} AS awarded_unit_price,
             COALESCE((SELECT SUM((a->>'agreedQuantity')::bigint) FROM jsonb_array_elements(lo->'allocations') a
                        WHERE a->>'bidId' = br.bid_id::text), 0)::bigint AS agreed_quantity,
             br.commitment,
             r.owner_region_code, r.bid_deadline, r.confirmed_at,
             (lo->>'agreedQuantity')::bigint AS lot_agreed_quantity,
             ls.ceiling_unit_price, ls.comparable_factor,
             r.published_at AS round_published_at, r.demand_deadline, r.cycle_start AS round_cycle_start,
             r.publicity_days, r.publicity_ends_at
        FROM tender_round_result rr
        JOIN tender_round r ON r.id = rr.round_id
        JOIN rule_set_version rs ON rs.id = rr.rule_set_version_id
        JOIN tender_bid_result br ON br.round_id = rr.round_id
        JOIN tender_lot l ON l.id = br.lot_id
        JOIN tender_lot_spec ls ON ls.id = br.lot_spec_id
        ${
          revised
            ? `LEFT JOIN LATERAL (SELECT v.id, v.engine_output FROM tender_result_revision v WHERE v.lot_id = br.lot_id ORDER BY v.revision DESC LIMIT 1) rv ON true
        CROSS JOIN LATERAL (SELECT COALESCE(rv.engine_output, (SELECT x FROM jsonb_array_elements(rr.engine_output->'lots') x WHERE x->>'id' = br.lot_id::text))) AS lot_json(lo)
        LEFT JOIN LATERAL (SELECT y FROM jsonb_array_elements(lo->'bids') y WHERE y->>'id' = br.bid_id::text) AS bid_json(bo) ON true`
            : `CROSS JOIN LATERAL (SELECT x FROM jsonb_array_elements(rr.engine_output->'lots') x WHERE x->>'id' = br.lot_id::text) AS lot_json(lo)`
        }`;

/**
 * 异议成立: a lot's result corrected after an upheld objection is stored as a revision (insert-only, like the
 * opening result); objections record their outcome. v_round_result publishes the result in force: a revised
 * lot's latest revision, every other lot as opened.
 */

export class ObjectionOutcomes1797700000001 implements MigrationInterface {
  name = 'ObjectionOutcomes1797700000001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "tender_result_revision" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "round_id" uuid NOT NULL, "lot_id" uuid NOT NULL, "revision" integer NOT NULL, "objection_id" uuid NOT NULL, "action" text NOT NULL, "bid_id" uuid NOT NULL, "reason" text NOT NULL, "excluded_bid_ids" uuid array NOT NULL, "winners_before" uuid array NOT NULL, "winners_after" uuid array NOT NULL, "affected_manufacturer_ids" uuid array NOT NULL, "affected_hospital_ids" uuid array NOT NULL, "publicity_ends_at" TIMESTAMP WITH TIME ZONE NOT NULL, "previous_publicity_ends_at" TIMESTAMP WITH TIME ZONE, "engine_input" jsonb NOT NULL, "engine_output" jsonb NOT NULL, "result_digest_before" character(64) NOT NULL, "result_digest_after" character(64) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "created_by_user_id" uuid, CONSTRAINT "UQ_96e75e7d7da644ccfba48640085" UNIQUE ("lot_id", "revision"), CONSTRAINT "CHK_2923d331cb9cf4193c92893012" CHECK (action IN ('EXCLUDE_BID','REINSTATE_BID')), CONSTRAINT "CHK_ae2615d10efa508ae7ec738a51" CHECK (revision >= 1), CONSTRAINT "PK_4c8e277a573b433829310244fee" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_315536feeae2ebfeef7d66e816" ON "tender_result_revision"  ("round_id") `);
    await queryRunner.query(`CREATE TRIGGER tender_result_revision_immutable BEFORE UPDATE OR DELETE ON "tender_result_revision" FOR EACH ROW EXECUTE FUNCTION tender_result_refuse_change()`);
    await queryRunner.query(`ALTER TABLE "tender_objection" ADD "outcome" text`);
    await queryRunner.query(`ALTER TABLE "tender_objection" ADD "revision_id" uuid`);
    // objections answered before outcomes existed were answered with text only
    await queryRunner.query(`UPDATE "tender_objection" SET "outcome" = 'DISMISSED' WHERE "state" = 'ANSWERED'`);
    await queryRunner.query(`ALTER TABLE "tender_objection" ADD CONSTRAINT "CHK_6c5849fda8511a9d0182da7c88" CHECK ((outcome = 'UPHELD') = (revision_id IS NOT NULL))`);
    await queryRunner.query(`ALTER TABLE "tender_objection" ADD CONSTRAINT "CHK_11950358995175a7a3e0282b90" CHECK ((state = 'ANSWERED') = (outcome IS NOT NULL))`);
    await queryRunner.query(`ALTER TABLE "tender_objection" ADD CONSTRAINT "CHK_c5dadd4bc8b0e7a1534d8c6c82" CHECK (outcome IN ('DISMISSED','UPHELD'))`);
    await queryRunner.query(
      roundResultView(
        {
          status: `CASE WHEN rv.id IS NULL THEN br.status ELSE bo->>'status' END`,
          reason: `CASE WHEN rv.id IS NULL THEN br.reason ELSE bo->>'reason' END`,
          rank: `(CASE WHEN rv.id IS NULL THEN br.rank ELSE (bo->>'rank')::int END)::int`,
          awarded: `(CASE WHEN rv.id IS NULL THEN br.awarded_unit_price ELSE (bo->>'awardedUnitPrice')::numeric END)::numeric(18,4)`,
        },
        true,
      ),
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(roundResultView({ status: 'br.status', reason: 'br.reason', rank: 'br.rank', awarded: 'br.awarded_unit_price' }, false));
    await queryRunner.query(`DROP TRIGGER tender_result_revision_immutable ON "tender_result_revision"`);
    await queryRunner.query(`ALTER TABLE "tender_objection" DROP CONSTRAINT "CHK_c5dadd4bc8b0e7a1534d8c6c82"`);
    await queryRunner.query(`ALTER TABLE "tender_objection" DROP CONSTRAINT "CHK_11950358995175a7a3e0282b90"`);
    await queryRunner.query(`ALTER TABLE "tender_objection" DROP CONSTRAINT "CHK_6c5849fda8511a9d0182da7c88"`);
    await queryRunner.query(`ALTER TABLE "tender_objection" DROP COLUMN "revision_id"`);
    await queryRunner.query(`ALTER TABLE "tender_objection" DROP COLUMN "outcome"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_315536feeae2ebfeef7d66e816"`);
    await queryRunner.query(`DROP TABLE "tender_result_revision"`);
  }
}
