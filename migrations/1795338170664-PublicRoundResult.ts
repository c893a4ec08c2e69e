import { MigrationInterface, QueryRunner } from 'typeorm';

/** v_round_result as the Tendering migration created it: every column, in order. */
const ROUND_RESULT_COLUMNS = `SELECT r.id AS round_id, r.name AS round_name, r.level AS round_level, r.state AS round_state,
             rr.opened_at, rs.code AS rule_set_code, rs.version AS rule_set_version,
             l.id AS lot_id, l.variety_id, l.name AS lot_name, l.reference_unit,
             lo->>'status' AS lot_status, (lo->>'cycleYears')::int AS cycle_years,
             br.bid_id, br.manufacturer_id, br.product_id, br.lot_spec_id, ls.spec,
             br.unit_price, br.status AS bid_status, br.reason AS bid_reason, br.rank,
             br.unit_comparable_price, br.awarded_unit_price,
             COALESCE((SELECT SUM((a->>'agreedQuantity')::bigint) FROM jsonb_array_elements(lo->'allocations') a
                        WHERE a->>'bidId' = br.bid_id::text), 0)::bigint AS agreed_quantity,
             br.commitment`;

const ROUND_RESULT_FROM = `FROM tender_round_result rr
        JOIN tender_round r ON r.id = rr.round_id
        JOIN rule_set_version rs ON rs.id = rr.rule_set_version_id
        JOIN tender_bid_result br ON br.round_id = rr.round_id
        JOIN tender_lot l ON l.id = br.lot_id
        JOIN tender_lot_spec ls ON ls.id = br.lot_spec_id
        CROSS JOIN LATERAL (SELECT x FROM jsonb_array_elements(rr.engine_output->'lots') x WHERE x->>'id' = br.lot_id::text) AS lot_json(lo)`;

/**
 * What publishing a round (OCDS) needs beyond the original v_round_result, appended so every existing column
 * and consumer stays as it was: the owning region (the buyer is its regulator), the bid deadline (tender
 * period), the confirmation time (award date), the lot's agreed annual quantity, and the spec's maximum
 * valid unit price with its comparable factor (the lot's ceiling per reference unit).
 */
export class PublicRoundResult1795338170664 implements MigrationInterface {
  name = 'PublicRoundResult1795338170664';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE OR REPLACE VIEW v_round_result AS
      ${ROUND_RESULT_COLUMNS},
             r.owner_region_code, r.bid_deadline, r.confirmed_at,
             (lo->>'agreedQuantity')::bigint AS lot_agreed_quantity,
             ls.ceiling_unit_price, ls.comparable_factor
        ${ROUND_RESULT_FROM}`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    // CREATE OR REPLACE cannot drop columns: recreate the original
    await queryRunner.query(`DROP VIEW v_round_result`);
    await queryRunner.query(`CREATE VIEW v_round_result AS
      ${ROUND_RESULT_COLUMNS}
        ${ROUND_RESULT_FROM}`);
  }
}
