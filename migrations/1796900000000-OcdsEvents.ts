import { MigrationInterface, QueryRunner } from 'typeorm';

/** v_round_result as PublicRoundResult left it, and the joins it reads. */
const ROUND_RESULT_COLUMNS = `SELECT r.id AS round_id, r.name AS round_name, r.level AS round_level, r.state AS round_state,
             rr.opened_at, rs.code AS rule_set_code, rs.version AS rule_set_version,
             l.id AS lot_id, l.variety_id, l.name AS lot_name, l.reference_unit,
             lo->>'status' AS lot_status, (lo->>'cycleYears')::int AS cycle_years,
             br.bid_id, br.manufacturer_id, br.product_id, br.lot_spec_id, ls.spec,
             br.unit_price, br.status AS bid_status, br.reason AS bid_reason, br.rank,
             br.unit_comparable_price, br.awarded_unit_price,
             COALESCE((SELECT SUM((a->>'agreedQuantity')::bigint) FROM jsonb_array_elements(lo->'allocations') a
                        WHERE a->>'bidId' = br.bid_id::text), 0)::bigint AS agreed_quantity,
             br.commitment,
             r.owner_region_code, r.bid_deadline, r.confirmed_at,
             (lo->>'agreedQuantity')::bigint AS lot_agreed_quantity,
             ls.ceiling_unit_price, ls.comparable_factor`;

const ROUND_RESULT_FROM = `FROM tender_round_result rr
        JOIN tender_round r ON r.id = rr.round_id
        JOIN rule_set_version rs ON rs.id = rr.rule_set_version_id
        JOIN tender_bid_result br ON br.round_id = rr.round_id
        JOIN tender_lot l ON l.id = br.lot_id
        JOIN tender_lot_spec ls ON ls.id = br.lot_spec_id
        CROSS JOIN LATERAL (SELECT x FROM jsonb_array_elements(rr.engine_output->'lots') x WHERE x->>'id' = br.lot_id::text) AS lot_json(lo)`;

/** v_volume_agreement as PreVbpPrice left it. */
const AGREEMENT_COLUMNS = `SELECT a.id AS agreement_id, a.round_id, a.lot_id, a.variety_id, a.hospital_id, a.region_code, a.manufacturer_id,
             a.product_id, a.bid_id, a.agreed_quantity, a.purchased_quantity, a.awarded_unit_price,
             (CASE WHEN b.quantity > 0 AND b.amount_fen * ls.comparable_factor * 100 < (1e18 - 0.5) * b.quantity
                   THEN div(2 * b.amount_fen * ls.comparable_factor * 100 + b.quantity, 2 * b.quantity) / 10000 END)::numeric(18,4) AS pre_vbp_unit_price,
             a.cycle_start, a.cycle_end, a.state,
             a.annual_quantity, a.takes_over_agreement_id`;

const AGREEMENT_FROM = `FROM volume_agreement a
        LEFT JOIN volume_agreement orig ON orig.id = a.takes_over_agreement_id
        LEFT JOIN tender_bid_result br ON br.bid_id = a.bid_id
        LEFT JOIN tender_lot_spec ls ON ls.id = br.lot_spec_id
        LEFT JOIN demand_baseline b ON b.hospital_id = a.hospital_id AND b.variety_id = a.variety_id
              AND b.year = EXTRACT(YEAR FROM (COALESCE(orig.cycle_start, a.cycle_start) AT TIME ZONE 'Asia/Shanghai'))::int - 1`;

/**
 * Publishing one OCDS release per event needs each event's own instant, from the platform's clock (not the
 * rows' database-time created_at): when a round was announced (tender_round.published_at, new; earlier rounds
 * take it from their audited `round.publish` entry), when its publicity started and ended, when an agreement
 * was signed (the round's confirmation; a takeover's at the verification of the supply failure it answers)
 * and when a supply failure ended one. Agreements also publish the strength (spec) and comparable factor of
 * the product they were signed for, so quantities can be published in the unit they count.
 */
export class OcdsEvents1796900000000 implements MigrationInterface {
  name = 'OcdsEvents1796900000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "tender_round" ADD "published_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`UPDATE tender_round r SET published_at = (SELECT MIN(al.at) FROM audit_log al
        WHERE al.entity_type = 'round' AND al.entity_id = r.id::text AND al.action = 'round.publish')
      WHERE r.state <> 'DRAFT'`);
    await queryRunner.query(`CREATE OR REPLACE VIEW v_round_result AS
      ${ROUND_RESULT_COLUMNS},
             r.published_at AS round_published_at, r.demand_deadline, r.cycle_start AS round_cycle_start,
             r.publicity_days, r.publicity_ends_at
        ${ROUND_RESULT_FROM}`);
    await queryRunner.query(`CREATE OR REPLACE VIEW v_volume_agreement AS
      ${AGREEMENT_COLUMNS},
             ls.spec, ls.comparable_factor,
             COALESCE((SELECT f.verified_at FROM supply_failure f WHERE f.agreement_id = orig.id AND f.state = 'VERIFIED'),
                      (SELECT r.confirmed_at FROM tender_round r WHERE r.id = a.round_id)) AS signed_at,
             (SELECT f.verified_at FROM supply_failure f WHERE f.agreement_id = a.id AND f.state = 'VERIFIED') AS terminated_at
        ${AGREEMENT_FROM}`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    // CREATE OR REPLACE cannot drop columns: recreate the views as they were
    await queryRunner.query(`DROP VIEW v_volume_agreement`);
    await queryRunner.query(`CREATE VIEW v_volume_agreement AS ${AGREEMENT_COLUMNS} ${AGREEMENT_FROM}`);
    await queryRunner.query(`DROP VIEW v_round_result`);
    await queryRunner.query(`CREATE VIEW v_round_result AS ${ROUND_RESULT_COLUMNS} ${ROUND_RESULT_FROM}`);
    await queryRunner.query(`ALTER TABLE "tender_round" DROP COLUMN "published_at"`);
  }
}
