import type { RuleCode } from '@libs/supervision-rules';
import { purchaseFactsSql } from './purchase-facts-sql';

/**
 * Set-based SQL per monitoring rule, over the views other contexts publish (docs/context-contracts.md) plus
 * catalog master data (product, variety_spec, variety). Every query takes the same parameters:
 *   $1 period (date, first of the month, Asia/Shanghai)   $2 the rule version's params (jsonb)
 *   $3 now (timestamptz)                                  $4 the platform's home province code
 * and yields one row per finding: subject_kind, subject_id, subject_key, answering_organisation_id,
 * region_code, evidence (jsonb). The caller upserts them into `alert`.
 *
 * Month bounds are Shanghai midnights; "as of" is the month's end, or now while the month is running.
 */
const MONTH = `m AS (
  SELECT ($1::date)::timestamp AT TIME ZONE 'Asia/Shanghai' AS from_at,
         ($1::date + interval '1 month')::timestamp AT TIME ZONE 'Asia/Shanghai' AS to_at,
         LEAST($3::timestamptz, ($1::date + interval '1 month')::timestamp AT TIME ZONE 'Asia/Shanghai') AS as_of,
         ($1::date - interval '1 month')::timestamp AT TIME ZONE 'Asia/Shanghai' AS prev_from_at
)`;

/** Orders that count as purchases (refused or cancelled ones bought nothing). */
const LIVE_LINE = `l.state NOT IN ('REJECTED', 'CANCELLED')`;

/** Agreements in effect at some point of the month (a failed supplier's agreement passed to its backup's takeover). */
const AGREEMENT_IN_MONTH = `a.cycle_start < m.to_at AND a.cycle_end > m.from_at AND a.state NOT IN ('CANCELLED', 'TERMINATED', 'SUPPLY_FAILED')`;

const province = (col: string) => `(substr(${col}, 1, 2) || '0000')`;

export const RULE_SQL: Record<RuleCode, string> = {
  AGREEMENT_COMPLETION_BEHIND: `WITH ${MONTH},
  progress AS (
    SELECT a.*, a.purchased_quantity::numeric / NULLIF(a.agreed_quantity, 0) AS completion,
           LEAST(1, GREATEST(0, EXTRACT(EPOCH FROM (m.as_of - a.cycle_start)) / NULLIF(EXTRACT(EPOCH FROM (a.cycle_end - a.cycle_start)), 0))) AS elapsed
    FROM v_volume_agreement a, m WHERE ${AGREEMENT_IN_MONTH} AND a.agreed_quantity > 0)
  SELECT 'HOSPITAL' AS subject_kind, p.hospital_id AS subject_id, p.hospital_id || ':' || p.agreement_id AS subject_key,
         p.hospital_id AS answering_organisation_id, p.region_code,
         jsonb_build_object('agreementId', p.agreement_id, 'productId', p.product_id, 'manufacturerId', p.manufacturer_id,
           'agreedQuantity', p.agreed_quantity::text, 'purchasedQuantity', p.purchased_quantity::text,
           'completion', round(p.completion, 4)::text, 'elapsedShare', round(p.elapsed::numeric, 4)::text,
           'pointsBehind', $2::jsonb->>'pointsBehind') AS evidence
  FROM progress p WHERE p.completion < p.elapsed::numeric - ($2::jsonb->>'pointsBehind')::numeric`,

  SUBSTITUTION_NON_WINNING: `WITH ${MONTH},
  agreed AS (
    SELECT a.hospital_id, a.variety_id,
           SUM(a.agreed_quantity::numeric / GREATEST(1, round(EXTRACT(EPOCH FROM (a.cycle_end - a.cycle_start)) / 2629746))) AS monthly_agreed
    FROM v_volume_agreement a, m WHERE ${AGREEMENT_IN_MONTH} GROUP BY a.hospital_id, a.variety_id),
  winners AS (SELECT DISTINCT a.variety_id, a.product_id FROM v_volume_agreement a, m WHERE ${AGREEMENT_IN_MONTH}),
  bought AS (
    SELECT l.hospital_id, l.region_code, l.variety_id,
           SUM(l.ordered_quantity) FILTER (WHERE l.ordered_at >= m.from_at) AS qty,
           SUM(l.ordered_quantity) FILTER (WHERE l.ordered_at >= m.from_at AND w.product_id IS NULL) AS non_winning,
           SUM(l.ordered_quantity) FILTER (WHERE l.ordered_at < m.from_at) AS prev_qty,
           SUM(l.ordered_quantity) FILTER (WHERE l.ordered_at < m.from_at AND w.product_id IS NULL) AS prev_non_winning
    FROM v_order_line_fact l CROSS JOIN m
    LEFT JOIN winners w ON w.variety_id = l.variety_id AND w.product_id = l.product_id
    WHERE l.ordered_at >= m.prev_from_at AND l.ordered_at < m.to_at AND ${LIVE_LINE}
      AND l.variety_id IN (SELECT variety_id FROM winners)
    GROUP BY l.hospital_id, l.region_code, l.variety_id),
  shares AS (
    SELECT b.*, COALESCE(b.non_winning, 0)::numeric / b.qty AS share,
           COALESCE(b.prev_non_winning, 0)::numeric / NULLIF(b.prev_qty, 0) AS prev_share,
           LEAST(1, COALESCE(ag.monthly_agreed, 0) / b.qty) AS agreed_share
    FROM bought b LEFT JOIN agreed ag ON ag.hospital_id = b.hospital_id AND ag.variety_id = b.variety_id
    WHERE b.qty > 0)
  SELECT 'HOSPITAL', s.hospital_id, s.hospital_id || ':' || s.variety_id, s.hospital_id, s.region_code,
         jsonb_build_object('varietyId', s.variety_id, 'quantity', s.qty::text, 'nonWinningQuantity', COALESCE(s.non_winning, 0)::text,
           'share', round(s.share, 4)::text, 'previousShare', round(s.prev_share, 4)::text, 'agreedShare', round(s.agreed_share, 4)::text,
           'monthOnMonthRise', $2::jsonb->>'monthOnMonthRise')
  FROM shares s
  WHERE s.share - COALESCE(s.prev_share, s.share) > ($2::jsonb->>'monthOnMonthRise')::numeric OR s.share > 1 - s.agreed_share`,

  DELIVERY_RATE_LOW: `WITH ${MONTH},
  rates AS (
    SELECT l.distributor_id, l.manufacturer_id, ${province('l.region_code')} AS region_code,
           SUM(l.ordered_quantity) AS ordered, SUM(l.delivered_within_sla_quantity) AS on_time
    FROM v_order_line_fact l, m
    WHERE l.ordered_at >= m.from_at AND l.ordered_at < m.to_at AND ${LIVE_LINE} AND l.distributor_id IS NOT NULL
    GROUP BY 1, 2, 3)
  SELECT 'DISTRIBUTOR', r.distributor_id, r.distributor_id || ':' || r.manufacturer_id, r.distributor_id, r.region_code,
         jsonb_build_object('manufacturerId', r.manufacturer_id, 'orderedQuantity', r.ordered::text,
           'deliveredWithinSlaQuantity', r.on_time::text, 'deliveryRate', round(r.on_time::numeric / r.ordered, 4)::text,
           'minRate', $2::jsonb->>'minRate')
  FROM rates r WHERE r.ordered > 0 AND r.on_time::numeric / r.ordered < ($2::jsonb->>'minRate')::numeric`,

  DELIVERY_SHORTAGE: `WITH ${MONTH},
  -- only products already below the threshold this month need their earlier months looked at
  low_now AS (
    SELECT l.product_id FROM v_order_line_fact l, m
    WHERE l.ordered_at >= m.from_at AND l.ordered_at < m.to_at AND ${LIVE_LINE}
    GROUP BY l.product_id
    HAVING SUM(l.ordered_quantity) > 0
       AND SUM(l.delivered_within_sla_quantity)::numeric / SUM(l.ordered_quantity) < ($2::jsonb->>'maxRate')::numeric),
  months AS (
    SELECT l.manufacturer_id, l.product_id, ${province('l.region_code')} AS region_code,
           date_trunc('month', l.ordered_at AT TIME ZONE 'Asia/Shanghai') AS month,
           SUM(l.ordered_quantity) AS ordered, SUM(l.delivered_within_sla_quantity) AS on_time
    FROM v_order_line_fact l, m
    WHERE l.ordered_at >= (($1::date - (($2::jsonb->>'consecutiveMonths')::int - 1) * interval '1 month')::timestamp AT TIME ZONE 'Asia/Shanghai')
      AND l.ordered_at < m.to_at AND ${LIVE_LINE} AND l.product_id IN (SELECT product_id FROM low_now)
    GROUP BY 1, 2, 3, 4),
  low AS (
    SELECT manufacturer_id, product_id, region_code, COUNT(*) AS low_months,
           jsonb_agg(jsonb_build_object('month', to_char(month, 'YYYY-MM'), 'deliveryRate', round(on_time::numeric / ordered, 4)::text) ORDER BY month) AS rates
    FROM months WHERE ordered > 0 AND on_time::numeric / ordered < ($2::jsonb->>'maxRate')::numeric
    GROUP BY 1, 2, 3)
  -- the listing the shortage signal suspends (listing context): the product's listing in force in that province
  SELECT 'MANUFACTURER', low.manufacturer_id, low.manufacturer_id || ':' || low.product_id, low.manufacturer_id, low.region_code,
         jsonb_build_object('productId', low.product_id, 'monthlyRates', low.rates, 'maxRate', $2::jsonb->>'maxRate',
           'consecutiveMonths', $2::jsonb->'consecutiveMonths', 'shortageSignal', true, 'listingId', lp.listing_id)
  FROM low
  LEFT JOIN v_listing_price lp ON lp.product_id = low.product_id AND lp.region_code = low.region_code AND lp.valid_to IS NULL AND lp.state = 'LISTED'
  WHERE low.low_months >= ($2::jsonb->>'consecutiveMonths')::int`,

  PRICE_ABOVE_IN_FORCE: `WITH ${MONTH},
  priced AS (
    SELECT l.hospital_id, l.region_code, l.product_id, l.manufacturer_id, l.unit_price, l.ordered_quantity,
           CASE WHEN l.source = 'AGREEMENT' THEN a.awarded_unit_price ELSE lp.unit_price END AS in_force
    FROM v_order_line_fact l CROSS JOIN m
    LEFT JOIN v_volume_agreement a ON l.source = 'AGREEMENT' AND a.agreement_id = l.agreement_id
    LEFT JOIN v_listing_price lp ON l.source = 'LISTING' AND lp.listing_id = l.listing_id
      AND lp.valid_from <= l.ordered_at AND (lp.valid_to IS NULL OR lp.valid_to > l.ordered_at) AND lp.state = 'LISTED'
    WHERE l.ordered_at >= m.from_at AND l.ordered_at < m.to_at AND ${LIVE_LINE}),
  over AS (
    SELECT hospital_id, region_code, product_id, manufacturer_id, COUNT(*) AS lines, MAX(unit_price) AS max_paid, MIN(in_force) AS in_force,
           round(SUM((unit_price - in_force) * ordered_quantity) * 100) AS excess_fen
    FROM priced WHERE in_force IS NOT NULL AND unit_price > in_force
    GROUP BY 1, 2, 3, 4)
  SELECT 'HOSPITAL', hospital_id, hospital_id || ':' || product_id, hospital_id, region_code,
         jsonb_build_object('productId', product_id, 'manufacturerId', manufacturer_id, 'lines', lines,
           'maxUnitPricePaid', max_paid::text, 'unitPriceInForce', in_force::text, 'excessFen', excess_fen::text)
  FROM over`,

  LISTING_ABOVE_REFERENCE: `WITH ${MONTH},
  listed AS (
    SELECT lp.listing_id, lp.product_id, lp.manufacturer_id, lp.unit_price, p.name, p.dosage_form, p.spec
    FROM v_listing_price lp CROSS JOIN m JOIN product p ON p.id = lp.product_id
    WHERE lp.state = 'LISTED' AND lp.valid_from <= m.as_of AND (lp.valid_to IS NULL OR lp.valid_to > m.as_of)),
  lowest AS (
    SELECT li.listing_id, MIN(r.unit_price) AS lowest, (array_agg(r.province_code ORDER BY r.unit_price))[1] AS province_code
    FROM listed li JOIN v_reference_price r
      ON (r.product_id = li.product_id)
      OR (r.product_id IS NULL AND r.generic_name = li.name AND r.dosage_form IS NOT DISTINCT FROM li.dosage_form
          AND r.spec = li.spec AND r.manufacturer_id = li.manufacturer_id)
    WHERE r.province_code <> $4
    GROUP BY li.listing_id)
  SELECT 'PRODUCT', li.product_id, li.product_id || ':' || li.listing_id, li.manufacturer_id, $4::char(6),
         jsonb_build_object('listingId', li.listing_id, 'manufacturerId', li.manufacturer_id, 'listedUnitPrice', li.unit_price::text,
           'lowestReferenceUnitPrice', lo.lowest::text, 'referenceProvince', lo.province_code)
  FROM listed li JOIN lowest lo ON lo.listing_id = li.listing_id WHERE li.unit_price > lo.lowest`,

  LISTING_ABOVE_VBP_MULTIPLE: `WITH ${MONTH},
  winning AS (
    SELECT a.variety_id, a.product_id, a.manufacturer_id,
           MAX(a.awarded_unit_price / COALESCE(vs.comparable_factor, 1)) AS per_reference_unit
    FROM v_volume_agreement a CROSS JOIN m JOIN product wp ON wp.id = a.product_id
    LEFT JOIN variety_spec vs ON vs.id = wp.variety_spec_id
    WHERE ${AGREEMENT_IN_MONTH} GROUP BY 1, 2, 3),
  listed AS (
    SELECT lp.listing_id, lp.product_id, lp.manufacturer_id, lp.unit_price, p.variety_id, COALESCE(vs.comparable_factor, 1) AS factor
    FROM v_listing_price lp CROSS JOIN m JOIN product p ON p.id = lp.product_id
    LEFT JOIN variety_spec vs ON vs.id = p.variety_spec_id
    WHERE lp.state = 'LISTED' AND lp.valid_from <= m.as_of AND (lp.valid_to IS NULL OR lp.valid_to > m.as_of) AND p.variety_id IS NOT NULL),
  capped AS (
    SELECT li.*, (w_own.product_id IS NOT NULL) AS is_winner,
           round(CASE WHEN w_own.product_id IS NOT NULL
                 THEN w_own.per_reference_unit * li.factor * ($2::jsonb->>'winnerOutsideSupplyMultiple')::numeric
                 ELSE (SELECT MAX(w.per_reference_unit) FROM winning w WHERE w.variety_id = li.variety_id) * li.factor * ($2::jsonb->>'nonWinnerMultiple')::numeric
                 END, 4) AS cap
    FROM listed li LEFT JOIN winning w_own ON w_own.product_id = li.product_id)
  SELECT 'PRODUCT', c.product_id, c.product_id || ':' || c.listing_id, c.manufacturer_id, $4::char(6),
         jsonb_build_object('listingId', c.listing_id, 'manufacturerId', c.manufacturer_id, 'listedUnitPrice', c.unit_price::text,
           'capUnitPrice', c.cap::text, 'winner', c.is_winner,
           'multiple', CASE WHEN c.is_winner THEN $2::jsonb->>'winnerOutsideSupplyMultiple' ELSE $2::jsonb->>'nonWinnerMultiple' END)
  FROM capped c WHERE c.cap IS NOT NULL AND c.unit_price > c.cap`,

  PRICE_CHANGE_MOM: `WITH ${MONTH},
  avg_price AS (
    SELECT l.product_id, l.manufacturer_id, ${province('l.region_code')} AS region_code,
           SUM(l.unit_price * l.ordered_quantity) FILTER (WHERE l.ordered_at >= m.from_at)
             / NULLIF(SUM(l.ordered_quantity) FILTER (WHERE l.ordered_at >= m.from_at), 0) AS price,
           SUM(l.unit_price * l.ordered_quantity) FILTER (WHERE l.ordered_at < m.from_at)
             / NULLIF(SUM(l.ordered_quantity) FILTER (WHERE l.ordered_at < m.from_at), 0) AS prev_price
    FROM v_order_line_fact l, m
    WHERE l.ordered_at >= m.prev_from_at AND l.ordered_at < m.to_at AND ${LIVE_LINE}
    GROUP BY 1, 2, 3)
  SELECT 'PRODUCT', product_id, product_id::text, manufacturer_id, region_code,
         jsonb_build_object('manufacturerId', manufacturer_id, 'averageUnitPrice', round(price, 4)::text,
           'previousAverageUnitPrice', round(prev_price, 4)::text, 'change', round(price / prev_price - 1, 4)::text,
           'maxChange', $2::jsonb->>'maxChange')
  FROM avg_price WHERE prev_price > 0 AND price IS NOT NULL AND abs(price / prev_price - 1) > ($2::jsonb->>'maxChange')::numeric`,

  VOLUME_VS_DEMAND: `WITH ${MONTH},
  demand AS (
    SELECT a.hospital_id, a.region_code, a.variety_id,
           SUM(a.agreed_quantity::numeric / GREATEST(1, round(EXTRACT(EPOCH FROM (a.cycle_end - a.cycle_start)) / 2629746))) AS monthly_rate
    FROM v_volume_agreement a, m WHERE ${AGREEMENT_IN_MONTH} AND a.cycle_start <= m.from_at
    GROUP BY 1, 2, 3),
  bought AS (
    SELECT l.hospital_id, l.variety_id, SUM(l.ordered_quantity) AS qty
    FROM v_order_line_fact l, m
    WHERE l.ordered_at >= m.from_at AND l.ordered_at < m.to_at AND ${LIVE_LINE} AND l.variety_id IS NOT NULL
    GROUP BY 1, 2)
  SELECT 'HOSPITAL', d.hospital_id, d.hospital_id || ':' || d.variety_id, d.hospital_id, d.region_code,
         jsonb_build_object('varietyId', d.variety_id, 'monthlyQuantity', COALESCE(b.qty, 0)::text, 'monthlyDemandRate', round(d.monthly_rate, 2)::text,
           'ratio', round(COALESCE(b.qty, 0) / d.monthly_rate, 4)::text,
           'aboveMultiple', $2::jsonb->>'aboveMultiple', 'belowFraction', $2::jsonb->>'belowFraction')
  FROM demand d LEFT JOIN bought b ON b.hospital_id = d.hospital_id AND b.variety_id = d.variety_id
  WHERE d.monthly_rate > 0
    AND (COALESCE(b.qty, 0) > d.monthly_rate * ($2::jsonb->>'aboveMultiple')::numeric
      OR COALESCE(b.qty, 0) < d.monthly_rate * ($2::jsonb->>'belowFraction')::numeric)`,

  PLATFORM_PURCHASE_RATE_LOW: `WITH ${MONTH},
  on_platform AS (
    SELECT l.hospital_id, l.region_code, CASE WHEN p.kind = 'DRUG' THEN 'DRUG' ELSE 'HIGH_VALUE_CONSUMABLE' END AS class,
           round(SUM(l.unit_price * l.ordered_quantity) * 100) AS amount_fen
    FROM v_order_line_fact l CROSS JOIN m JOIN product p ON p.id = l.product_id LEFT JOIN variety v ON v.id = p.variety_id
    WHERE l.ordered_at >= m.from_at AND l.ordered_at < m.to_at AND ${LIVE_LINE} AND (p.kind = 'DRUG' OR v.high_value)
    GROUP BY 1, 2, 3),
  off_platform AS (
    SELECT o.hospital_id, o.region_code, CASE WHEN COALESCE(p.kind, v.kind) = 'DRUG' THEN 'DRUG' ELSE 'HIGH_VALUE_CONSUMABLE' END AS class,
           SUM(o.amount_fen) AS amount_fen
    FROM v_off_platform_purchase o
    LEFT JOIN product p ON p.id = o.product_id
    LEFT JOIN variety v ON v.id = COALESCE(o.variety_id, p.variety_id)
    WHERE o.month = $1::date AND (COALESCE(p.kind, v.kind) = 'DRUG' OR v.high_value)
    GROUP BY 1, 2, 3),
  rates AS (
    SELECT f.hospital_id, f.region_code, f.class, COALESCE(n.amount_fen, 0) AS on_fen, f.amount_fen AS off_fen,
           COALESCE(n.amount_fen, 0)::numeric / NULLIF(COALESCE(n.amount_fen, 0) + f.amount_fen, 0) AS rate,
           CASE WHEN f.class = 'DRUG' THEN ($2::jsonb->>'minDrugRate')::numeric ELSE ($2::jsonb->>'minHighValueConsumableRate')::numeric END AS min_rate
    FROM off_platform f LEFT JOIN on_platform n ON n.hospital_id = f.hospital_id AND n.class = f.class
    WHERE f.amount_fen > 0)
  SELECT 'HOSPITAL', hospital_id, hospital_id || ':' || class, hospital_id, region_code,
         jsonb_build_object('class', class, 'onPlatformFen', on_fen::text, 'offPlatformFen', off_fen::text,
           'platformPurchaseRate', round(rate, 4)::text, 'minRate', min_rate::text)
  FROM rates WHERE rate < min_rate`,

  OFF_PLATFORM_UNDER_REPORTED: `WITH facts AS (${purchaseFactsSql('$1::date', '$1::date', "'%'")}),
  shares AS (
    SELECT f.*, f.estimated_off_fen::numeric / NULLIF(f.on_fen + f.estimated_off_fen, 0) AS estimated_share,
           COALESCE(f.reported_off_fen::numeric / NULLIF(f.on_fen + f.reported_off_fen, 0), 0) AS reported_share
      FROM facts f WHERE f.claims_imported AND f.class IN ('DRUG', 'HIGH_VALUE_CONSUMABLE'))
  SELECT 'HOSPITAL' AS subject_kind, s.hospital_id AS subject_id, s.hospital_id || ':' || s.class AS subject_key,
         s.hospital_id AS answering_organisation_id, s.region_code,
         jsonb_build_object('class', s.class, 'onPlatformFen', s.on_fen::text, 'reportedOffPlatformFen', s.reported_off_fen::text,
           'estimatedOffPlatformFen', s.estimated_off_fen::text, 'reportedOffPlatformShare', round(s.reported_share, 4)::text,
           'estimatedOffPlatformShare', round(s.estimated_share, 4)::text, 'maxGap', $2::jsonb->>'maxGap') AS evidence
    FROM shares s WHERE s.estimated_share - s.reported_share > ($2::jsonb->>'maxGap')::numeric`,

  PAYABLE_OVERDUE: `WITH ${MONTH},
  overdue AS (
    SELECT p.hospital_id, p.region_code, p.manufacturer_id, COUNT(*) AS lines, SUM(p.amount_fen) AS amount_fen,
           MIN(p.due_at) AS oldest_due_at, MAX(EXTRACT(DAY FROM (m.as_of - p.due_at)))::int AS max_days_overdue
    FROM v_payable_line p, m
    WHERE p.due_at + (($2::jsonb->>'overdueDays')::int * interval '1 day') < m.as_of
      AND (p.paid_at IS NULL OR p.paid_at > m.as_of)
    GROUP BY 1, 2, 3)
  SELECT 'HOSPITAL', hospital_id, hospital_id || ':' || manufacturer_id, hospital_id, region_code,
         jsonb_build_object('manufacturerId', manufacturer_id, 'lines', lines, 'amountFen', amount_fen::text,
           'oldestDueAt', oldest_due_at, 'maxDaysOverdue', max_days_overdue, 'overdueDays', $2::jsonb->'overdueDays')
  FROM overdue`,

  // the standard in force when the line was placed: the product's own (CONVERGENCE) row, else its spec's (VBP_AWARD)
  PURCHASE_ABOVE_PAYMENT_STANDARD: `WITH ${MONTH},
  standardised AS (
    SELECT l.hospital_id, l.region_code, l.product_id, l.manufacturer_id, l.unit_price, l.ordered_quantity,
           ps.unit_price AS standard, ps.version AS standard_version, ps.basis
    FROM v_order_line_fact l CROSS JOIN m
    JOIN product p ON p.id = l.product_id
    JOIN LATERAL (
      SELECT s.unit_price, s.version, s.basis FROM v_payment_standard s
       WHERE s.variety_spec_id = p.variety_spec_id AND (s.product_id = l.product_id OR s.product_id IS NULL)
         AND s.effective_from <= l.ordered_at AND (s.effective_to IS NULL OR s.effective_to > l.ordered_at)
       ORDER BY s.product_id IS NULL, s.effective_from DESC LIMIT 1) ps ON true
    WHERE l.ordered_at >= m.from_at AND l.ordered_at < m.to_at AND ${LIVE_LINE}),
  over AS (
    SELECT hospital_id, region_code, product_id, manufacturer_id, COUNT(*) AS lines, MAX(unit_price) AS max_paid,
           MIN(standard) AS standard, MAX(standard_version) AS standard_version, MIN(basis) AS basis,
           round(SUM((unit_price - standard) * ordered_quantity) * 100) AS excess_fen
    FROM standardised WHERE unit_price > standard * (1 + ($2::jsonb->>'tolerance')::numeric)
    GROUP BY 1, 2, 3, 4)
  SELECT 'HOSPITAL', hospital_id, hospital_id || ':' || product_id, hospital_id, region_code,
         jsonb_build_object('productId', product_id, 'manufacturerId', manufacturer_id, 'lines', lines,
           'maxUnitPricePaid', max_paid::text, 'paymentStandardUnitPrice', standard::text, 'paymentStandardVersion', standard_version,
           'basis', basis, 'excessFen', excess_fen::text, 'tolerance', $2::jsonb->>'tolerance')
  FROM over`,
};

/**
 * Upserts one rule's findings: at most one alert per (rule, subject, period). A re-run refreshes the figures,
 * the rule version and the run, never the case state. Returns how many alerts were new.
 * Extra parameters: $5 rule code, $6 rule version, $7 rule id, $8 severity, $9 run id.
 */
export function upsertAlertsSql(ruleSql: string): string {
  // the first CTE fixes every parameter's type, whether or not this rule's query uses it
  return `WITH typed AS (SELECT $1::date, $2::jsonb, $3::timestamptz, $4::char(6), $5::text, $6::int, $7::uuid, $8::text, $9::uuid),
  found (subject_kind, subject_id, subject_key, answering_organisation_id, region_code, evidence) AS (${ruleSql}),
  written AS (
    INSERT INTO alert (rule_code, rule_version, rule_id, severity, subject_kind, subject_id, subject_key, subject_name,
                       answering_organisation_id, region_code, region_path, period, evidence, state, raised_at, refreshed_at, last_run_id, row_version)
    SELECT $5, $6, $7, $8, f.subject_kind, f.subject_id, f.subject_key,
           COALESCE(o.name, pr.name), f.answering_organisation_id, f.region_code, COALESCE(r.path, f.region_code), $1::date, f.evidence,
           'OPEN', $3, $3, $9, 1
    FROM found f
    LEFT JOIN region r ON r.code = f.region_code
    LEFT JOIN organisation o ON o.id = f.subject_id
    LEFT JOIN product pr ON pr.id = f.subject_id
    ON CONFLICT ON CONSTRAINT uq_alert_rule_subject_period DO UPDATE
      -- the listing suspension a shortage triggered stays on record through re-runs
      SET evidence = CASE WHEN alert.evidence ? 'listingSuspension'
                          THEN EXCLUDED.evidence || jsonb_build_object('listingSuspension', alert.evidence->'listingSuspension')
                          ELSE EXCLUDED.evidence END,
          rule_version = EXCLUDED.rule_version, rule_id = EXCLUDED.rule_id,
          severity = EXCLUDED.severity, subject_name = EXCLUDED.subject_name, refreshed_at = EXCLUDED.refreshed_at,
          last_run_id = EXCLUDED.last_run_id, row_version = alert.row_version + 1, updated_at = now()
    RETURNING (xmax = 0) AS inserted)
  SELECT COUNT(*) FILTER (WHERE inserted)::int AS raised, COUNT(*) FILTER (WHERE NOT inserted)::int AS updated FROM written`;
}
