import { Injectable } from '@nestjs/common';
import { Field, Int, ObjectType } from '@nestjs/graphql';
import { assertExportFormat, ExportFile, tabularFile } from '../platform/export/tabular-file';
import { formatFenAsYuan } from '@libs/money';
import { Db } from '../platform/database/db';
import { Clock } from '../platform/clock/clock';
import { RequestContext } from '../platform/context/request-context';
import { requireUser, scopeOf } from '../platform/auth/scope';
import { AppError } from '../platform/errors/app-error';
import { DashboardInput } from './dto/supervision.inputs';
import { parsePeriod } from './period';

/**
 * One region (prefecture city) and month of the supervision dashboard. Ratios are exact decimal strings;
 * a figure is null when the context that owns its data is not installed or had nothing that month.
 */
@ObjectType('DashboardRow')
export class DashboardRow {
  @Field(() => String)
  regionCode: string;

  @Field(() => String, { nullable: true })
  regionName: string | null;

  @Field(() => String, { description: 'YYYY-MM' })
  month: string;

  @Field(() => String, { nullable: true, description: 'Accepted ÷ agreed quantity of agreements in effect' })
  agreementCompletion: string | null;

  @Field(() => String, { nullable: true, description: 'Non-winning share of VBP varieties purchased' })
  substitutionShare: string | null;

  @Field(() => String, { nullable: true, description: 'Delivered within SLA ÷ ordered' })
  deliveryRate: string | null;

  @Field(() => String, { nullable: true, description: 'VBP price index, first month of the range = 100' })
  vbpPriceIndex: string | null;

  @Field(() => String, { nullable: true, description: 'Non-VBP (listing) price index, first month of the range = 100' })
  nonVbpPriceIndex: string | null;

  @Field(() => String, { nullable: true, description: 'On-platform ÷ (on- + off-platform) purchase amount' })
  platformPurchaseRate: string | null;

  @Field(() => String, { nullable: true, description: 'Unpaid payables past due at month end (Money)' })
  overduePayables: string | null;

  @Field(() => String, { nullable: true, description: 'Pre-VBP price minus awarded price, times quantity bought (Money)' })
  savings: string | null;

  @Field(() => Int)
  openAlerts: number;
}

export { ExportFile } from '../platform/export/tabular-file';

const CITY = `(substr(r.region_code, 1, 4) || '00')`;
const MONTH_OF = (col: string) => `to_char(${col} AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM')`;
const MAX_MONTHS = 36;

type Figures = Omit<DashboardRow, 'regionName' | 'openAlerts'>;

@Injectable()
export class DashboardService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  async dashboard(ctx: RequestContext, input: DashboardInput): Promise<DashboardRow[]> {
    const user = requireUser(ctx);
    const scope = scopeOf(ctx);
    if (scope.kind === 'own' || user.role === 'SETTLEMENT_OFFICE') throw new AppError('FORBIDDEN', 'Dashboards are for regulators');
    const from = parsePeriod(input.fromMonth, this.clock.now(), 'input.fromMonth');
    const to = parsePeriod(input.toMonth, this.clock.now(), 'input.toMonth');
    if (to < from) throw new AppError('VALIDATION_FAILED', 'toMonth is on or after fromMonth', { field: 'input.toMonth' });
    const months = (parseInt(to.slice(0, 4), 10) - parseInt(from.slice(0, 4), 10)) * 12 + parseInt(to.slice(5, 7), 10) - parseInt(from.slice(5, 7), 10) + 1;
    if (months > MAX_MONTHS) throw new AppError('VALIDATION_FAILED', `A dashboard spans at most ${MAX_MONTHS} months`, { field: 'input.toMonth' });
    // the caller's region code (or the whole province for admins): region codes are prefix-comparable by level
    const regionPrefix = scope.kind === 'region' ? user.regionCode.replace(/(00)+$/, '') : '';
    const params = [from, to, `${regionPrefix}%`];
    const bounds = `r.region_code LIKE $3`;
    const range = (col: string) => `${col} >= ($1::date)::timestamp AT TIME ZONE 'Asia/Shanghai' AND ${col} < ($2::date + interval '1 month')::timestamp AT TIME ZONE 'Asia/Shanghai'`;
    const has = await this.views(['v_order_line_fact', 'v_volume_agreement', 'v_off_platform_purchase', 'v_payable_line']);
    const rows = new Map<string, Figures>();
    const row = (region: string, month: string) => {
      const key = `${region}|${month}`;
      if (!rows.has(key)) {
        rows.set(key, { regionCode: region, month, agreementCompletion: null, substitutionShare: null, deliveryRate: null, vbpPriceIndex: null, nonVbpPriceIndex: null, platformPurchaseRate: null, overduePayables: null, savings: null });
      }
      return rows.get(key)!;
    };
    const q = (sql: string) => this.db.reads.query<Record<string, string | null>[]>(sql, params);

    if (has.v_order_line_fact) {
      for (const r of await q(`SELECT ${CITY} AS region, ${MONTH_OF('ordered_at')} AS month,
            round(SUM(delivered_within_sla_quantity)::numeric / NULLIF(SUM(ordered_quantity), 0), 4)::text AS delivery
          FROM v_order_line_fact r WHERE ${bounds} AND ${range('ordered_at')} AND state NOT IN ('REJECTED','CANCELLED') GROUP BY 1, 2`)) {
        row(r.region!, r.month!).deliveryRate = r.delivery;
      }
      // price index per source, chained to each product's price in the first month it appears in the range
      for (const r of await q(`WITH p AS (
            SELECT ${CITY} AS region, ${MONTH_OF('ordered_at')} AS month, source, product_id,
                   SUM(unit_price * ordered_quantity) AS spend, SUM(ordered_quantity) AS qty
            FROM v_order_line_fact r WHERE ${bounds} AND ${range('ordered_at')} AND state NOT IN ('REJECTED','CANCELLED') AND ordered_quantity > 0
            GROUP BY 1, 2, 3, 4),
          base AS (SELECT DISTINCT ON (region, source, product_id) region, source, product_id, spend / qty AS base_price
                   FROM p ORDER BY region, source, product_id, month)
          SELECT p.region, p.month, p.source, round(100 * SUM(p.spend) / NULLIF(SUM(b.base_price * p.qty), 0), 2)::text AS idx
          FROM p JOIN base b USING (region, source, product_id) GROUP BY 1, 2, 3`)) {
        if (r.source === 'AGREEMENT') row(r.region!, r.month!).vbpPriceIndex = r.idx;
        else row(r.region!, r.month!).nonVbpPriceIndex = r.idx;
      }
    }
    if (has.v_order_line_fact && has.v_volume_agreement) {
      for (const r of await q(`WITH winners AS (SELECT DISTINCT variety_id, product_id FROM v_volume_agreement)
          SELECT ${CITY} AS region, ${MONTH_OF('r.ordered_at')} AS month,
            round(COALESCE(SUM(r.ordered_quantity) FILTER (WHERE w.product_id IS NULL), 0)::numeric / NULLIF(SUM(r.ordered_quantity), 0), 4)::text AS share,
            round(100 * SUM(r.accepted_quantity * (a.pre_vbp_unit_price - r.unit_price)) FILTER (WHERE r.source = 'AGREEMENT'))::text AS savings
          FROM v_order_line_fact r
          LEFT JOIN winners w ON w.variety_id = r.variety_id AND w.product_id = r.product_id
          LEFT JOIN v_volume_agreement a ON a.agreement_id = r.agreement_id
          WHERE ${bounds} AND ${range('r.ordered_at')} AND r.state NOT IN ('REJECTED','CANCELLED')
            AND r.variety_id IN (SELECT variety_id FROM winners)
          GROUP BY 1, 2`)) {
        const target = row(r.region!, r.month!);
        target.substitutionShare = r.share;
        target.savings = r.savings;
      }
    }
    if (has.v_volume_agreement) {
      for (const r of await q(`SELECT ${CITY} AS region, to_char(m, 'YYYY-MM') AS month,
            round(SUM(purchased_quantity)::numeric / NULLIF(SUM(agreed_quantity), 0), 4)::text AS completion
          FROM v_volume_agreement r, generate_series($1::date, $2::date, interval '1 month') AS m
          WHERE ${bounds} AND r.cycle_start < (m + interval '1 month')::timestamp AT TIME ZONE 'Asia/Shanghai'
            AND r.cycle_end > m::timestamp AT TIME ZONE 'Asia/Shanghai' AND r.state NOT IN ('CANCELLED','TERMINATED')
          GROUP BY 1, 2`)) {
        row(r.region!, r.month!).agreementCompletion = r.completion;
      }
    }
    if (has.v_order_line_fact && has.v_off_platform_purchase) {
      for (const r of await q(`WITH onp AS (
            SELECT ${CITY} AS region, ${MONTH_OF('ordered_at')} AS month, round(SUM(unit_price * ordered_quantity) * 100) AS fen
            FROM v_order_line_fact r WHERE ${bounds} AND ${range('ordered_at')} AND state NOT IN ('REJECTED','CANCELLED') GROUP BY 1, 2),
          offp AS (
            SELECT ${CITY} AS region, to_char(month, 'YYYY-MM') AS month, SUM(amount_fen) AS fen
            FROM v_off_platform_purchase r WHERE ${bounds} AND month BETWEEN $1::date AND $2::date GROUP BY 1, 2)
          SELECT COALESCE(onp.region, offp.region) AS region, COALESCE(onp.month, offp.month) AS month,
                 round(COALESCE(onp.fen, 0) / NULLIF(COALESCE(onp.fen, 0) + COALESCE(offp.fen, 0), 0), 4)::text AS rate
          FROM onp FULL JOIN offp ON onp.region = offp.region AND onp.month = offp.month`)) {
        row(r.region!, r.month!).platformPurchaseRate = r.rate;
      }
    }
    if (has.v_payable_line) {
      for (const r of await q(`SELECT ${CITY} AS region, to_char(m, 'YYYY-MM') AS month, SUM(amount_fen)::text AS fen
          FROM v_payable_line r, generate_series($1::date, $2::date, interval '1 month') AS m
          WHERE ${bounds} AND r.due_at < (m + interval '1 month')::timestamp AT TIME ZONE 'Asia/Shanghai'
            AND (r.paid_at IS NULL OR r.paid_at >= (m + interval '1 month')::timestamp AT TIME ZONE 'Asia/Shanghai')
          GROUP BY 1, 2`)) {
        row(r.region!, r.month!).overduePayables = r.fen;
      }
    }
    const alerts: { region: string; month: string; n: number }[] = await this.db.reads.query(
      `SELECT ${CITY} AS region, to_char(period, 'YYYY-MM') AS month, COUNT(*)::int AS n FROM alert r
        WHERE ${bounds} AND period BETWEEN $1::date AND $2::date AND state IN ('OPEN','INQUIRY','INTERVIEW') GROUP BY 1, 2`,
      params,
    );
    for (const a of alerts) row(a.region, a.month);
    const names: { code: string; name: string }[] = await this.db.reads.query(`SELECT code, name FROM region WHERE code = ANY($1::text[])`, [
      [...new Set([...rows.values()].map((r) => r.regionCode))],
    ]);
    return [...rows.values()]
      .map((r) => ({
        ...r,
        overduePayables: r.overduePayables === null ? null : formatFenAsYuan(BigInt(r.overduePayables)),
        savings: r.savings === null ? null : formatFenAsYuan(BigInt(r.savings)),
        regionName: names.find((n) => n.code === r.regionCode)?.name ?? null,
        openAlerts: alerts.find((a) => a.region === r.regionCode && a.month === r.month)?.n ?? 0,
      }))
      .sort((a, b) => a.month.localeCompare(b.month) || a.regionCode.localeCompare(b.regionCode));
  }

  async export(ctx: RequestContext, input: DashboardInput, format: string): Promise<ExportFile> {
    assertExportFormat(format);
    const rows = await this.dashboard(ctx, input);
    const columns: [keyof DashboardRow, string][] = [
      ['month', '月份'], ['regionCode', '地区代码'], ['regionName', '地区'], ['agreementCompletion', '协议完成率'],
      ['substitutionShare', '非中选替代占比'], ['deliveryRate', '配送率'], ['vbpPriceIndex', '集采价格指数'],
      ['nonVbpPriceIndex', '非集采价格指数'], ['platformPurchaseRate', '网采率'], ['overduePayables', '逾期货款(元)'],
      ['savings', '节约金额(元)'], ['openAlerts', '未结预警'],
    ];
    const base = `supervision-dashboard-${input.fromMonth}-${input.toMonth}`;
    return tabularFile(base, '监测看板', columns, rows, format);
  }

  private async views(names: string[]): Promise<Record<string, boolean>> {
    const rows: { name: string; present: boolean }[] = await this.db.reads.query(
      `SELECT name, to_regclass(name) IS NOT NULL AS present FROM unnest($1::text[]) AS name`,
      [names],
    );
    return Object.fromEntries(rows.map((r) => [r.name, r.present]));
  }
}
