import { MigrationInterface, QueryRunner } from 'typeorm';

/** v_volume_agreement's columns before pre_vbp_unit_price, as the Tendering migration created them. */
const HEAD = `SELECT a.id AS agreement_id, a.round_id, a.lot_id, a.variety_id, a.hospital_id, a.region_code, a.manufacturer_id,
             a.product_id, a.bid_id, a.agreed_quantity, a.purchased_quantity, a.awarded_unit_price`;
/** …and after it. */
const TAIL = `a.cycle_start, a.cycle_end, a.state,
             a.annual_quantity, a.takes_over_agreement_id`;

/**
 * 结余留用 needs the price a hospital paid before the round: demand_baseline gains what last year's purchases
 * cost, and v_volume_agreement publishes pre_vbp_unit_price from it (it was NULL until now).
 *
 * The price is per unit of the agreement's product, like awarded_unit_price and agreed_quantity: the baseline
 * counts the lot's reference unit, so the average per reference unit is multiplied by the spec's comparable
 * factor from the winning bid's lot spec. "Last year" is the calendar year (Asia/Shanghai) before the cycle
 * start; a takeover keeps its original agreement's cycle start, so it is measured against the same purchases.
 * Rounded half-up to 4 decimals with integer arithmetic (div is exact); NULL without a baseline, an amount, a
 * quantity or a bid result, and NULL for a price too large for numeric(18,4) (a mistyped amount must not make
 * every read of the view fail).
 */
export class PreVbpPrice1796017416507 implements MigrationInterface {
  name = 'PreVbpPrice1796017416507';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "demand_baseline" ADD "amount_fen" bigint`);
    await queryRunner.query(`ALTER TABLE "demand_baseline" ADD CONSTRAINT "CHK_0564e5788f3eed0acdd5ddf9e7" CHECK (amount_fen >= 0)`);
    // X = amount_fen × factor × 100 over q = quantity is the price in ten-thousandths of a yuan; div(2X + q, 2q)
    // rounds it half-up exactly. Plain left joins on unique keys, so a query that does not read the price can
    // drop them.
    await queryRunner.query(`CREATE OR REPLACE VIEW v_volume_agreement AS
      ${HEAD},
             (CASE WHEN b.quantity > 0 AND b.amount_fen * ls.comparable_factor * 100 < (1e18 - 0.5) * b.quantity
                   THEN div(2 * b.amount_fen * ls.comparable_factor * 100 + b.quantity, 2 * b.quantity) / 10000 END)::numeric(18,4) AS pre_vbp_unit_price,
             ${TAIL}
        FROM volume_agreement a
        LEFT JOIN volume_agreement orig ON orig.id = a.takes_over_agreement_id
        LEFT JOIN tender_bid_result br ON br.bid_id = a.bid_id
        LEFT JOIN tender_lot_spec ls ON ls.id = br.lot_spec_id
        LEFT JOIN demand_baseline b ON b.hospital_id = a.hospital_id AND b.variety_id = a.variety_id
              AND b.year = EXTRACT(YEAR FROM (COALESCE(orig.cycle_start, a.cycle_start) AT TIME ZONE 'Asia/Shanghai'))::int - 1`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE OR REPLACE VIEW v_volume_agreement AS
      ${HEAD},
             NULL::numeric(18,4) AS pre_vbp_unit_price, ${TAIL}
        FROM volume_agreement a`);
    await queryRunner.query(`ALTER TABLE "demand_baseline" DROP CONSTRAINT "CHK_0564e5788f3eed0acdd5ddf9e7"`);
    await queryRunner.query(`ALTER TABLE "demand_baseline" DROP COLUMN "amount_fen"`);
  }
}
