/**
 * Platform purchases, self-reported off-platform purchases and the off-platform purchases the insurance
 * settlement lines reveal, per hospital, month (Asia/Shanghai) and product class. Shared by the KPIs and the
 * OFF_PLATFORM_UNDER_REPORTED monitoring rule, so both count the same way (docs/kpis.md):
 *
 *   on_fen             Σ unit price × ordered quantity of the month's live order lines (not refused/cancelled)
 *   reported_off_fen   Σ amount of the hospital's off-platform purchase reports for the month
 *   estimated_off_fen  per claimed product: claimed amount × max(0, claimed qty − qty ordered on the platform
 *                      that month) ÷ claimed qty, rounded to the fen; summed. Claim lines whose insurance code
 *                      names no catalogue product are left out.
 *   claims_imported    whether the hospital's settlement list for that month has been imported
 *
 * `from` and `to` are SQL date expressions (first days of months), `regionLike` a LIKE pattern on region_code.
 */
export function purchaseFactsSql(from: string, to: string, regionLike: string): string {
  const range = (col: string) =>
    `${col} >= (${from})::timestamp AT TIME ZONE 'Asia/Shanghai' AND ${col} < ((${to}) + interval '1 month')::timestamp AT TIME ZONE 'Asia/Shanghai'`;
  return `WITH onp AS (
    SELECT l.hospital_id, l.region_code::text AS region_code, date_trunc('month', l.ordered_at AT TIME ZONE 'Asia/Shanghai')::date AS month,
           l.product_id, p.product_class AS class, SUM(l.unit_price * l.ordered_quantity) AS amount, SUM(l.ordered_quantity) AS qty
      FROM v_order_line_fact l JOIN product p ON p.id = l.product_id
     WHERE l.state NOT IN ('REJECTED', 'CANCELLED') AND ${range('l.ordered_at')} AND l.region_code LIKE ${regionLike}
     GROUP BY 1, 2, 3, 4, 5),
  onc AS (SELECT hospital_id, region_code, month, class, round(SUM(amount) * 100) AS fen FROM onp GROUP BY 1, 2, 3, 4),
  rep AS (
    SELECT o.hospital_id, o.region_code::text AS region_code, o.month,
           COALESCE(p.product_class, CASE WHEN v.kind = 'DRUG' THEN 'DRUG' WHEN v.high_value THEN 'HIGH_VALUE_CONSUMABLE' ELSE 'LOW_VALUE_CONSUMABLE' END) AS class,
           SUM(o.amount_fen) AS fen
      FROM v_off_platform_purchase o LEFT JOIN product p ON p.id = o.product_id LEFT JOIN variety v ON v.id = o.variety_id
     WHERE o.month >= (${from}) AND o.month <= (${to}) AND o.region_code LIKE ${regionLike}
     GROUP BY 1, 2, 3, 4),
  claims AS (
    SELECT c.hospital_id, c.region_code::text AS region_code, c.month, c.product_id, p.product_class AS class, SUM(c.quantity) AS qty, SUM(c.amount_fen) AS fen
      FROM insurance_claim_line c JOIN product p ON p.id = c.product_id
     WHERE c.month >= (${from}) AND c.month <= (${to}) AND c.region_code LIKE ${regionLike}
     GROUP BY 1, 2, 3, 4, 5),
  est AS (
    SELECT c.hospital_id, c.region_code, c.month, c.class, SUM(c.fen) AS claimed_fen,
           SUM(round(c.fen * GREATEST(0, c.qty - COALESCE(n.qty, 0))::numeric / c.qty)) AS fen
      FROM claims c LEFT JOIN onp n ON n.hospital_id = c.hospital_id AND n.month = c.month AND n.product_id = c.product_id
     GROUP BY 1, 2, 3, 4),
  keys AS (SELECT hospital_id, region_code, month, class FROM onc UNION SELECT hospital_id, region_code, month, class FROM rep
           UNION SELECT hospital_id, region_code, month, class FROM est)
  SELECT k.hospital_id, k.region_code, to_char(k.month, 'YYYY-MM') AS month, k.class,
         COALESCE(onc.fen, 0)::bigint AS on_fen, COALESCE(rep.fen, 0)::bigint AS reported_off_fen,
         COALESCE(est.fen, 0)::bigint AS estimated_off_fen,
         EXISTS (SELECT 1 FROM insurance_claim_import i WHERE i.hospital_id = k.hospital_id AND i.month = k.month) AS claims_imported
    FROM keys k
    LEFT JOIN onc USING (hospital_id, region_code, month, class)
    LEFT JOIN rep USING (hospital_id, region_code, month, class)
    LEFT JOIN est USING (hospital_id, region_code, month, class)`;
}
