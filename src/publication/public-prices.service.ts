import { Injectable } from '@nestjs/common';
import { Field, ID, InputType, ObjectType } from '@nestjs/graphql';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { Dec, formatUnitPrice } from '@libs/money';
import { Db } from '../platform/database/db';
import { Clock } from '../platform/clock/clock';
import { AppError } from '../platform/errors/app-error';
import { UnitPriceScalar } from '../platform/graphql/scalars';
import { stateEnum } from '../platform/graphql/state-enum';
import { LISTING_STATES, type ListingState } from '@libs/price-rules';

/** The state of a published price, from the listing context's own list of states. */
const PublicPriceStateEnum = stateEnum(LISTING_STATES, 'PublicPriceState', 'A published price: LISTED (orderable), SUSPENDED, WITHDRAWN or PENDING_REVIEW');
import { Page, PageArgs, paginateSql, SqlPageQuery } from '../platform/graphql/pagination';
import { assertExportFormat, ExportFile, TabularColumn, tabularFile } from '../platform/export/tabular-file';
import { addCalendarDays, isValidDateString, shanghaiDateOf, shanghaiMidnight } from '@libs/calendar';

/** Rounds whose results are public: from publicity (公示) on. Sealed or unopened rounds never leave the platform. */
export const PUBLIC_RESULT_ROUND_STATES = ['PUBLICIZED', 'CONFIRMED', 'IN_EFFECT', 'EXPIRED'];
/** Bids that carry volume: winners and bids revived at the revival price. */
const AWARDED = ['WINNER', 'REVIVED'];
export const ROUND_LEVELS = ['NATIONAL', 'ALLIANCE', 'PROVINCIAL', 'MUNICIPAL', 'HOSPITAL_GROUP'] as const;
/** Most rows one download carries; narrow the filter for more. */
export const MAX_EXPORT_ROWS = 50_000;

@InputType()
export class PublicPriceFilter {
  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID('all')
  varietyId?: string | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID('all')
  manufacturerId?: string | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID('all')
  productId?: string | null;

  @Field(() => String, { nullable: true, description: `VBP results: the round level, ${ROUND_LEVELS.join(', ')}; prices: only products awarded in a public round of that level` })
  @IsOptional()
  @IsIn([...ROUND_LEVELS], { message: `must be one of ${ROUND_LEVELS.join(', ')}` })
  level?: string | null;
}

@ObjectType('PublicPrice', { description: 'A listing price (挂网价) in force, or one period of its history' })
export class PublicPrice {
  @Field(() => ID) periodId: string;
  @Field(() => ID) listingId: string;
  @Field(() => ID) productId: string;
  @Field(() => String) productName: string;
  @Field(() => String) spec: string;
  @Field(() => String, { nullable: true }) dosageForm: string | null;
  @Field(() => String, { nullable: true }) approvalNumber: string | null;
  @Field(() => ID, { nullable: true }) varietyId: string | null;
  @Field(() => String, { nullable: true }) varietyName: string | null;
  @Field(() => ID) manufacturerId: string;
  @Field(() => String) manufacturerName: string;
  @Field(() => String) regionCode: string;
  @Field(() => UnitPriceScalar) unitPrice: string;
  @Field(() => PublicPriceStateEnum) state: ListingState;
  @Field(() => Date) validFrom: Date;
  @Field(() => Date, { nullable: true }) validTo: Date | null;
}

@ObjectType('PublicVbpResult', { description: 'An awarded bid of a public VBP round, with its price drops' })
export class PublicVbpResult {
  @Field(() => ID) bidId: string;
  @Field(() => ID) roundId: string;
  @Field(() => String) roundName: string;
  @Field(() => String) roundLevel: string;
  @Field(() => String) roundState: string;
  @Field(() => ID) lotId: string;
  @Field(() => String) lotName: string;
  @Field(() => ID) varietyId: string;
  @Field(() => ID) productId: string;
  @Field(() => String) productName: string;
  @Field(() => String) spec: string;
  @Field(() => ID) manufacturerId: string;
  @Field(() => String) manufacturerName: string;
  @Field(() => String, { description: 'WINNER or REVIVED' }) bidStatus: string;
  @Field(() => UnitPriceScalar, { description: 'Awarded price per unit of the spec' }) awardedUnitPrice: string;
  @Field(() => UnitPriceScalar, { description: 'The spec\'s ceiling (最高有效申报价) per unit' }) ceilingUnitPrice: string;
  @Field(() => String, { description: '1 − awarded ÷ ceiling, 4 decimals (0.5000 = 50% below the ceiling)' }) dropFromCeiling: string;
  @Field(() => UnitPriceScalar, { nullable: true, description: 'Quantity-weighted pre-VBP price per unit over the awarded agreements with a baseline' }) preVbpUnitPrice: string | null;
  @Field(() => String, { nullable: true, description: '1 − awarded ÷ pre-VBP price, 4 decimals' }) dropFromPreVbp: string | null;
  @Field(() => String, { description: 'Agreed quantity (units of the spec) across hospitals' }) agreedQuantity: string;
  @Field(() => Date, { nullable: true }) openedAt: Date | null;
  @Field(() => Date, { nullable: true }) confirmedAt: Date | null;
}

export type PublicPricePage = Page<PublicPrice>;

/** Raw rows of priceQuery and vbpQuery: the driver returns numeric columns as strings. */
type PriceRow = Record<string, unknown> & { unitPrice: string };
type VbpRow = Record<string, unknown> & { awardedUnitPrice: string; ceilingUnitPrice: string; preVbpUnitPrice: string | null };

/** 1 − price ÷ base, 4 decimals half-up; null without a positive base. */
function drop(price: string, base: string | null): string | null {
  if (base === null || !new Dec(base).gt(0)) return null;
  return new Dec(1).minus(new Dec(price).div(base)).toFixed(4, Dec.ROUND_HALF_UP);
}

/**
 * Public (no login) prices: listing prices in force and their history (listing's v_listing_price), and the
 * awarded results of public VBP rounds with their drops (tendering's v_round_result, agreements'
 * v_volume_agreement). Only published views and the public catalogue are read; sealed and unopened rounds,
 * bid prices of losing bids and who reviewed a price stay inside.
 */
@Injectable()
export class PublicPricesService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  private priceQuery(filter: PublicPriceFilter, inForce: boolean): SqlPageQuery {
    const where: string[] = [];
    const params: unknown[] = [];
    const p = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    if (inForce) {
      const now = p(this.clock.now());
      where.push(`h.state = 'LISTED'`, `h.valid_from <= ${now}`, `(h.valid_to IS NULL OR h.valid_to > ${now})`);
    } else {
      // the history shows prices that were in force (not applications under review)
      where.push(`h.state IN ('LISTED','SUSPENDED','WITHDRAWN')`);
    }
    if (filter.varietyId) where.push(`p.variety_id = ${p(filter.varietyId)}`);
    if (filter.manufacturerId) where.push(`h.manufacturer_id = ${p(filter.manufacturerId)}`);
    if (filter.productId) where.push(`h.product_id = ${p(filter.productId)}`);
    if (filter.level) {
      where.push(`EXISTS (SELECT 1 FROM v_round_result r WHERE r.product_id = h.product_id AND r.round_level = ${p(filter.level)}
                    AND r.round_state = ANY(${p(PUBLIC_RESULT_ROUND_STATES)}::text[]) AND r.bid_status = ANY(${p(AWARDED)}::text[]))`);
    }
    return {
      select: `h.period_id AS "periodId", h.listing_id AS "listingId", h.product_id AS "productId", p.name AS "productName", p.spec,
               p.dosage_form AS "dosageForm", p.approval_number AS "approvalNumber", p.variety_id AS "varietyId", v.name AS "varietyName",
               h.manufacturer_id AS "manufacturerId", o.name AS "manufacturerName", h.region_code AS "regionCode",
               h.unit_price::text AS "unitPrice", h.state, h.valid_from AS "validFrom", h.valid_to AS "validTo"`,
      from: `FROM v_listing_price h JOIN product p ON p.id = h.product_id LEFT JOIN variety v ON v.id = p.variety_id
             JOIN organisation o ON o.id = h.manufacturer_id`,
      where,
      params,
      sortExpr: 'h.valid_from',
      keyExpr: 'h.period_id',
    };
  }

  private vbpQuery(filter: PublicPriceFilter): SqlPageQuery {
    const params: unknown[] = [PUBLIC_RESULT_ROUND_STATES, AWARDED];
    const where = [`r.round_state = ANY($1::text[])`, `r.bid_status = ANY($2::text[])`];
    const p = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    if (filter.varietyId) where.push(`r.variety_id = ${p(filter.varietyId)}`);
    if (filter.manufacturerId) where.push(`r.manufacturer_id = ${p(filter.manufacturerId)}`);
    if (filter.productId) where.push(`r.product_id = ${p(filter.productId)}`);
    if (filter.level) where.push(`r.round_level = ${p(filter.level)}`);
    return {
      select: `r.bid_id AS "bidId", r.round_id AS "roundId", r.round_name AS "roundName", r.round_level AS "roundLevel", r.round_state AS "roundState",
               r.lot_id AS "lotId", r.lot_name AS "lotName", r.variety_id AS "varietyId", r.product_id AS "productId", p.name AS "productName", r.spec,
               r.manufacturer_id AS "manufacturerId", o.name AS "manufacturerName", r.bid_status AS "bidStatus",
               COALESCE(r.awarded_unit_price, r.unit_price)::text AS "awardedUnitPrice", r.ceiling_unit_price::text AS "ceilingUnitPrice",
               pre.unit_price::text AS "preVbpUnitPrice", r.agreed_quantity::text AS "agreedQuantity", r.opened_at AS "openedAt", r.confirmed_at AS "confirmedAt"`,
      // the pre-VBP price: agreed-quantity-weighted over the bid's agreements whose hospital has a baseline
      from: `FROM v_round_result r JOIN product p ON p.id = r.product_id JOIN organisation o ON o.id = r.manufacturer_id
             LEFT JOIN LATERAL (
               SELECT round(sum(a.pre_vbp_unit_price * a.agreed_quantity) / nullif(sum(a.agreed_quantity), 0), 4) AS unit_price
                 FROM v_volume_agreement a
                WHERE a.bid_id = r.bid_id AND a.pre_vbp_unit_price IS NOT NULL AND a.takes_over_agreement_id IS NULL) pre ON true`,
      where,
      params,
      sortExpr: 'r.opened_at',
      keyExpr: 'r.bid_id',
    };
  }

  private toPrice(r: PriceRow): PublicPrice {
    return { ...(r as unknown as PublicPrice), unitPrice: formatUnitPrice(r.unitPrice) };
  }

  private toResult(r: VbpRow): PublicVbpResult {
    const awarded = formatUnitPrice(r.awardedUnitPrice);
    const pre = r.preVbpUnitPrice === null ? null : formatUnitPrice(r.preVbpUnitPrice);
    return {
      ...(r as unknown as PublicVbpResult),
      awardedUnitPrice: awarded,
      ceilingUnitPrice: formatUnitPrice(r.ceilingUnitPrice),
      preVbpUnitPrice: pre,
      dropFromCeiling: drop(awarded, r.ceilingUnitPrice)!,
      dropFromPreVbp: drop(awarded, pre),
    };
  }

  async prices(filter: PublicPriceFilter, page: PageArgs, inForce: boolean): Promise<Page<PublicPrice>> {
    const result = await paginateSql<PriceRow>(this.db.reads, this.priceQuery(filter, inForce), page);
    return { ...result, nodes: result.nodes.map((r) => this.toPrice(r)) };
  }

  async vbpResults(filter: PublicPriceFilter, page: PageArgs): Promise<Page<PublicVbpResult>> {
    await this.requireRoundViews();
    const result = await paginateSql<VbpRow>(this.db.reads, this.vbpQuery(filter), page);
    return { ...result, nodes: result.nodes.map((r) => this.toResult(r)) };
  }

  async exportPrices(filter: PublicPriceFilter, format: string, inForce: boolean): Promise<ExportFile> {
    assertExportFormat(format);
    const rows = (await this.all<PriceRow>(this.priceQuery(filter, inForce))).map((r) => this.toPrice(r));
    const columns: TabularColumn<PublicPrice>[] = [
      ['productName', '产品名称'], ['spec', '规格'], ['dosageForm', '剂型'], ['approvalNumber', '批准文号'], ['varietyName', '品种'],
      ['manufacturerName', '生产企业'], ['regionCode', '地区代码'], ['unitPrice', '挂网单价(元)'], ['state', '状态'], ['validFrom', '生效时间'], ['validTo', '失效时间'],
    ];
    const stamp = this.clock.now().toISOString().slice(0, 10);
    return tabularFile(`${inForce ? 'prices-in-force' : 'price-history'}-${stamp}`, inForce ? '挂网价格' : '价格历史', columns, rows, format);
  }

  async exportVbpResults(filter: PublicPriceFilter, format: string): Promise<ExportFile> {
    assertExportFormat(format);
    await this.requireRoundViews();
    const rows = (await this.all<VbpRow>(this.vbpQuery(filter))).map((r) => this.toResult(r));
    const columns: TabularColumn<PublicVbpResult>[] = [
      ['roundName', '批次'], ['roundLevel', '级别'], ['lotName', '品种'], ['productName', '产品名称'], ['spec', '规格'], ['manufacturerName', '中选企业'],
      ['awardedUnitPrice', '中选单价(元)'], ['ceilingUnitPrice', '最高有效申报价(元)'], ['dropFromCeiling', '较最高有效申报价降幅'],
      ['preVbpUnitPrice', '集采前单价(元)'], ['dropFromPreVbp', '较集采前降幅'], ['agreedQuantity', '约定采购量'],
    ];
    return tabularFile(`vbp-results-${this.clock.now().toISOString().slice(0, 10)}`, '集采结果', columns, rows, format);
  }

  /**
   * The daily price-sharing file for other provinces: every listing price in force at the end of `date`
   * (Asia/Shanghai), in exactly the columns the reference-price import reads (provinceCode, approvalNumber,
   * unitPrice, effectiveOn, source), so another platform imports it as it stands.
   */
  async sharingFile(date: string, format: string): Promise<ExportFile> {
    assertExportFormat(format);
    if (!isValidDateString(date)) throw new AppError('VALIDATION_FAILED', '日期格式应为 YYYY-MM-DD', { field: 'date' });
    if (date > shanghaiDateOf(this.clock.now())) throw new AppError('VALIDATION_FAILED', '不能下载未来日期的价格文件', { field: 'date' });
    const endOfDay = shanghaiMidnight(addCalendarDays(date, 1));
    const [home] = await this.db.manager.query<{ code: string }[]>(`SELECT substr(region_code, 1, 2) || '0000' AS code FROM organisation WHERE kind = 'PLATFORM' ORDER BY created_at LIMIT 1`);
    const provinceCode = home?.code ?? '410000';
    const rows = await this.db.manager.query<{ approvalNumber: string; unitPrice: string; validFrom: Date }[]>(
      `SELECT coalesce(p.approval_number, p.registration_number) AS "approvalNumber", h.unit_price::text AS "unitPrice", h.valid_from AS "validFrom"
         FROM listing_price_history h JOIN product p ON p.id = h.product_id
        WHERE h.state = 'LISTED' AND h.valid_from < $1 AND (h.valid_to IS NULL OR h.valid_to >= $1)
        ORDER BY 1, h.valid_from
        LIMIT ${MAX_EXPORT_ROWS + 1}`,
      [endOfDay],
    );
    if (rows.length > MAX_EXPORT_ROWS) throw new AppError('VALIDATION_FAILED', `价格文件超过${MAX_EXPORT_ROWS}行`, { field: 'date' });
    const source = `${provinceCode}省级医药集中采购平台挂网价（截至${date}日终）`;
    const lines = rows.map((r) => ({ provinceCode, approvalNumber: r.approvalNumber, unitPrice: r.unitPrice, effectiveOn: shanghaiDateOf(r.validFrom), source }));
    const columns: TabularColumn<(typeof lines)[number]>[] = [
      ['provinceCode', 'provinceCode'], ['approvalNumber', 'approvalNumber'], ['unitPrice', 'unitPrice'], ['effectiveOn', 'effectiveOn'], ['source', 'source'],
    ];
    return tabularFile(`price-sharing-${provinceCode}-${date}`, '挂网价格共享', columns, lines, format);
  }

  private async all<R>(q: SqlPageQuery): Promise<R[]> {
    const where = q.where.length ? `WHERE ${q.where.join(' AND ')}` : '';
    const rows = await this.db.reads.query<R[]>(`SELECT ${q.select} ${q.from} ${where} ORDER BY ${q.sortExpr}, ${q.keyExpr} LIMIT ${MAX_EXPORT_ROWS + 1}`, q.params);
    if (rows.length > MAX_EXPORT_ROWS) throw new AppError('VALIDATION_FAILED', `下载最多${MAX_EXPORT_ROWS}行，请缩小筛选范围`, { field: 'filter' });
    return rows;
  }

  private async requireRoundViews(): Promise<void> {
    const [{ present }] = await this.db.reads.query<{ present: boolean }[]>(`SELECT to_regclass('v_round_result') IS NOT NULL AND to_regclass('v_volume_agreement') IS NOT NULL AS present`);
    if (!present) throw new AppError('NOT_AVAILABLE', 'Round results are not published on this platform yet');
  }
}

