import { Injectable } from '@nestjs/common';
import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import ExcelJS from 'exceljs';
import { In } from 'typeorm';
import { Dec, formatFenAsYuan } from '@libs/money';
import { Db } from '../platform/database/db';
import { ReadPolicy } from '../platform/auth/read-policy';
import type { Role } from '../platform/auth/roles';
import { Clock } from '../platform/clock/clock';
import { RequestContext } from '../platform/context/request-context';
import { pathWithin, requireUser } from '../platform/auth/scope';
import { AppError } from '../platform/errors/app-error';
import { ExportFile } from '../platform/export/tabular-file';
import { KpiLevel, KpiLevelEnum } from './kpi-levels';
import { KpiScopeInput } from './dto/kpi.inputs';
import { KpiTarget } from './kpi-target.entity';
import { currentPeriod, parsePeriod, previousPeriod } from './period';
import { purchaseFactsSql } from './purchase-facts-sql';


const KPI_READERS = ['REGULATOR', 'SETTLEMENT_OFFICE', 'PLATFORM_ADMIN'] as const satisfies readonly Role[];

/** The KPIs, in the order the report and the cockpit show them (definitions: docs/kpis.md). */
export const KPI_DEFINITIONS = [
  { code: 'DRUG_PLATFORM_SHARE', name: '药品网采率（不含中药饮片）', unit: 'RATIO', kind: 'FLOW', payment: false },
  { code: 'DRUG_PLATFORM_SHARE_REPORTED', name: '药品网采率（仅自报线下采购）', unit: 'RATIO', kind: 'FLOW', payment: false },
  { code: 'HIGH_VALUE_CONSUMABLE_PLATFORM_SHARE', name: '高值医用耗材网采率', unit: 'RATIO', kind: 'FLOW', payment: false },
  { code: 'HIGH_VALUE_CONSUMABLE_PLATFORM_SHARE_REPORTED', name: '高值医用耗材网采率（仅自报线下采购）', unit: 'RATIO', kind: 'FLOW', payment: false },
  { code: 'VBP_DRUG_VARIETIES', name: '执行中的集采药品品种数', unit: 'COUNT', kind: 'STOCK', payment: false },
  { code: 'VBP_CONSUMABLE_CLASSES', name: '执行中的集采高值耗材类别数', unit: 'COUNT', kind: 'STOCK', payment: false },
  { code: 'PRICE_DROP_VS_CEILING', name: '中选价较最高有效申报价平均降幅（按量加权）', unit: 'RATIO', kind: 'STOCK', payment: false },
  { code: 'PRICE_DROP_VS_PRE_VBP', name: '中选价较集采前价格平均降幅（按量加权）', unit: 'RATIO', kind: 'STOCK', payment: false },
  { code: 'AGREEMENT_COMPLETION', name: '协议量完成进度（按周期进度折算）', unit: 'RATIO', kind: 'STOCK', payment: false },
  { code: 'DELIVERY_RATE', name: '配送率（时限内配送）', unit: 'RATIO', kind: 'FLOW', payment: false },
  { code: 'PAYMENT_ON_TIME', name: '回款及时率（验收后30日内）', unit: 'RATIO', kind: 'FLOW', payment: true },
  { code: 'RETAINED_SAVINGS', name: '集采节约资金', unit: 'MONEY', kind: 'FLOW', payment: false },
] as const;
export type KpiCode = (typeof KPI_DEFINITIONS)[number]['code'];

@ReadPolicy({ roles: KPI_READERS, note: 'part of the kpis result, scoped by the service' })
@ObjectType('KpiScope')
export class KpiScope {
  @Field(() => KpiLevelEnum)
  level: KpiLevel;

  @Field(() => String, { description: 'Region code (province, city) or the hospital\'s public code' })
  code: string;

  @Field(() => String)
  name: string;

  @Field(() => ID, { nullable: true, description: 'The hospital\'s id (hospital scope)' })
  hospitalId: string | null;
}

@ReadPolicy({ roles: KPI_READERS, note: 'part of the kpis result, scoped by the service' })
@ObjectType('KpiPoint')
export class KpiPoint {
  @Field(() => String, { description: 'YYYY-MM' })
  month: string;

  @Field(() => String, { nullable: true })
  value: string | null;
}

@ReadPolicy({ roles: KPI_READERS, note: 'part of the kpis result, scoped by the service' })
@ObjectType('KpiFigure')
export class KpiFigure {
  @Field(() => String)
  code: string;

  @Field(() => String)
  name: string;

  @Field(() => String, { description: 'RATIO (0–1, 4 decimals), COUNT or MONEY (yuan)' })
  unit: string;

  @Field(() => String, { nullable: true, description: 'The target in force at the period\'s end (none for savings)' })
  target: string | null;

  @Field(() => Int, { nullable: true })
  targetVersion: number | null;

  @Field(() => String, { nullable: true, description: 'AT_LEAST or AT_MOST' })
  comparator: string | null;

  @Field(() => String, { nullable: true, description: 'The month\'s figure (stock figures: at the month\'s end)' })
  month: string | null;

  @Field(() => String, { nullable: true, description: 'January to the month (stock figures: at the month\'s end)' })
  yearToDate: string | null;

  @Field(() => Boolean, { nullable: true, description: 'Whether the year-to-date figure meets the target' })
  meetsTarget: boolean | null;

  @Field(() => [KpiPoint], { description: 'Each month of the year up to the period' })
  trend: KpiPoint[];
}

@ReadPolicy({ roles: KPI_READERS, note: 'part of the kpis result, scoped by the service' })
@ObjectType('KpiChildFigure')
export class KpiChildFigure {
  @Field(() => String)
  code: string;

  @Field(() => String, { nullable: true })
  month: string | null;

  @Field(() => String, { nullable: true })
  yearToDate: string | null;

  @Field(() => Boolean, { nullable: true })
  meetsTarget: boolean | null;
}

@ReadPolicy({ roles: KPI_READERS, note: 'part of the kpis result, scoped by the service' })
@ObjectType('KpiChild')
export class KpiChild {
  @Field(() => KpiScope)
  scope: KpiScope;

  @Field(() => [KpiChildFigure])
  figures: KpiChildFigure[];
}

@ReadPolicy({ roles: KPI_READERS, note: 'part of the kpis result, scoped by the service' })
@ObjectType('KpiPriceDrop')
export class KpiPriceDrop {
  @Field(() => ID)
  roundId: string;

  @Field(() => String)
  roundName: string;

  @Field(() => String)
  roundLevel: string;

  @Field(() => String, { description: 'Agreed quantity the drops are weighted by (units of the agreements\' products)' })
  agreedQuantity: string;

  @Field(() => String, { nullable: true })
  dropVsCeiling: string | null;

  @Field(() => String, { nullable: true, description: 'Null when no agreement of the batch has a pre-VBP price' })
  dropVsPreVbp: string | null;
}

@ReadPolicy({ roles: KPI_READERS, note: 'part of the kpis result, scoped by the service' })
@ObjectType('KpiLevelCount')
export class KpiLevelCount {
  @Field(() => String, { description: 'Round level: NATIONAL, ALLIANCE, PROVINCIAL, …' })
  level: string;

  @Field(() => Int)
  drugVarieties: number;

  @Field(() => Int)
  consumableClasses: number;
}

@ReadPolicy({ roles: KPI_READERS, note: 'part of the kpis result, scoped by the service' })
@ObjectType('KpiReport')
export class KpiReport {
  @Field(() => KpiScope)
  scope: KpiScope;

  @Field(() => String, { description: 'YYYY-MM' })
  period: string;

  @Field(() => [KpiFigure])
  figures: KpiFigure[];

  @Field(() => [KpiChild], { description: 'The cities of a province, the hospitals of a city (none below a hospital)' })
  children: KpiChild[];

  @Field(() => [KpiPriceDrop], { description: 'Per VBP batch (round) with agreements in force in the scope at the period\'s end' })
  priceDrops: KpiPriceDrop[];

  @Field(() => [KpiLevelCount], { description: 'VBP varieties and consumable classes in force by round level' })
  vbpByLevel: KpiLevelCount[];
}

// ---- the sums each figure is a ratio of, per unit (hospital) and month -----------------------------------

interface Sums {
  drugOn: bigint; drugRep: bigint; drugEst: bigint;
  hvOn: bigint; hvRep: bigint; hvEst: bigint;
  ordered: bigint; withinSla: bigint;
  due: bigint; paidOnTime: bigint;
  savings: bigint;
}
const zero = (): Sums => ({ drugOn: 0n, drugRep: 0n, drugEst: 0n, hvOn: 0n, hvRep: 0n, hvEst: 0n, ordered: 0n, withinSla: 0n, due: 0n, paidOnTime: 0n, savings: 0n });
function add(a: Sums, b: Partial<Sums>): void {
  for (const [k, v] of Object.entries(b) as [keyof Sums, bigint][]) a[k] += v;
}

interface Stock {
  expected: Dec; accepted: bigint;
}

interface Unit {
  hospitalId: string;
  regionCode: string;
}

const ratio = (num: Dec | bigint, den: Dec | bigint): string | null => {
  const d = new Dec(den.toString());
  if (d.isZero()) return null;
  return new Dec(num.toString()).div(d).toDecimalPlaces(4).toFixed(4);
};
/** on ÷ (on + off); null with no purchases at all. */
const share = (on: bigint, off: bigint) => ratio(on, on + off);
const maxBig = (a: bigint, b: bigint) => (a > b ? a : b);

const cityOf = (regionCode: string) => `${regionCode.slice(0, 4)}00`;

function monthsOfYear(period: string): string[] {
  const [y, m] = period.split('-').map(Number);
  return Array.from({ length: m }, (_, i) => `${y}-${String(i + 1).padStart(2, '0')}`);
}

type Row = Record<string, string | null>;

/**
 * The procurement targets measured (docs/kpis.md): per hospital, city or province, for a month and January
 * to that month, each against its target (kpi_target, versioned) with its monthly trend. Everything is read
 * from the contexts' published views plus catalog master data and supervision's own claims tables, in a
 * handful of set-based queries per report; ratios are exact decimals (4 places), money exact fen.
 */
@Injectable()
export class KpisService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  targets(): Promise<KpiTarget[]> {
    return this.db.manager.find(KpiTarget, { order: { code: 'ASC', version: 'DESC' } });
  }

  async report(ctx: RequestContext, scopeInput: KpiScopeInput | null | undefined, periodInput: string | null | undefined): Promise<KpiReport> {
    const user = requireUser(ctx);
    const paymentOnly = user.role === 'SETTLEMENT_OFFICE';
    if (user.role !== 'REGULATOR' && user.role !== 'PLATFORM_ADMIN' && !paymentOnly) throw new AppError('FORBIDDEN', '只有监管部门和医保经办机构可以查看考核指标');
    // by default the last complete month (Asia/Shanghai) by the platform clock
    const period = periodInput ? parsePeriod(periodInput, this.clock.now(), 'period').slice(0, 7) : previousPeriod(currentPeriod(this.clock.now())).slice(0, 7);
    const scope = await this.resolveScope(ctx, scopeInput);
    const months = monthsOfYear(period);
    const from = `${months[0]}-01`;
    const to = `${period}-01`;
    const prefix = scope.level === 'HOSPITAL' ? scope.regionCode : scope.level === 'CITY' ? scope.code.slice(0, 4) : scope.code.slice(0, 2);
    const like = `${prefix}%`;
    const hospitalFilter = scope.level === 'HOSPITAL' ? scope.hospitalId : null;
    const q = <T extends Row>(sql: string, params: unknown[]) => this.db.manager.query<T[]>(sql, params);

    // flows per hospital and month
    const flows = new Map<string, Map<string, Sums>>(); // hospital → month → sums
    const units = new Map<string, Unit>();
    const flow = (hospitalId: string, regionCode: string, month: string) => {
      if (hospitalFilter && hospitalId !== hospitalFilter) return null;
      if (!units.has(hospitalId)) units.set(hospitalId, { hospitalId, regionCode: regionCode.trim() });
      let byMonth = flows.get(hospitalId);
      if (!byMonth) flows.set(hospitalId, (byMonth = new Map<string, Sums>()));
      let sums = byMonth.get(month);
      if (!sums) byMonth.set(month, (sums = zero()));
      return sums;
    };
    const has = await this.views(['v_order_line_fact', 'v_off_platform_purchase', 'v_volume_agreement', 'v_payable_line', 'v_round_result']);
    if (has.v_order_line_fact && has.v_off_platform_purchase) {
      for (const r of await q<Row>(purchaseFactsSql('$1::date', '$2::date', '$3'), [from, to, like])) {
        const s = flow(r.hospital_id!, r.region_code!, r.month!);
        if (!s) continue;
        const on = BigInt(r.on_fen!), rep = BigInt(r.reported_off_fen!), est = BigInt(r.estimated_off_fen!);
        if (r.class === 'DRUG') add(s, { drugOn: on, drugRep: rep, drugEst: est });
        if (r.class === 'HIGH_VALUE_CONSUMABLE') add(s, { hvOn: on, hvRep: rep, hvEst: est });
      }
    }
    const range = (col: string) => `${col} >= ($1::date)::timestamp AT TIME ZONE 'Asia/Shanghai' AND ${col} < ($2::date + interval '1 month')::timestamp AT TIME ZONE 'Asia/Shanghai'`;
    const monthOf = (col: string) => `to_char(${col} AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM')`;
    if (has.v_order_line_fact) {
      for (const r of await q<Row>(
        `SELECT l.hospital_id, l.region_code, ${monthOf('l.ordered_at')} AS month, SUM(l.ordered_quantity)::text AS ordered,
                SUM(l.delivered_within_sla_quantity)::text AS sla
           FROM v_order_line_fact l WHERE ${range('l.ordered_at')} AND l.region_code LIKE $3 AND l.state NOT IN ('REJECTED','CANCELLED')
          GROUP BY 1, 2, 3`,
        [from, to, like],
      )) {
        const s = flow(r.hospital_id!, r.region_code!, r.month!);
        if (s) add(s, { ordered: BigInt(r.ordered!), withinSla: BigInt(r.sla!) });
      }
    }
    if (has.v_order_line_fact && has.v_volume_agreement) {
      for (const r of await q<Row>(
        `SELECT l.hospital_id, l.region_code, ${monthOf('l.ordered_at')} AS month,
                round(100 * SUM(l.accepted_quantity * (a.pre_vbp_unit_price - l.unit_price)))::text AS savings
           FROM v_order_line_fact l JOIN v_volume_agreement a ON a.agreement_id = l.agreement_id
          WHERE ${range('l.ordered_at')} AND l.region_code LIKE $3 AND l.state NOT IN ('REJECTED','CANCELLED')
            AND l.source = 'AGREEMENT' AND a.pre_vbp_unit_price IS NOT NULL
          GROUP BY 1, 2, 3`,
        [from, to, like],
      )) {
        const s = flow(r.hospital_id!, r.region_code!, r.month!);
        if (s) add(s, { savings: BigInt(r.savings!) });
      }
    }
    if (has.v_payable_line) {
      // lines falling due in the month (30 days after acceptance) and already due now; paid on time = paid by then
      for (const r of await q<Row>(
        `SELECT p.hospital_id, p.region_code, ${monthOf('p.due_at')} AS month, SUM(p.amount_fen)::text AS due,
                COALESCE(SUM(p.amount_fen) FILTER (WHERE p.paid_at IS NOT NULL AND p.paid_at <= p.due_at), 0)::text AS on_time
           FROM v_payable_line p WHERE ${range('p.due_at')} AND p.due_at <= $4 AND p.region_code LIKE $3 AND p.kind = 'RECEIPT'
          GROUP BY 1, 2, 3`,
        [from, to, like, this.clock.now()],
      )) {
        const s = flow(r.hospital_id!, r.region_code!, r.month!);
        if (s) add(s, { due: BigInt(r.due!), paidOnTime: BigInt(r.on_time!) });
      }
    }

    // agreement completion at each month's end, per hospital
    const stocks = new Map<string, Map<string, Stock>>();
    if (has.v_volume_agreement && has.v_order_line_fact) {
      for (const r of await q<Row>(
        `WITH ends AS (
           SELECT to_char(m, 'YYYY-MM') AS month, m::timestamp AT TIME ZONE 'Asia/Shanghai' AS from_at,
                  LEAST($4::timestamptz, (m + interval '1 month')::timestamp AT TIME ZONE 'Asia/Shanghai') AS as_of
             FROM generate_series($1::date, $2::date, interval '1 month') AS m)
         SELECT a.hospital_id, a.region_code, e.month,
                SUM(a.agreed_quantity * LEAST(1, GREATEST(0, EXTRACT(EPOCH FROM (e.as_of - a.cycle_start)) / NULLIF(EXTRACT(EPOCH FROM (a.cycle_end - a.cycle_start)), 0))))::text AS expected,
                SUM((SELECT COALESCE(SUM(l.accepted_quantity), 0) FROM v_order_line_fact l
                      WHERE l.agreement_id = a.agreement_id AND l.ordered_at < e.as_of AND l.state NOT IN ('REJECTED','CANCELLED')))::text AS accepted
           FROM v_volume_agreement a JOIN ends e ON a.cycle_start < e.as_of AND a.cycle_end > e.from_at
          WHERE a.region_code LIKE $3 AND a.state NOT IN ('CANCELLED','TERMINATED','SUPPLY_FAILED') AND a.agreed_quantity > 0
          GROUP BY 1, 2, 3`,
        [from, to, like, this.clock.now()],
      )) {
        if (hospitalFilter && r.hospital_id !== hospitalFilter) continue;
        if (!units.has(r.hospital_id!)) units.set(r.hospital_id!, { hospitalId: r.hospital_id!, regionCode: r.region_code!.trim() });
        let byMonth = stocks.get(r.hospital_id!);
        if (!byMonth) stocks.set(r.hospital_id!, (byMonth = new Map<string, Stock>()));
        byMonth.set(r.month!, { expected: new Dec(r.expected!), accepted: BigInt(r.accepted!) });
      }
    }

    // VBP varieties and classes in force at each month's end, and the batches' price drops at the period's end
    const inForce = has.v_volume_agreement && has.v_round_result
      ? await q<Row>(
          `WITH ends AS (
             SELECT to_char(m, 'YYYY-MM') AS month, LEAST($4::timestamptz, (m + interval '1 month')::timestamp AT TIME ZONE 'Asia/Shanghai') AS as_of
               FROM generate_series($1::date, $2::date, interval '1 month') AS m),
           rounds AS (SELECT DISTINCT round_id, round_level FROM v_round_result)
           SELECT e.month, r.round_level AS level, a.hospital_id, a.region_code,
                  CASE WHEN p.product_class = 'DRUG' THEN a.variety_id::text END AS drug_variety,
                  CASE WHEN p.product_class = 'HIGH_VALUE_CONSUMABLE' THEN COALESCE(p.national_category_code, a.variety_id::text) END AS consumable_class
             FROM v_volume_agreement a JOIN ends e ON a.cycle_start <= e.as_of AND a.cycle_end > e.as_of
             JOIN rounds r ON r.round_id = a.round_id JOIN product p ON p.id = a.product_id
            WHERE a.region_code LIKE $3 AND a.state NOT IN ('CANCELLED','TERMINATED','SUPPLY_FAILED')`,
          [from, to, like, this.clock.now()],
        )
      : [];
    const periodEnd = new Date(Math.min(this.clock.now().getTime(), new Date(`${nextMonth(period)}-01T00:00:00+08:00`).getTime()));
    const drops = has.v_volume_agreement && has.v_round_result
      ? await q<Row>(
          `WITH bids AS (SELECT DISTINCT ON (bid_id) bid_id, round_id, round_name, round_level, ceiling_unit_price FROM v_round_result)
           SELECT b.round_id, b.round_name, b.round_level, a.hospital_id, a.region_code,
                  SUM(a.agreed_quantity)::text AS qty,
                  SUM(a.agreed_quantity * a.awarded_unit_price)::text AS awarded,
                  SUM(a.agreed_quantity * b.ceiling_unit_price)::text AS ceiling,
                  SUM(a.agreed_quantity * a.awarded_unit_price) FILTER (WHERE a.pre_vbp_unit_price IS NOT NULL)::text AS awarded_with_pre,
                  SUM(a.agreed_quantity * a.pre_vbp_unit_price)::text AS pre
             FROM v_volume_agreement a JOIN bids b ON b.bid_id = a.bid_id
            WHERE a.region_code LIKE $1 AND a.cycle_start <= $2 AND a.cycle_end > $2 AND a.state NOT IN ('CANCELLED','TERMINATED','SUPPLY_FAILED')
            GROUP BY 1, 2, 3, 4, 5`,
          [like, periodEnd],
        )
      : [];

    // ---- aggregate ------------------------------------------------------------------------------------
    const targets = await this.targetsAt(`${period}-01`);
    // one scope's own rows: each child scope gets its share once, so a province's report is linear in its hospitals
    type Facts = { flows: typeof flows; stocks: typeof stocks; inForce: Row[]; drops: Row[] };
    const factsOf = (member: (hospitalId: string) => boolean): Facts => ({
      flows: new Map([...flows].filter(([h]) => member(h))),
      stocks: new Map([...stocks].filter(([h]) => member(h))),
      inForce: inForce.filter((r) => member(r.hospital_id!)),
      drops: drops.filter((r) => member(r.hospital_id!)),
    });
    const factsBy = (keyOf: (hospitalId: string) => string | null): Map<string, Facts> => {
      const grouped = new Map<string, Facts>();
      const of = (hospitalId: string) => {
        const key = keyOf(hospitalId);
        if (key === null) return null;
        let facts = grouped.get(key);
        if (!facts) grouped.set(key, (facts = { flows: new Map(), stocks: new Map(), inForce: [], drops: [] }));
        return facts;
      };
      for (const [h, byMonth] of flows) of(h)?.flows.set(h, byMonth);
      for (const [h, byMonth] of stocks) of(h)?.stocks.set(h, byMonth);
      for (const r of inForce) of(r.hospital_id!)?.inForce.push(r);
      for (const r of drops) of(r.hospital_id!)?.drops.push(r);
      return grouped;
    };
    const compute = (facts: Facts) => {
      const flowSums = (ms: string[]) => {
        const s = zero();
        for (const byMonth of facts.flows.values()) {
          for (const m of ms) {
            const v = byMonth.get(m);
            if (!v) continue;
            // off-platform per hospital-month: the larger of what it reported and what its claims show
            add(s, { ...v, drugEst: maxBig(v.drugRep, v.drugEst), hvEst: maxBig(v.hvRep, v.hvEst) });
          }
        }
        return s;
      };
      const completion = (m: string) => {
        let expected = new Dec(0), accepted = 0n;
        for (const byMonth of facts.stocks.values()) {
          const v = byMonth.get(m);
          if (v) { expected = expected.plus(v.expected); accepted += v.accepted; }
        }
        return ratio(new Dec(accepted.toString()), expected);
      };
      const counts = (m: string, level?: string) => {
        const drugs = new Set<string>(), classes = new Set<string>();
        for (const r of facts.inForce) {
          if (r.month !== m || (level && r.level !== level)) continue;
          if (r.drug_variety) drugs.add(r.drug_variety);
          if (r.consumable_class) classes.add(r.consumable_class);
        }
        return { drugs: drugs.size, classes: classes.size };
      };
      const dropRows = facts.drops;
      const dropOf = (rows: Row[]) => {
        const sum = (k: string) => rows.reduce((t, r) => t.plus(r[k] ?? '0'), new Dec(0));
        const vsCeiling = ratio(sum('awarded'), sum('ceiling'));
        const vsPre = ratio(sum('awarded_with_pre'), sum('pre'));
        return {
          qty: sum('qty'),
          vsCeiling: vsCeiling === null ? null : new Dec(1).minus(vsCeiling).toFixed(4),
          vsPre: vsPre === null ? null : new Dec(1).minus(vsPre).toFixed(4),
        };
      };
      const flowValue = (code: KpiCode, s: Sums): string | null => {
        switch (code) {
          case 'DRUG_PLATFORM_SHARE': return share(s.drugOn, s.drugEst);
          case 'DRUG_PLATFORM_SHARE_REPORTED': return share(s.drugOn, s.drugRep);
          case 'HIGH_VALUE_CONSUMABLE_PLATFORM_SHARE': return share(s.hvOn, s.hvEst);
          case 'HIGH_VALUE_CONSUMABLE_PLATFORM_SHARE_REPORTED': return share(s.hvOn, s.hvRep);
          case 'DELIVERY_RATE': return ratio(s.withinSla, s.ordered);
          case 'PAYMENT_ON_TIME': return ratio(s.paidOnTime, s.due);
          case 'RETAINED_SAVINGS': return formatFenAsYuan(s.savings);
          default: return null;
        }
      };
      const stockValue = (code: KpiCode, m: string): string | null => {
        switch (code) {
          case 'VBP_DRUG_VARIETIES': return String(counts(m).drugs);
          case 'VBP_CONSUMABLE_CLASSES': return String(counts(m).classes);
          case 'AGREEMENT_COMPLETION': return completion(m);
          case 'PRICE_DROP_VS_CEILING': return m === period && dropRows.length ? dropOf(dropRows).vsCeiling : null;
          case 'PRICE_DROP_VS_PRE_VBP': return m === period && dropRows.length ? dropOf(dropRows).vsPre : null;
          default: return null;
        }
      };
      const figures: KpiFigure[] = [];
      for (const def of KPI_DEFINITIONS) {
        if (paymentOnly && !def.payment) continue;
        const value = (m: string, ytd: boolean) =>
          def.kind === 'FLOW' ? flowValue(def.code, flowSums(ytd ? months.slice(0, months.indexOf(m) + 1) : [m])) : stockValue(def.code, m);
        const target = targets.get(def.code) ?? null;
        const ytd = value(period, true);
        figures.push({
          code: def.code, name: def.name, unit: def.unit,
          target: target ? new Dec(target.target).toFixed(def.unit === 'COUNT' ? 0 : 4) : null, targetVersion: target?.version ?? null, comparator: target?.comparator ?? null,
          month: value(period, false), yearToDate: ytd, meetsTarget: meets(ytd, target),
          trend: months.map((m) => ({ month: m, value: value(m, false) })),
        });
      }
      const byLevel = [...new Set(facts.inForce.filter((r) => r.month === period).map((r) => r.level!))].sort().map((level) => {
        const c = counts(period, level);
        return { level, drugVarieties: c.drugs, consumableClasses: c.classes };
      });
      const rounds = [...new Set(dropRows.map((r) => r.round_id!))].map((roundId) => {
        const rows = dropRows.filter((r) => r.round_id === roundId);
        const d = dropOf(rows);
        return { roundId, roundName: rows[0].round_name!, roundLevel: rows[0].round_level!, agreedQuantity: d.qty.toFixed(0), dropVsCeiling: d.vsCeiling, dropVsPreVbp: d.vsPre };
      }).sort((a, b) => a.roundName.localeCompare(b.roundName));
      return { figures, byLevel, rounds };
    };

    const main = compute(scope.level === 'HOSPITAL' ? factsOf((h) => h === scope.hospitalId) : { flows, stocks, inForce, drops });
    const children: KpiChild[] = [];
    if (scope.level !== 'HOSPITAL') {
      const childKey = scope.level === 'PROVINCE' ? (u: Unit) => cityOf(u.regionCode) : (u: Unit) => u.hospitalId;
      const keys = [...new Set([...units.values()].map(childKey))];
      const childScopes = await this.childScopes(scope.level === 'PROVINCE' ? 'CITY' : 'HOSPITAL', keys);
      const byChild = factsBy((h) => {
        const u = units.get(h);
        return u ? childKey(u) : null;
      });
      for (const child of childScopes) {
        const key = child.level === 'CITY' ? child.code : child.hospitalId!;
        const c = compute(byChild.get(key) ?? { flows: new Map(), stocks: new Map(), inForce: [], drops: [] });
        children.push({ scope: child, figures: c.figures.map((f) => ({ code: f.code, month: f.month, yearToDate: f.yearToDate, meetsTarget: f.meetsTarget })) });
      }
    }
    return {
      scope: { level: scope.level, code: scope.code, name: scope.name, hospitalId: scope.hospitalId },
      period,
      figures: main.figures,
      children,
      priceDrops: paymentOnly ? [] : main.rounds,
      vbpByLevel: paymentOnly ? [] : main.byLevel,
    };
  }

  /** The monthly report: the figures, the next level down and the batches' price drops, one sheet each. */
  async export(ctx: RequestContext, scopeInput: KpiScopeInput | null | undefined, period: string | null | undefined): Promise<ExportFile> {
    const report = await this.report(ctx, scopeInput, period);
    const workbook = new ExcelJS.Workbook();
    const main = workbook.addWorksheet('考核指标');
    main.columns = [
      { header: '指标代码', key: 'code', width: 34 }, { header: '指标', key: 'name', width: 40 }, { header: '目标', key: 'target', width: 10 },
      { header: '本月', key: 'month', width: 14 }, { header: '年初至今', key: 'yearToDate', width: 14 }, { header: '是否达标', key: 'meets', width: 10 },
      ...report.figures[0]?.trend.map((p) => ({ header: p.month, key: p.month, width: 12 })) ?? [],
    ];
    main.addRow({ code: `${report.scope.name}（${report.scope.code}） ${report.period}` });
    for (const f of report.figures) {
      main.addRow({
        code: f.code, name: f.name, target: f.target ?? '', month: f.month ?? '', yearToDate: f.yearToDate ?? '',
        meets: f.meetsTarget === null ? '' : f.meetsTarget ? '是' : '否', ...Object.fromEntries(f.trend.map((p) => [p.month, p.value ?? ''])),
      });
    }
    const down = workbook.addWorksheet(report.scope.level === 'PROVINCE' ? '分市' : '分医疗机构');
    down.columns = [{ header: '代码', key: 'code', width: 22 }, { header: '名称', key: 'name', width: 30 }, ...report.figures.map((f) => ({ header: `${f.name}（年初至今）`, key: f.code, width: 18 }))];
    for (const c of report.children) {
      down.addRow({ code: c.scope.code, name: c.scope.name, ...Object.fromEntries(c.figures.map((f) => [f.code, f.yearToDate ?? ''])) });
    }
    const batches = workbook.addWorksheet('集采批次降价');
    batches.columns = [
      { header: '批次', key: 'roundName', width: 40 }, { header: '层级', key: 'roundLevel', width: 12 }, { header: '协议量', key: 'agreedQuantity', width: 14 },
      { header: '较最高有效申报价降幅', key: 'dropVsCeiling', width: 18 }, { header: '较集采前价格降幅', key: 'dropVsPreVbp', width: 18 },
    ];
    for (const d of report.priceDrops) batches.addRow({ ...d, dropVsPreVbp: d.dropVsPreVbp ?? '' });
    const buffer = Buffer.from(await workbook.xlsx.writeBuffer());
    return {
      filename: `kpi-report-${report.scope.code}-${report.period}.xlsx`,
      contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      base64: buffer.toString('base64'),
    };
  }

  // ---- helpers ------------------------------------------------------------------------------------------

  /** The caller's scope by default; a regulator may ask for any scope within its region, nothing above it. */
  private async resolveScope(ctx: RequestContext, input: KpiScopeInput | null | undefined): Promise<KpiScope & { regionCode: string }> {
    const user = requireUser(ctx);
    const own = user.role === 'PLATFORM_ADMIN' ? null : user.regionCode;
    let level: KpiLevel, code: string;
    if (input) ({ level, code } = { level: input.level as KpiLevel, code: input.code });
    else if (own) ({ level, code } = { level: own.endsWith('0000') ? 'PROVINCE' : 'CITY', code: own.endsWith('0000') ? own : cityOf(own) });
    else {
      const [home] = await this.db.manager.query<{ region_code: string }[]>(`SELECT region_code FROM organisation WHERE kind = 'REGULATOR' AND region_code LIKE '__0000' ORDER BY created_at LIMIT 1`);
      if (!home) throw new AppError('NOT_FOUND', '尚未登记省级监管部门', { field: 'scope' });
      ({ level, code } = { level: 'PROVINCE', code: home.region_code });
    }
    let scope: KpiScope & { regionCode: string; path: string };
    if (level === 'HOSPITAL') {
      const [h] = await this.db.manager.query<{ id: string; code: string; name: string; region_code: string; path: string }[]>(
        `SELECT o.id, o.code, o.name, o.region_code, r.path FROM organisation o JOIN region r ON r.code = o.region_code WHERE o.kind = 'HOSPITAL' AND (o.code = $1 OR o.id::text = $1)`,
        [code],
      );
      if (!h) throw new AppError('NOT_FOUND', '没有这家医疗机构', { field: 'scope.code' });
      scope = { level, code: h.code, name: h.name, hospitalId: h.id, regionCode: h.region_code, path: h.path };
    } else {
      const expected = level === 'PROVINCE' ? /^\d{2}0000$/ : /^\d{4}00$/;
      const [r] = expected.test(code) ? await this.db.manager.query<{ code: string; name: string; path: string }[]>(`SELECT code, name, path FROM region WHERE code = $1`, [code]) : [];
      if (!r) throw new AppError('NOT_FOUND', level === 'PROVINCE' ? '没有这个省' : '没有这个市', { field: 'scope.code' });
      scope = { level, code: r.code, name: r.name, hospitalId: null, regionCode: r.code, path: r.path };
    }
    if (user.role !== 'PLATFORM_ADMIN' && !pathWithin(scope.path, user.regionPath)) throw new AppError('FORBIDDEN', '只能查看本辖区的考核指标');
    return scope;
  }

  private async childScopes(level: 'CITY' | 'HOSPITAL', keys: string[]): Promise<KpiScope[]> {
    if (!keys.length) return [];
    if (level === 'CITY') {
      const rows = await this.db.manager.query<{ code: string; name: string }[]>(`SELECT code, name FROM region WHERE code = ANY($1::text[]) ORDER BY code`, [keys]);
      return rows.map((r) => ({ level, code: r.code, name: r.name, hospitalId: null }));
    }
    const rows = await this.db.manager.query<{ id: string; code: string; name: string }[]>(`SELECT id, code, name FROM organisation WHERE id = ANY($1::uuid[]) ORDER BY code`, [keys]);
    return rows.map((r) => ({ level, code: r.code, name: r.name, hospitalId: r.id }));
  }

  /** Each KPI's target version in force on a day. */
  private async targetsAt(day: string): Promise<Map<string, KpiTarget>> {
    const rows = await this.db.manager.query<{ id: string }[]>(
      `SELECT DISTINCT ON (code) id FROM kpi_target WHERE effective_from <= $1::date AND (effective_to IS NULL OR effective_to > $1::date) ORDER BY code, version DESC`,
      [day],
    );
    const targets = rows.length ? await this.db.manager.findBy(KpiTarget, { id: In(rows.map((r) => r.id)) }) : [];
    return new Map(targets.map((t) => [t.code, t]));
  }

  private async views(names: string[]): Promise<Record<string, boolean>> {
    const rows = await this.db.manager.query<{ name: string; present: boolean }[]>(`SELECT name, to_regclass(name) IS NOT NULL AS present FROM unnest($1::text[]) AS name`, [names]);
    return Object.fromEntries(rows.map((r) => [r.name, r.present]));
  }
}

function meets(value: string | null, target: KpiTarget | null): boolean | null {
  if (value === null || !target) return null;
  const v = new Dec(value), t = new Dec(target.target);
  return target.comparator === 'AT_MOST' ? v.lte(t) : v.gte(t);
}

function nextMonth(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

