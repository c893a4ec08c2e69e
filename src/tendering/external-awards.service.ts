import { createHash, randomUUID } from 'crypto';
import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import { Dec } from '@libs/money';
import { allocate, parseDecimal, regionDemand, RoundInput, RoundResult as EngineResult, shareFactor, TIE_BREAK_KEYS } from '@libs/vbp-rules';
import { shanghaiDateOf, shanghaiMidnight } from '@libs/calendar';
import { Db } from '../platform/database/db';
import { AuditService } from '../platform/audit/audit.service';
import { canonicalJson } from '../platform/audit/canonical-json';
import { Clock } from '../platform/clock/clock';
import { JobsService } from '../platform/jobs/jobs.service';
import { logger } from '../platform/logging/logger';
import { RequestContext, systemContext } from '../platform/context/request-context';
import { AppError, notFound } from '../platform/errors/app-error';
import { pathWithin, requireUser } from '../platform/auth/scope';
import { base64DecodedBytes, FILE_IMPORT_MAX_BYTES, payloadTooLarge } from '../platform/http/body-limits';
import { parseCsv, readXlsxRecords } from '../platform/import/tabular-import';
import { AGREEMENT_ISSUANCE, AgreementIssuance } from '../platform/ports/context-ports';
import { VBP_SOURCES, VbpSource } from '../platform/ports/vbp-source';
import { Organisation } from '../catalog/organisations/organisation.entity';
import { Product, Variety, VarietySpec } from '../catalog/products/product.entity';
import { Region } from '../catalog/regions/region.entity';
import { Lot, LotSpec, Round, RoundState } from './round.entity';
import { Demand } from './demand.entity';
import { BidResult, RoundResult } from './result.entity';
import { ExternalAwardBatch, ExternalAwardFormat, ExternalAwardVersion } from './external-award.entity';
import {
  agreementPriceOf,
  AwardFault,
  AwardRow,
  checkCoverage,
  checkRows,
  diffContents,
  ExternalAwardContent,
  ExternalAwardVariety,
  rowsFromJson,
  rowsFromRecords,
  sortFaults,
} from './external-awards-file';
import { ExternalAwardImport, ImportExternalAwardsInput, ImportExternalAwardsJsonInput, VbpVarietiesInForce } from './dto/external-awards.types';
import { canManage } from './round-access';
import { chooseRuleSet, storeRuleSet } from './rule-sets';
import { CURRENT_TENDERING_POLICY, tenderingPolicy } from './tendering-policy';
import { TenderingErrors } from './tendering.errors';
import { PublicityService } from './publicity.service';
import { refreshPlatformBaselines } from './demand-baselines';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const EXTERNAL_IMPLEMENT_JOB = 'tendering.external-implement';
export const REFRESH_BASELINES_JOB = 'tendering.refresh-demand-baselines';
const MAX_ROWS = 20_000;
const IMPLEMENTED_STATES: RoundState[] = ['CONFIRMED', 'IN_EFFECT', 'EXPIRED'];

export const ExternalAwardErrors = {
  invalid: (faults: AwardFault[]) =>
    new AppError('IMPORT_FILE_INVALID', `${faults[0].row !== null ? `第 ${faults[0].row} 行 ${faults[0].column} 列` : faults[0].field}：${faults[0].message}；共 ${faults.length} 处错误，文件未导入任何内容`, {
      field: faults[0].field,
      row: faults[0].row,
      column: faults[0].column,
      line: faults[0].row,
      errors: faults.slice(0, 200),
    }),
  implemented: () => new AppError('EXTERNAL_AWARDS_IMPLEMENTED', '该批次结果已执行（已生成协议），不能再以更正文件替换', { field: 'input' }),
};

/**
 * 国家组织和联盟集采结果落地: a regulator imports a national or alliance batch's results (CSV, XLSX or JSON); the
 * batch becomes a round of source NATIONAL or ALLIANCE in DEMAND_REPORTING, hospitals report demand for its
 * lots, and at the demand deadline the results are implemented: the file's winners and regions fill the
 * round's result, the engine's own volume (rule 9) and allocation (rule 11) steps give each hospital its
 * quantity and winner, and the confirmation path of the platform's rounds writes agreements and prepayments.
 */
@Injectable()
export class ExternalAwardsService implements OnModuleInit {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly jobs: JobsService,
    private readonly publicity: PublicityService,
    @Inject(AGREEMENT_ISSUANCE) private readonly agreements: AgreementIssuance,
  ) {}

  onModuleInit() {
    this.jobs.register(EXTERNAL_IMPLEMENT_JOB, async () => void (await this.implementDue()), { cron: '* * * * *' });
    // nightly (02:00 Asia/Shanghai): last year's demand baselines from the platform's receipts
    this.jobs.register(REFRESH_BASELINES_JOB, async () => {
      const year = Number(shanghaiDateOf(this.clock.now()).slice(0, 4)) - 1;
      await this.db.transaction((em) => refreshPlatformBaselines(em, { year }));
    }, { cron: '0 18 * * *' });
  }

  // ---- import -------------------------------------------------------------------------------------------

  async importFile(ctx: RequestContext, input: ImportExternalAwardsInput): Promise<ExternalAwardImport> {
    requireUser(ctx);
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(input.contentBase64.replace(/\s/g, ''))) throw TenderingErrors.invalid('input.contentBase64', '不是 base64 编码');
    if (base64DecodedBytes(input.contentBase64) > FILE_IMPORT_MAX_BYTES) throw payloadTooLarge(FILE_IMPORT_MAX_BYTES, '导入文件', 'input.contentBase64');
    const content = Buffer.from(input.contentBase64, 'base64');
    if (!content.length) throw TenderingErrors.invalid('input.contentBase64', '文件为空');
    const records = input.format === 'CSV' ? parseCsv(content.toString('utf8')) : await readXlsxRecords(content, 14);
    if (!records) throw TenderingErrors.invalid('input.contentBase64', '不是可读取的 XLSX 文件');
    const { rows, faults } = rowsFromRecords(records);
    if (faults.length) throw ExternalAwardErrors.invalid(faults);
    if (rows.length > MAX_ROWS) throw TenderingErrors.invalid('input.contentBase64', `每个文件最多 ${MAX_ROWS} 行`);
    return this.importRows(ctx, rows, {
      format: input.format as ExternalAwardFormat,
      fileName: input.fileName ?? null,
      fileSha256: createHash('sha256').update(content).digest('hex'),
      demandDeadline: input.demandDeadline ?? null,
    });
  }

  async importJson(ctx: RequestContext, input: ImportExternalAwardsJsonInput): Promise<ExternalAwardImport> {
    requireUser(ctx);
    const rows = rowsFromJson(input);
    if (rows.length > MAX_ROWS) throw TenderingErrors.invalid('input.varieties', `最多 ${MAX_ROWS} 条中选价格`);
    return this.importRows(ctx, rows, { format: 'JSON', fileName: null, fileSha256: null, demandDeadline: input.demandDeadline ?? null });
  }

  private async importRows(
    ctx: RequestContext,
    rows: AwardRow[],
    meta: { format: ExternalAwardFormat; fileName: string | null; fileSha256: string | null; demandDeadline: Date | null },
  ): Promise<ExternalAwardImport> {
    const user = requireUser(ctx);
    return this.db.transaction(async (em) => {
      const content = await this.validate(em, ctx, rows);
      const contentSha256 = createHash('sha256').update(canonicalJson(content)).digest('hex');
      // one importer of a batch at a time: the advisory lock covers the first import, the row lock later ones
      await em.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`external_award_batch:${content.batchCode}`]);
      const batch = await em.createQueryBuilder(ExternalAwardBatch, 'b').setLock('pessimistic_write').where('b.code = :code', { code: content.batchCode }).getOne();
      const now = this.clock.now();
      if (!batch) {
        if (!meta.demandDeadline) throw TenderingErrors.invalid('input.demandDeadline', '首次导入须给出本省报量截止时间');
        this.checkTimes(meta.demandDeadline, content, rows[0]);
        const round = await this.createRound(em, ctx, content, meta.demandDeadline);
        const created = await em.save(
          em.create(ExternalAwardBatch, {
            code: content.batchCode,
            level: content.level,
            allianceName: content.allianceName,
            roundId: round.id,
            currentVersion: 1,
            ownerRegionCode: user.regionCode,
            ownerRegionPath: user.regionPath,
            createdAt: now,
          }),
        );
        const version = await this.saveVersion(em, ctx, created, 1, content, contentSha256, meta, []);
        await this.audit.record(em, ctx, {
          action: 'external-awards.imported',
          entityType: 'external_award_batch',
          entityId: created.id,
          data: { code: created.code, level: created.level, version: 1, roundId: round.id, contentSha256, fileSha256: meta.fileSha256, format: meta.format, varieties: version.varietyCount, winners: version.winnerCount },
        });
        return { batch: created, version, unchanged: false };
      }
      if (!pathWithin(batch.ownerRegionPath, user.regionPath) && user.role !== 'PLATFORM_ADMIN') throw new AppError('FORBIDDEN', '该批次由其他地区的监管部门导入', { field: 'batchCode' });
      const current = await em.findOneOrFail(ExternalAwardVersion, { where: { batchId: batch.id, version: batch.currentVersion } });
      // the same results again (in any format): idempotent, nothing written
      if (current.contentSha256 === contentSha256 && !meta.demandDeadline) return { batch, version: current, unchanged: true };
      if (current.contentSha256 === contentSha256 && meta.demandDeadline) {
        const round = await em.findOneOrFail(Round, { where: { id: batch.roundId } });
        if (round.demandDeadline.getTime() === meta.demandDeadline.getTime()) return { batch, version: current, unchanged: true };
      }
      if (content.level !== batch.level) {
        throw ExternalAwardErrors.invalid([{ ...rows[0].locate('level'), message: `批次 ${batch.code} 已按 ${batch.level} 导入，层级不能更改` }]);
      }
      const round = await em.createQueryBuilder(Round, 'r').setLock('pessimistic_write').where('r.id = :id', { id: batch.roundId }).getOneOrFail();
      if (round.state !== 'DEMAND_REPORTING') throw ExternalAwardErrors.implemented();
      const demandDeadline = meta.demandDeadline ?? round.demandDeadline;
      if (meta.demandDeadline) this.checkTimes(meta.demandDeadline, content, rows[0]);
      else if (shanghaiMidnight(content.cycleStart).getTime() <= round.demandDeadline.getTime() + 1000) {
        throw ExternalAwardErrors.invalid([{ ...rows[0].locate('cycleStart'), message: '采购周期须在本省报量截止之后开始' }]);
      }
      const diff = current.contentSha256 === contentSha256 ? [] : diffContents(current.content, content);
      const next = batch.currentVersion + (current.contentSha256 === contentSha256 ? 0 : 1);
      const applied = await this.applyToRound(em, round, content, demandDeadline, next);
      let version = current;
      if (next !== batch.currentVersion) {
        batch.currentVersion = next;
        batch.allianceName = content.allianceName;
        await em.save(batch);
        version = await this.saveVersion(em, ctx, batch, next, content, contentSha256, meta, diff);
      }
      await this.audit.record(em, ctx, {
        action: 'external-awards.corrected',
        entityType: 'external_award_batch',
        entityId: batch.id,
        data: { code: batch.code, version: next, contentSha256, fileSha256: meta.fileSha256, format: meta.format, changes: diff.length, demandDeadline: demandDeadline.toISOString(), ...applied },
      });
      return { batch, version, unchanged: false };
    });
  }

  private checkTimes(demandDeadline: Date, content: ExternalAwardContent, first: AwardRow): void {
    if (demandDeadline.getTime() <= this.clock.now().getTime()) throw TenderingErrors.invalid('input.demandDeadline', '报量截止时间须在将来');
    if (shanghaiMidnight(content.cycleStart).getTime() <= demandDeadline.getTime() + 1000) {
      throw ExternalAwardErrors.invalid([{ ...first.locate('cycleStart'), message: '采购周期须在本省报量截止之后开始' }]);
    }
  }

  /** Structural checks, then the catalogue: every fault of the file at once, or the normalised content. */
  private async validate(em: EntityManager, ctx: RequestContext, rows: AwardRow[]): Promise<ExternalAwardContent> {
    const user = requireUser(ctx);
    const { checked, faults } = checkRows(rows);
    if (!checked) throw ExternalAwardErrors.invalid(sortFaults(faults));
    const bad = (row: AwardRow, column: Parameters<AwardRow['locate']>[0], message: string) => faults.push({ ...row.locate(column), message });

    const varietyCodes = [...checked.varieties.keys()];
    const varietyRows = await em.find(Variety, { where: { code: In(varietyCodes) } });
    const varietyByCode = new Map(varietyRows.map((v) => [v.code, v]));
    const specRows = varietyRows.length ? await em.find(VarietySpec, { where: { varietyId: In(varietyRows.map((v) => v.id)) } }) : [];
    const manufacturerCodes = [...new Set(checked.rows.map((r) => r.manufacturerCode))];
    const manufacturers = new Map((await em.find(Organisation, { where: { code: In(manufacturerCodes) } })).map((o) => [o.code, o]));
    const numbers = [...new Set(checked.rows.map((r) => r.approvalNumber))];
    const products = await em.find(Product, { where: [{ approvalNumber: In(numbers) }, { registrationNumber: In(numbers) }] });
    const productByNumber = new Map<string, Product>();
    for (const p of products) {
      if (p.approvalNumber) productByNumber.set(p.approvalNumber, p);
      if (p.registrationNumber) productByNumber.set(p.registrationNumber, p);
    }
    const regionRows = checked.regions.length ? await em.find(Region, { where: { code: In(checked.regions) } }) : [];
    const regionByCode = new Map(regionRows.map((r) => [r.code, r]));

    for (const [code, v] of checked.varieties) {
      const variety = varietyByCode.get(code);
      if (!variety) {
        bad(v.firstRow, 'varietyCode', `目录中没有品种 ${code}`);
        continue;
      }
      for (const [spec, s] of v.specs) if (!specRows.some((x) => x.varietyId === variety.id && x.spec === spec)) bad(s.row, 'spec', `品种 ${code} 没有规格 ${spec}`);
      for (const w of v.winners.values()) {
        for (const [column, list] of [['primaryRegions', w.primary], ['backupRegions', w.backup]] as const) {
          for (const regionCode of list) {
            const region = regionByCode.get(regionCode);
            if (!region) bad(w.row, column, `地区 ${regionCode} 不存在`);
            else if (!pathWithin(region.path, user.regionPath)) bad(w.row, column, `地区 ${regionCode}（${region.name}）不在本省（您的辖区）内`);
          }
        }
      }
    }
    // covered regions may not contain one another (a city and one of its districts)
    for (const a of regionRows) for (const b of regionRows) if (a.code !== b.code && pathWithin(a.path, b.path)) bad(rows[0], 'primaryRegions', `地区 ${a.code} 属于 ${b.code}，二者不能同时作为供应地区`);
    for (const r of checked.rows) {
      if (!r.manufacturerCode || !r.approvalNumber) continue; // refused above already
      const manufacturer = manufacturers.get(r.manufacturerCode);
      if (!manufacturer || manufacturer.kind !== 'MANUFACTURER') bad(r.row, 'manufacturerCode', `没有代码为 ${r.manufacturerCode} 的生产企业`);
      const product = productByNumber.get(r.approvalNumber);
      if (!product) {
        bad(r.row, 'approvalNumber', `没有批准文号/注册证号为 ${r.approvalNumber} 的产品`);
        continue;
      }
      if (manufacturer && product.manufacturerId !== manufacturer.id) bad(r.row, 'approvalNumber', `产品 ${r.approvalNumber} 不属于企业 ${r.manufacturerCode}`);
      const variety = varietyByCode.get(r.varietyCode);
      const spec = variety ? specRows.find((x) => x.varietyId === variety.id && x.spec === r.spec) : undefined;
      if (variety && spec && product.varietySpecId !== spec.id && !(product.varietyId === variety.id && product.spec === r.spec)) {
        bad(r.row, 'approvalNumber', `产品 ${r.approvalNumber} 不是品种 ${r.varietyCode} 规格 ${r.spec} 的产品`);
      }
    }
    const validRegions = new Set(regionRows.filter((r) => pathWithin(r.path, user.regionPath)).map((r) => r.code));
    faults.push(...checkCoverage(checked, validRegions));
    if (faults.length) throw ExternalAwardErrors.invalid(sortFaults(faults));

    const varieties: ExternalAwardVariety[] = [...checked.varieties.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([code, v]) => {
        const variety = varietyByCode.get(code)!;
        const specs = [...v.specs.entries()]
          .map(([spec, s]) => {
            const row = specRows.find((x) => x.varietyId === variety.id && x.spec === spec)!;
            return { spec, varietySpecId: row.id, comparableFactor: new Dec(s.factor ?? row.comparableFactor).toFixed() };
          })
          .sort((a, b) => a.spec.localeCompare(b.spec));
        const winners = [...v.winners.entries()]
          .map(([mfr, w]) => ({
            manufacturerCode: mfr,
            manufacturerId: manufacturers.get(mfr)!.id,
            primaryRegions: [...w.primary].sort(),
            backupRegions: [...w.backup].sort(),
            prices: checked.rows
              .filter((r) => r.varietyCode === code && r.manufacturerCode === mfr)
              .map((r) => ({ spec: r.spec, approvalNumber: r.approvalNumber, unitPrice: r.unitPrice, productId: productByNumber.get(r.approvalNumber)!.id }))
              .sort((a, b) => a.spec.localeCompare(b.spec)),
          }))
          .sort((a, b) => a.manufacturerCode.localeCompare(b.manufacturerCode));
        return { code, varietyId: variety.id, specs, winners };
      });
    return { ...checked.batch, regions: checked.regions, varieties };
  }

  private async ruleSetFor(em: EntityManager, content: ExternalAwardContent, version: number) {
    // the batch's volume rule as a rule set: one share and one cycle whatever the winner count; the pricing
    // fields are the engine's defaults and unused (the file gives the awarded prices)
    const ruleSet = {
      priceRatio: '1.8',
      anchor: 'LOWEST',
      lowPriceThreshold: null,
      ceilingReduction: null,
      shortlist: { minus: 0, max: 10 },
      revival: false,
      tieBreak: [...TIE_BREAK_KEYS],
      volumeShareByWinners: [content.volumeShare],
      cycleYearsByWinners: [content.cycleYears],
    };
    const chosen = chooseRuleSet({ customJson: JSON.stringify(ruleSet) });
    return storeRuleSet(em, { ...chosen, description: `${content.level === 'NATIONAL' ? '国家组织' : content.allianceName}集采 ${content.batchCode} 第 ${version} 版：约定采购量为报量的 ${content.volumeShare}，周期 ${content.cycleYears} 年` });
  }

  private async createRound(em: EntityManager, ctx: RequestContext, content: ExternalAwardContent, demandDeadline: Date): Promise<Round> {
    const user = requireUser(ctx);
    const ruleSet = await this.ruleSetFor(em, content, 1);
    const paths = await this.regionPaths(em, content.regions);
    const now = this.clock.now();
    const round = await em.save(
      em.create(Round, {
        name: content.level === 'NATIONAL' ? `国家组织集中带量采购（${content.batchCode}）` : `${content.allianceName}集中带量采购（${content.batchCode}）`,
        level: content.level,
        source: content.level as VbpSource,
        allianceName: content.allianceName,
        state: 'DEMAND_REPORTING',
        ownerRegionCode: user.regionCode,
        ownerRegionPath: user.regionPath,
        coveredRegionCodes: content.regions,
        coveredRegionPaths: paths,
        ruleSetVersionId: ruleSet.id,
        demandDeadline,
        bidDeadline: new Date(demandDeadline.getTime() + 1000),
        cycleStart: shanghaiMidnight(content.cycleStart),
        cycleEnd: null,
        publicityDays: 1,
        publicityEndsAt: null,
        policyVersion: CURRENT_TENDERING_POLICY.version,
        previousRoundId: null,
        cancelReason: null,
        publishedAt: now,
        openedAt: null,
        confirmedAt: null,
        // no bids are ever sealed for an external round: the mode is moot
        sealingMode: 'DEMO_SINGLE_KEY',
        openingThreshold: null,
        sealingPublicKey: null,
        sealingKeyCreatedAt: null,
      }),
    );
    for (const [i, variety] of content.varieties.entries()) await this.writeLot(em, round.id, i + 1, variety);
    await this.audit.record(em, ctx, {
      action: 'round.created',
      entityType: 'round',
      entityId: round.id,
      data: { name: round.name, level: round.level, source: round.source, coveredRegionCodes: round.coveredRegionCodes, ruleSet: { code: ruleSet.code, version: ruleSet.version }, lots: content.varieties.length, externalBatch: content.batchCode },
    });
    await this.audit.record(em, ctx, { action: 'round.publish', entityType: 'round', entityId: round.id, data: { from: 'DRAFT', to: 'DEMAND_REPORTING', source: round.source } });
    return round;
  }

  private async regionPaths(em: EntityManager, codes: string[]): Promise<string[]> {
    const rows = await em.find(Region, { where: { code: In(codes) } });
    return codes.map((c) => rows.find((r) => r.code === c)!.path);
  }

  private async writeLot(em: EntityManager, roundId: string, seq: number, variety: ExternalAwardVariety): Promise<Lot> {
    const catalogue = await em.findOneOrFail(Variety, { where: { id: variety.varietyId } });
    const lot = await em.save(em.create(Lot, { roundId, seq, varietyId: variety.varietyId, name: catalogue.name, referenceUnit: catalogue.referenceUnit }));
    await this.writeSpecs(em, lot.id, variety);
    return lot;
  }

  /** A lot's specs from the file: the factor given, and the highest awarded price as its ceiling. */
  private async writeSpecs(em: EntityManager, lotId: string, variety: ExternalAwardVariety): Promise<void> {
    await em.insert(
      LotSpec,
      variety.specs.map((s) => {
        const prices = variety.winners.flatMap((w) => w.prices.filter((p) => p.spec === s.spec).map((p) => new Dec(p.unitPrice)));
        return { lotId, varietySpecId: s.varietySpecId, spec: s.spec, comparableFactor: s.comparableFactor, ceilingUnitPrice: Dec.max(...prices).toFixed(4) };
      }),
    );
  }

  /** A corrected version before implementation: the round's terms, lots and specs follow the new content. */
  private async applyToRound(em: EntityManager, round: Round, content: ExternalAwardContent, demandDeadline: Date, version: number): Promise<Record<string, number>> {
    const ruleSet = await this.ruleSetFor(em, content, version);
    round.coveredRegionCodes = content.regions;
    round.coveredRegionPaths = await this.regionPaths(em, content.regions);
    round.cycleStart = shanghaiMidnight(content.cycleStart);
    round.demandDeadline = demandDeadline;
    round.bidDeadline = new Date(demandDeadline.getTime() + 1000);
    round.ruleSetVersionId = ruleSet.id;
    round.allianceName = content.allianceName;
    await em.save(round);
    const lots = await em.find(Lot, { where: { roundId: round.id } });
    const wanted = new Set(content.varieties.map((v) => v.varietyId));
    let demandDropped = 0;
    for (const lot of lots.filter((l) => !wanted.has(l.varietyId))) {
      demandDropped += (await em.delete(Demand, { lotId: lot.id })).affected ?? 0;
      await em.delete(Lot, { id: lot.id });
    }
    let seq = lots.reduce((m, l) => Math.max(m, l.seq), 0);
    for (const variety of content.varieties) {
      const lot = lots.find((l) => l.varietyId === variety.varietyId);
      if (!lot) await this.writeLot(em, round.id, ++seq, variety);
      else {
        await em.delete(LotSpec, { lotId: lot.id });
        await this.writeSpecs(em, lot.id, variety);
      }
    }
    // demand reported in a region the corrected results no longer cover has no winner: the hospital reports again
    const result = await em.query<unknown[]>(`DELETE FROM tender_demand WHERE round_id = $1 AND NOT (supply_region_code = ANY($2::text[])) RETURNING id`, [round.id, content.regions]);
    const removed = Array.isArray(result[0]) ? result[0] : result;
    demandDropped += removed.length;
    return { demandDropped };
  }

  private async saveVersion(
    em: EntityManager,
    ctx: RequestContext,
    batch: ExternalAwardBatch,
    version: number,
    content: ExternalAwardContent,
    contentSha256: string,
    meta: { format: ExternalAwardFormat; fileName: string | null; fileSha256: string | null },
    diff: ReturnType<typeof diffContents>,
  ): Promise<ExternalAwardVersion> {
    return em.save(
      em.create(ExternalAwardVersion, {
        batchId: batch.id,
        version,
        format: meta.format,
        fileName: meta.fileName,
        contentSha256,
        fileSha256: meta.fileSha256,
        content,
        diff,
        varietyCount: content.varieties.length,
        winnerCount: content.varieties.reduce((n, v) => n + v.winners.length, 0),
        importedBy: requireUser(ctx).id,
        importedAt: this.clock.now(),
      }),
    );
  }

  // ---- implementation: demand → result → agreements ----------------------------------------------------

  async implement(ctx: RequestContext, batchId: string): Promise<Round> {
    return this.db.transaction(async (em) => {
      const batch = await em.findOne(ExternalAwardBatch, { where: { id: batchId } });
      if (!batch) throw notFound('External award batch', 'batchId');
      const round = await em.createQueryBuilder(Round, 'r').setLock('pessimistic_write').where('r.id = :id', { id: batch.roundId }).getOneOrFail();
      if (!canManage(ctx, round)) throw notFound('External award batch', 'batchId');
      return this.implementLocked(em, ctx, batch, round);
    });
  }

  /** The scheduler: every external round whose demand deadline has passed is implemented, each in its own transaction. */
  async implementDue(): Promise<number> {
    const due = await this.db.manager
      .createQueryBuilder(Round, 'r')
      .where(`r.state = 'DEMAND_REPORTING' AND r.source <> 'PROVINCIAL' AND r.demand_deadline <= :now AND EXISTS (SELECT 1 FROM external_award_batch b WHERE b.round_id = r.id)`, { now: this.clock.now() })
      .getMany();
    let done = 0;
    for (const candidate of due) {
      await this.db
        .transaction(async (em) => {
          const round = await em.createQueryBuilder(Round, 'r').setLock('pessimistic_write').where('r.id = :id', { id: candidate.id }).getOneOrFail();
          if (round.state !== 'DEMAND_REPORTING') return;
          const batch = await em.findOneOrFail(ExternalAwardBatch, { where: { roundId: round.id } });
          await this.implementLocked(em, systemContext('tendering.external-implement'), batch, round);
          done++;
        })
        .catch((error) => logger.error({ err: error, roundId: candidate.id }, 'implementing external awards failed'));
    }
    return done;
  }

  private async implementLocked(em: EntityManager, ctx: RequestContext, batch: ExternalAwardBatch, round: Round): Promise<Round> {
    const now = this.clock.now();
    if (IMPLEMENTED_STATES.includes(round.state)) throw new AppError('INVALID_STATE', '该批次结果已执行', { field: 'batchId' });
    if (round.state !== 'DEMAND_REPORTING') throw new AppError('INVALID_STATE', `轮次处于 ${round.state} 状态，不能执行`, { field: 'batchId' });
    if (now.getTime() < round.demandDeadline.getTime()) {
      throw new AppError('DEADLINE_NOT_REACHED', `报量截止（${round.demandDeadline.toISOString()}）之后才能执行`, { field: 'batchId' });
    }
    const version = await em.findOneOrFail(ExternalAwardVersion, { where: { batchId: batch.id, version: batch.currentVersion } });
    const content = version.content;
    const lots = await em.find(Lot, { where: { roundId: round.id }, order: { seq: 'ASC' } });
    const specs = lots.length ? await em.find(LotSpec, { where: { lotId: In(lots.map((l) => l.id)) }, order: { comparableFactor: 'ASC', id: 'ASC' } }) : [];
    const demand = await em.find(Demand, { where: { roundId: round.id }, order: { hospitalId: 'ASC' } });
    const regions = [...round.coveredRegionCodes];
    const share = shareFactor(parseDecimal(content.volumeShare));
    const importedAt = version.importedAt.toISOString();

    const input: RoundInput & { external: Record<string, unknown> } = { ruleSet: {} as never, lots: [], external: { batchId: batch.id, batchCode: batch.code, level: batch.level, version: version.version, contentSha256: version.contentSha256 } };
    const output: EngineResult = { lots: [] };
    const bidRows: Omit<BidResult, never>[] = [];
    for (const lot of lots) {
      const variety = content.varieties.find((v) => v.varietyId === lot.varietyId)!;
      const lotSpecs = specs.filter((s) => s.lotId === lot.id);
      const specIdOf = new Map(lotSpecs.map((s) => [s.spec, s.id]));
      const factorOf = new Map(lotSpecs.map((s) => [s.spec, s.comparableFactor]));
      // one result row per winner × spec; the winner's agreement spec is its reference spec (or smallest)
      const allocationBidOf = new Map<string, string>();
      const bids: { id: string; manufacturerId: string; productId: string; spec: string; unitPrice: string; rank: number }[] = [];
      variety.winners.forEach((w, i) => {
        const main = agreementPriceOf(variety, w);
        for (const p of w.prices) {
          const id = randomUUID();
          bids.push({ id, manufacturerId: w.manufacturerId, productId: p.productId, spec: p.spec, unitPrice: p.unitPrice, rank: i + 1 });
          if (p === main) allocationBidOf.set(w.manufacturerCode, id);
        }
      });
      const primaryBid = regions.map((r) => allocationBidOf.get(variety.winners.find((w) => w.primaryRegions.includes(r))!.manufacturerCode)!);
      const backupBid = regions.map((r) => {
        const w = variety.winners.find((x) => x.backupRegions.includes(r));
        return w ? allocationBidOf.get(w.manufacturerCode)! : null;
      });
      const lotDemand = demand
        .filter((d) => d.lotId === lot.id && regions.includes(d.supplyRegionCode))
        .map((d) => ({ hospitalId: d.hospitalId, regionId: d.supplyRegionCode, quantity: d.quantity, preferredManufacturerId: d.preferredManufacturerId }));
      const byManufacturer = new Map(variety.winners.map((w) => [w.manufacturerId, allocationBidOf.get(w.manufacturerCode)!]));
      const { regionIndexOfLine } = regionDemand(regions, lotDemand);
      // rules 9 and 11 of the engine: round-half-up(quantity × share) per line; the preferred winner, else the region's primary
      const { allocations, agreedQuantity } = allocate(lotDemand, regionIndexOfLine, primaryBid, byManufacturer, share);
      input.lots.push({
        id: lot.id,
        specs: lotSpecs.map((s) => ({ id: s.id, comparableFactor: s.comparableFactor, ceilingUnitPrice: s.ceilingUnitPrice })),
        regions,
        demand: lotDemand,
        bids: bids.map((b) => ({ id: b.id, manufacturerId: b.manufacturerId, specId: specIdOf.get(b.spec)!, unitPrice: b.unitPrice, submittedAt: importedAt })),
      });
      const comparable = (b: (typeof bids)[number]) => new Dec(b.unitPrice).div(factorOf.get(b.spec)!).toDecimalPlaces(6, Dec.ROUND_HALF_UP).toFixed(6);
      output.lots.push({
        id: lot.id,
        status: 'AWARDED',
        validBidCount: bids.length,
        shortlistCap: bids.length,
        anchorUnitComparablePrice: null,
        revivalUnitComparablePrice: null,
        winnerCount: variety.winners.length,
        volumeShare: content.volumeShare,
        cycleYears: content.cycleYears,
        agreedQuantity,
        bids: bids.map((b) => ({ id: b.id, status: 'WINNER', reason: null, rank: b.rank, unitComparablePrice: comparable(b), awardedUnitPrice: b.unitPrice })),
        regions: regions.map((r, i) => ({ regionId: r, primaryBidId: primaryBid[i], backupBidId: backupBid[i] })),
        allocations,
      });
      for (const b of bids) {
        bidRows.push({
          bidId: b.id,
          roundId: round.id,
          lotId: lot.id,
          manufacturerId: b.manufacturerId,
          productId: b.productId,
          lotSpecId: specIdOf.get(b.spec)!,
          unitPrice: b.unitPrice,
          status: 'WINNER',
          reason: null,
          rank: b.rank,
          unitComparablePrice: comparable(b),
          awardedUnitPrice: b.unitPrice,
          // no sealed bid stands behind an imported award: the commitment names the version it came from
          commitment: createHash('sha256').update(`${version.contentSha256}|${b.id}`).digest('hex'),
          salt: '',
        });
      }
    }
    await em.insert(RoundResult, { roundId: round.id, ruleSetVersionId: round.ruleSetVersionId, engineInput: input as never, engineOutput: output as never, openedAt: now, openedByUserId: ctx.user?.id ?? null });
    if (bidRows.length) await em.insert(BidResult, bidRows);
    round.openedAt = now;
    round.publicityEndsAt = now;
    round.state = 'PUBLICIZED';
    await em.save(round);
    // retained savings price the agreements against last year's purchases: bring the platform's figures up to date
    const lastYear = Number(shanghaiDateOf(round.cycleStart).slice(0, 4)) - 1;
    if (demand.length) await refreshPlatformBaselines(em, { year: lastYear, hospitalIds: [...new Set(demand.map((d) => d.hospitalId))], varietyIds: lots.map((l) => l.varietyId) });
    const { lines, cycleEnd } = await this.publicity.agreementLines(em, round);
    round.confirmedAt = now;
    round.cycleEnd = cycleEnd;
    round.state = 'CONFIRMED';
    await em.save(round);
    await this.audit.record(em, ctx, {
      action: 'round.confirm',
      entityType: 'round',
      entityId: round.id,
      data: { from: 'DEMAND_REPORTING', to: 'CONFIRMED', source: round.source, externalBatchId: batch.id, version: version.version, contentSha256: version.contentSha256, demandLines: demand.length, agreements: lines.length },
    });
    const policy = tenderingPolicy(round.policyVersion);
    await this.agreements.createForRound(em, ctx, round, lines, { share: policy.prepaymentShare, policyVersion: policy.version });
    return round;
  }

  // ---- reads --------------------------------------------------------------------------------------------

  /** The batches the caller's region imported (regulators see their region's and those above it... and below). */
  async batches(ctx: RequestContext): Promise<ExternalAwardBatch[]> {
    return this.visibleBatches(ctx).orderBy('b.created_at', 'DESC').getMany();
  }

  async batch(ctx: RequestContext, id: string): Promise<ExternalAwardBatch> {
    // an id that is not a uuid names no batch (as before: not a malformed-input error from the database)
    const found = UUID.test(id) ? await this.visibleBatches(ctx).andWhere('b.id = :id', { id }).getOne() : null;
    if (!found) throw notFound('External award batch', 'id');
    return found;
  }

  private visibleBatches(ctx: RequestContext) {
    const user = requireUser(ctx);
    const qb = this.db.manager.createQueryBuilder(ExternalAwardBatch, 'b');
    if (user.role !== 'PLATFORM_ADMIN') qb.where('(b.owner_region_path = :p OR b.owner_region_path LIKE :pl OR :p LIKE b.owner_region_path || :slash)', { p: user.regionPath, pl: `${user.regionPath}/%`, slash: '/%' });
    return qb;
  }

  /** 国家、联盟、省级集采品种数: distinct varieties of confirmed rounds whose cycle has not ended, by source. */
  async varietiesInForce(ctx: RequestContext, at?: Date | null): Promise<VbpVarietiesInForce[]> {
    requireUser(ctx);
    const instant = at ?? this.clock.now();
    const rows = await this.db.manager.query<{ source: VbpSource; varieties: number; rounds: number }[]>(
      `SELECT r.source, count(DISTINCT l.variety_id)::int AS varieties, count(DISTINCT r.id)::int AS rounds
         FROM tender_round r JOIN tender_lot l ON l.round_id = r.id
        WHERE r.state IN ('CONFIRMED', 'IN_EFFECT') AND r.cycle_end > $1
          AND EXISTS (SELECT 1 FROM volume_agreement a WHERE a.round_id = r.id AND a.lot_id = l.id)
        GROUP BY r.source`,
      [instant],
    );
    const order: VbpSource[] = ['NATIONAL', 'ALLIANCE', 'PROVINCIAL'];
    return order.filter((s) => VBP_SOURCES.includes(s)).map((level) => ({ level, varieties: rows.find((r) => r.source === level)?.varieties ?? 0, rounds: rows.find((r) => r.source === level)?.rounds ?? 0 }));
  }
}
