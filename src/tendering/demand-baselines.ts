import { EntityManager } from 'typeorm';
import { shanghaiMidnight } from '@libs/calendar';

/**
 * Last year's purchases of a variety by a hospital (需求基线), for the demand floor and for retained savings'
 * pre-VBP price. The platform's own accepted receipts (net of returns) come first: a hospital × variety × year
 * with any receipt line on the platform gets source PLATFORM, overwriting an imported figure; imported files
 * (setDemandBaselines) only fill the gaps, with source IMPORTED.
 *
 * Quantities are in the variety's reference unit (units of a spec × its comparable factor, rounded half-up),
 * amounts in fen (Σ units × unit price, rounded half-up once per hospital × variety).
 */
export interface BaselineFilter {
  year: number;
  hospitalIds?: string[];
  varietyIds?: string[];
  /** Hospitals whose region path lies within this one (a regulator's region). */
  regionPath?: string;
}

/** Writes the platform's figures of the year as PLATFORM rows; returns how many rows it wrote. */
export async function refreshPlatformBaselines(em: EntityManager, filter: BaselineFilter): Promise<number> {
  const params: unknown[] = [shanghaiMidnight(`${filter.year}-01-01`), shanghaiMidnight(`${filter.year + 1}-01-01`), filter.year];
  const where: string[] = [];
  if (filter.hospitalIds) {
    params.push(filter.hospitalIds);
    where.push(`r.hospital_id = ANY($${params.length}::uuid[])`);
  }
  if (filter.varietyIds) {
    params.push(filter.varietyIds);
    where.push(`COALESCE(ol.variety_id, p.variety_id) = ANY($${params.length}::uuid[])`);
  }
  if (filter.regionPath) {
    params.push(filter.regionPath, `${filter.regionPath}/%`);
    where.push(`EXISTS (SELECT 1 FROM region g WHERE g.code = r.region_code AND (g.path = $${params.length - 1} OR g.path LIKE $${params.length}))`);
  }
  const rows = await em.query<{ id: string }[]>(
    `INSERT INTO demand_baseline (hospital_id, variety_id, year, quantity, amount_fen, source)
     SELECT r.hospital_id, COALESCE(ol.variety_id, p.variety_id), $3::int,
            round(sum((rl.accepted_quantity - rl.returned_quantity) * COALESCE(vs.comparable_factor, 1)))::bigint,
            round(sum((rl.accepted_quantity - rl.returned_quantity) * ol.unit_price) * 100)::bigint,
            'PLATFORM'
       FROM receipt_line rl
       JOIN receipt r ON r.id = rl.receipt_id
       JOIN order_line ol ON ol.id = rl.order_line_id
       JOIN product p ON p.id = ol.product_id
       LEFT JOIN variety_spec vs ON vs.id = p.variety_spec_id
      WHERE r.received_at >= $1 AND r.received_at < $2 AND COALESCE(ol.variety_id, p.variety_id) IS NOT NULL
        ${where.map((w) => `AND ${w}`).join(' ')}
      GROUP BY r.hospital_id, COALESCE(ol.variety_id, p.variety_id)
     ON CONFLICT (hospital_id, variety_id, year) DO UPDATE
        SET quantity = EXCLUDED.quantity, amount_fen = EXCLUDED.amount_fen, source = 'PLATFORM', updated_at = now()
      WHERE demand_baseline.source <> 'PLATFORM' OR demand_baseline.quantity <> EXCLUDED.quantity OR demand_baseline.amount_fen IS DISTINCT FROM EXCLUDED.amount_fen
     RETURNING id`,
    params,
  );
  return rows.length;
}

/** An imported figure, written only where the platform has no figure of its own (a PLATFORM row is kept). */
export async function upsertImportedBaseline(em: EntityManager, e: { hospitalId: string; varietyId: string; year: number; quantity: number; amountFen: bigint | null }): Promise<boolean> {
  const rows = await em.query<{ id: string }[]>(
    `INSERT INTO demand_baseline (hospital_id, variety_id, year, quantity, amount_fen, source) VALUES ($1, $2, $3, $4, $5, 'IMPORTED')
     ON CONFLICT (hospital_id, variety_id, year) DO UPDATE SET quantity = EXCLUDED.quantity, amount_fen = EXCLUDED.amount_fen, updated_at = now()
      WHERE demand_baseline.source = 'IMPORTED'
     RETURNING id`,
    [e.hospitalId, e.varietyId, e.year, e.quantity, e.amountFen === null ? null : e.amountFen.toString()],
  );
  return rows.length > 0;
}
