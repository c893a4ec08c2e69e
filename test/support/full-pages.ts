import { TestApp } from '@test/harness';

/**
 * Tops the demo history up so the pages a statement count reads are full (more than 100 rows) where the
 * history has fewer: listings with their price history, applications and reviews are copied as WITHDRAWN
 * listings (any number may be withdrawn per product), and volume agreements are copied to hospitals that hold
 * none for that bid. Copies are whole rows (`jsonb_populate_record`), so new columns come along by themselves.
 */
export async function seedFullPages(t: TestApp, atLeast = 120): Promise<Record<string, number>> {
  const [{ n: listings }] = await t.sql<{ n: number }>(`SELECT count(*)::int AS n FROM listing`);
  const copies = Math.max(0, Math.ceil((atLeast - listings) / Math.max(listings, 1)));
  if (copies > 0 && listings > 0) {
    await t.sql(`CREATE TABLE seed_listing_copy AS SELECT id AS old_id, gen_random_uuid() AS new_id FROM listing, generate_series(1, ${copies})`);
    await t.sql(`CREATE TABLE seed_application_copy AS
                   SELECT a.id AS old_id, gen_random_uuid() AS new_id, m.new_id AS listing_id
                     FROM listing_application a JOIN seed_listing_copy m ON m.old_id = a.listing_id`);
    await t.sql(`INSERT INTO listing SELECT (jsonb_populate_record(NULL::listing,
                   to_jsonb(l) || jsonb_build_object('id', m.new_id, 'state', 'WITHDRAWN', 'suspension_reason', NULL))).*
                   FROM listing l JOIN seed_listing_copy m ON m.old_id = l.id`);
    await t.sql(`INSERT INTO listing_price_history SELECT (jsonb_populate_record(NULL::listing_price_history,
                   to_jsonb(h) || jsonb_build_object('id', gen_random_uuid(), 'listing_id', m.new_id, 'application_id', a.new_id))).*
                   FROM listing_price_history h JOIN seed_listing_copy m ON m.old_id = h.listing_id
                   LEFT JOIN seed_application_copy a ON a.old_id = h.application_id AND a.listing_id = m.new_id`);
    await t.sql(`INSERT INTO listing_application SELECT (jsonb_populate_record(NULL::listing_application,
                   to_jsonb(x) || jsonb_build_object('id', a.new_id, 'listing_id', a.listing_id))).*
                   FROM listing_application x JOIN seed_application_copy a ON a.old_id = x.id`);
    await t.sql(`INSERT INTO listing_application_review SELECT (jsonb_populate_record(NULL::listing_application_review,
                   to_jsonb(r) || jsonb_build_object('id', gen_random_uuid(), 'application_id', a.new_id))).*
                   FROM listing_application_review r JOIN seed_application_copy a ON a.old_id = r.application_id`);
    await t.sql(`INSERT INTO linkage_notice SELECT (jsonb_populate_record(NULL::linkage_notice,
                   to_jsonb(n) || jsonb_build_object('id', gen_random_uuid(), 'listing_id', m.new_id, 'state', 'RESOLVED'))).*
                   FROM linkage_notice n JOIN seed_listing_copy m ON m.old_id = n.listing_id`);
    await t.sql(`DROP TABLE seed_listing_copy, seed_application_copy`);
  }
  const [{ n: agreements }] = await t.sql<{ n: number }>(`SELECT count(*)::int AS n FROM volume_agreement`);
  if (agreements > 0 && agreements < atLeast) {
    await t.sql(
      `INSERT INTO volume_agreement SELECT (jsonb_populate_record(NULL::volume_agreement,
         to_jsonb(c.a) || jsonb_build_object('id', gen_random_uuid(), 'hospital_id', c.hospital_id, 'region_code', c.region_code))).*
         FROM (SELECT DISTINCT ON (a.round_id, a.lot_id, a.bid_id, o.id) a, o.id AS hospital_id, o.region_code
                 FROM volume_agreement a CROSS JOIN organisation o
                WHERE o.kind = 'HOSPITAL' AND a.takes_over_agreement_id IS NULL
                  AND NOT EXISTS (SELECT 1 FROM volume_agreement b WHERE b.round_id = a.round_id AND b.lot_id = a.lot_id AND b.hospital_id = o.id AND b.bid_id = a.bid_id)) c
        LIMIT $1`,
      [atLeast - agreements],
    );
  }
  const [counts] = await t.sql<Record<string, number>>(`SELECT
    (SELECT count(*)::int FROM purchase_order) AS orders, (SELECT count(*)::int FROM shipment) AS shipments, (SELECT count(*)::int FROM receipt) AS receipts,
    (SELECT count(*)::int FROM invoice) AS invoices, (SELECT count(*)::int FROM goods_return) AS returns, (SELECT count(*)::int FROM listing) AS listings,
    (SELECT count(*)::int FROM listing_application) AS applications, (SELECT count(*)::int FROM volume_agreement) AS agreements,
    (SELECT count(*)::int FROM tender_round) AS rounds, (SELECT count(*)::int FROM alert) AS alerts`);
  return counts;
}
