import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { VbpWinner } from '@libs/price-rules';

/**
 * The listing context's own port onto VBP results: the winners of a variety in effect at an instant. The
 * default reads tendering's published view v_volume_agreement when it exists (the tendering branch may not be
 * merged yet) and answers "no winners" otherwise.
 */
export const VBP_WINNER_PRICES = Symbol('VBP_WINNER_PRICES');

export interface VbpWinnerPrices {
  winnersFor(em: EntityManager, varietyId: string, at: Date): Promise<VbpWinner[]>;
}

@Injectable()
export class SqlVbpWinnerPrices implements VbpWinnerPrices {
  private readonly registered: { varietyId: string; winner: VbpWinner }[] = [];

  /**
   * Winners known outside tendering's views (tests, or a national round entered by hand before the views
   * exist). Kept in memory only; the views are the source of truth once merged.
   */
  register(varietyId: string, winner: VbpWinner): void {
    this.registered.push({ varietyId, winner });
  }

  async winnersFor(em: EntityManager, varietyId: string, at: Date): Promise<VbpWinner[]> {
    const extra = this.registered.filter((r) => r.varietyId === varietyId).map((r) => r.winner);
    const [{ agreements, rounds }] = await em.query<{ agreements: boolean; rounds: boolean }[]>(
      `SELECT to_regclass('v_volume_agreement') IS NOT NULL AS agreements,
              EXISTS (SELECT 1 FROM information_schema.columns WHERE table_name = 'v_round_result' AND column_name = 'level') AS rounds`,
    );
    if (!agreements) return extra;
    const rows: { product_id: string; round_id: string; awarded_unit_price: string; comparable_factor: string | null; regions: string[]; national: boolean }[] =
      await em.query(
        `SELECT a.product_id, a.round_id, max(a.awarded_unit_price)::text AS awarded_unit_price, vs.comparable_factor::text AS comparable_factor,
                array_agg(DISTINCT a.region_code::text) AS regions,
                ${rounds ? `EXISTS (SELECT 1 FROM v_round_result r WHERE r.round_id = a.round_id AND r.level = 'NATIONAL')` : 'false'} AS national
           FROM v_volume_agreement a
           JOIN product p ON p.id = a.product_id
           LEFT JOIN variety_spec vs ON vs.id = p.variety_spec_id
          WHERE a.variety_id = $1 AND a.cycle_start <= $2 AND a.cycle_end > $2
          GROUP BY a.product_id, a.round_id, vs.comparable_factor`,
        [varietyId, at],
      );
    return [
      ...extra,
      ...rows
        .filter((r) => r.comparable_factor !== null)
        .map((r) => ({
          productId: r.product_id,
          awardedUnitPrice: r.awarded_unit_price,
          specFactor: r.comparable_factor!,
          national: r.national,
          supplyRegionCodes: r.regions,
          source: `VBP round ${r.round_id}`,
        })),
    ];
  }
}
