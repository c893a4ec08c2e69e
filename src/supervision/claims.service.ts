import { createHash } from 'crypto';
import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { MoneyFormatError, parseYuanToFen, sumFen } from '@libs/money';
import { validateInsuranceConsumableCode, validateInsuranceDrugCode } from '@libs/identity-codes';
import { shanghaiDateOf } from '@libs/calendar';
import { Db } from '../platform/database/db';
import { AuditService } from '../platform/audit/audit.service';
import { Clock } from '../platform/clock/clock';
import { RequestContext } from '../platform/context/request-context';
import { AppError } from '../platform/errors/app-error';
import { pathWithin, requireUser, scopeOf } from '../platform/auth/scope';
import { base64DecodedBytes, FILE_IMPORT_MAX_BYTES, payloadTooLarge } from '../platform/http/body-limits';
import { Organisation } from '../catalog/organisations/organisation.entity';
import { Product } from '../catalog/products/product.entity';
import { Region } from '../catalog/regions/region.entity';
import { csvRecords, FileRecord, xlsxRecords } from './claims-file';
import { InsuranceClaimImport, InsuranceClaimLine } from './insurance-claim.entity';
import { ImportInsuranceClaimsInput, InsuranceClaimImportFilter } from './dto/claims.inputs';

const MAX_ROWS = 50_000;
/** Each column by its English and Chinese header. */
const COLUMNS = {
  hospitalCode: ['hospitalCode', '医疗机构代码'],
  month: ['month', '结算月份'],
  insuranceCode: ['insuranceCode', '医保编码'],
  quantity: ['quantity', '数量'],
  amount: ['amount', '金额'],
} as const;
type Column = keyof typeof COLUMNS;

interface RowError {
  line: number;
  field: string;
  message: string;
}

interface ParsedRow {
  line: number;
  hospital: Organisation;
  month: string;
  insuranceCode: string;
  quantity: number;
  amountFen: bigint;
}

export interface ClaimsImportResult {
  imports: InsuranceClaimImport[];
  lineCount: number;
  unchanged: number;
}

const invalidFile = (errors: RowError[]) =>
  new AppError('IMPORT_FILE_INVALID', `第 ${errors[0].line} 行：${errors[0].message}；文件未导入`, { field: errors[0].field, line: errors[0].line, errors: errors.slice(0, 100) });

/**
 * Hospitals' insurance settlement lines (医保结算清单), the volume source independent of what hospitals report:
 * every row is checked first (any bad row refuses the whole file, with every row's problem); then each
 * hospital-month in the file replaces what an earlier import held for it. Importing the same file twice
 * changes nothing (`unchanged` counts the hospital-months whose lines were already exactly these).
 */
@Injectable()
export class ClaimsService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async import(ctx: RequestContext, input: ImportInsuranceClaimsInput): Promise<ClaimsImportResult> {
    const user = requireUser(ctx);
    if (!['REGULATOR', 'SETTLEMENT_OFFICE', 'PLATFORM_ADMIN'].includes(user.role)) throw new AppError('FORBIDDEN', '只有医保部门可以导入医保结算清单');
    if (base64DecodedBytes(input.contentBase64) > FILE_IMPORT_MAX_BYTES) throw payloadTooLarge(FILE_IMPORT_MAX_BYTES, '导入文件', 'input.contentBase64');
    const content = Buffer.from(input.contentBase64, 'base64');
    const records = input.format === 'CSV' ? csvRecords(content.toString('utf8')) : await xlsxRecords(content);
    if (records === null) throw new AppError('VALIDATION_FAILED', '不是可读取的 XLSX 文件', { field: 'input.contentBase64' });
    const rows = await this.parse(records);
    const scope = scopeOf(ctx);
    return this.db.transaction(async (em) => {
      const groups = new Map<string, ParsedRow[]>();
      for (const r of rows) {
        const key = `${r.hospital.id}|${r.month}`;
        if (!groups.has(key)) groups.set(key, []);
        groups.get(key)!.push(r);
      }
      const codes = [...new Set(rows.map((r) => r.insuranceCode))];
      const products = await em.find(Product, { where: { insuranceCode: In(codes) }, select: { id: true, insuranceCode: true } });
      const productOf = new Map(products.map((p) => [p.insuranceCode!, p.id]));
      const imports: InsuranceClaimImport[] = [];
      let unchanged = 0;
      for (const [key, group] of [...groups.entries()].sort(([a], [b]) => a.localeCompare(b))) {
        const [hospitalId, month] = key.split('|');
        const hospital = group[0].hospital;
        if (scope.kind === 'region' && !pathWithin(await this.regionPath(hospital.regionCode), scope.pathPrefix)) {
          throw invalidFile([{ line: group[0].line, field: 'hospitalCode', message: `${hospital.name}不在您的辖区内` }]);
        }
        // one writer per hospital-month: a concurrent import of the same month waits, then replaces
        await em.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`insurance_claims|${key}`]);
        const canonical = group.map((r) => `${r.insuranceCode},${r.quantity},${r.amountFen}`).sort().join('\n');
        const sha256 = createHash('sha256').update(canonical).digest('hex');
        const existing = await em.findOne(InsuranceClaimImport, { where: { hospitalId, month } });
        if (existing && existing.sha256 === sha256) {
          unchanged++;
          imports.push(existing);
          continue;
        }
        const row = existing ?? em.create(InsuranceClaimImport, { hospitalId, month, revision: 0 });
        Object.assign(row, {
          hospitalCode: hospital.code,
          regionCode: hospital.regionCode,
          lineCount: group.length,
          unmatchedLines: group.filter((r) => !productOf.has(r.insuranceCode)).length,
          amountFen: sumFen(group.map((r) => r.amountFen)),
          sha256,
          fileName: input.fileName ?? null,
          revision: row.revision + 1,
          importedAt: this.clock.now(),
          importedBy: user.id,
        });
        await em.save(row);
        if (existing) await em.delete(InsuranceClaimLine, { importId: row.id });
        for (let i = 0; i < group.length; i += 1000) {
          await em.insert(
            InsuranceClaimLine,
            group.slice(i, i + 1000).map((r) => ({
              importId: row.id, hospitalId, regionCode: hospital.regionCode, month, insuranceCode: r.insuranceCode,
              productId: productOf.get(r.insuranceCode) ?? null, quantity: r.quantity, amountFen: r.amountFen, lineNo: r.line,
            })),
          );
        }
        await this.audit.record(em, ctx, {
          action: existing ? 'insurance_claims.replaced' : 'insurance_claims.imported', entityType: 'insurance_claim_import', entityId: row.id,
          data: { hospitalId, month, lines: row.lineCount, amountFen: row.amountFen.toString(), sha256, revision: row.revision, fileName: row.fileName },
        });
        imports.push(row);
      }
      return { imports, lineCount: rows.length, unchanged };
    });
  }

  async list(ctx: RequestContext, filter: InsuranceClaimImportFilter = {}): Promise<InsuranceClaimImport[]> {
    const user = requireUser(ctx);
    if (!['REGULATOR', 'SETTLEMENT_OFFICE', 'PLATFORM_ADMIN'].includes(user.role)) throw new AppError('FORBIDDEN', '只有医保部门可以查看医保结算清单');
    const scope = scopeOf(ctx);
    const qb = this.db.manager.createQueryBuilder(InsuranceClaimImport, 'i').orderBy('i.month', 'DESC').addOrderBy('i.hospital_code', 'ASC').limit(1000);
    if (filter.month) qb.andWhere('i.month = :month', { month: `${filter.month}-01` });
    if (scope.kind === 'region') {
      qb.andWhere(`i.region_code IN (SELECT code FROM region WHERE path = :p OR path LIKE :pl)`, { p: scope.pathPrefix, pl: `${scope.pathPrefix}/%` });
    }
    return qb.getMany();
  }

  private async regionPath(code: string): Promise<string> {
    const region = await this.db.manager.findOne(Region, { where: { code } });
    return region?.path ?? '';
  }

  /** Every row checked; all problems reported at once (up to 100), nothing written when there is one. */
  private async parse(records: FileRecord[]): Promise<ParsedRow[]> {
    if (!records.length) throw invalidFile([{ line: 1, field: 'input.contentBase64', message: '文件是空的' }]);
    const header = records[0].values.map((h) => h.trim());
    const index = {} as Record<Column, number>;
    const missing: string[] = [];
    for (const [column, names] of Object.entries(COLUMNS) as [Column, readonly string[]][]) {
      index[column] = header.findIndex((h) => names.includes(h));
      if (index[column] < 0) missing.push(names.join('/'));
    }
    if (missing.length) throw invalidFile([{ line: records[0].line, field: 'header', message: `表头缺少列：${missing.join('、')}` }]);
    const body = records.slice(1);
    if (!body.length) throw invalidFile([{ line: records[0].line, field: 'input.contentBase64', message: '文件没有数据行' }]);
    if (body.length > MAX_ROWS) throw invalidFile([{ line: body[MAX_ROWS].line, field: 'input.contentBase64', message: `一次最多导入 ${MAX_ROWS} 行` }]);
    const hospitalCodes = [...new Set(body.map((r) => (r.values[index.hospitalCode] ?? '').trim()))];
    const hospitals = await this.db.manager.find(Organisation, { where: { code: In(hospitalCodes) } });
    const byCode = new Map(hospitals.map((h) => [h.code, h]));
    const currentMonth = shanghaiDateOf(this.clock.now()).slice(0, 7);
    const errors: RowError[] = [];
    const rows: ParsedRow[] = [];
    const seen = new Map<string, number>();
    for (const record of body) {
      const cell = (c: Column) => (record.values[index[c]] ?? '').trim();
      const fail = (field: Column, message: string) => errors.push({ line: record.line, field, message });
      const hospital = byCode.get(cell('hospitalCode'));
      if (!hospital) fail('hospitalCode', `没有代码为 ${cell('hospitalCode') || '（空）'} 的医疗机构`);
      else if (hospital.kind !== 'HOSPITAL') fail('hospitalCode', `${hospital.name}不是医疗机构`);
      const month = cell('month');
      if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) fail('month', '结算月份应写作 YYYY-MM');
      else if (month > currentMonth) fail('month', '结算月份尚未开始');
      const code = cell('insuranceCode');
      const codeCheck = code.startsWith('C') ? validateInsuranceConsumableCode(code) : validateInsuranceDrugCode(code);
      if (!codeCheck.ok) fail('insuranceCode', `医保编码无效：${codeCheck.reason}`);
      const quantityText = cell('quantity');
      const quantity = /^[1-9]\d{0,11}$/.test(quantityText) ? Number(quantityText) : NaN;
      if (Number.isNaN(quantity)) fail('quantity', '数量应为正整数');
      let amountFen = 0n;
      try {
        amountFen = parseYuanToFen(cell('amount'));
        if (amountFen < 0n) fail('amount', '金额不能为负');
      } catch (error) {
        if (!(error instanceof MoneyFormatError)) throw error;
        fail('amount', '金额应为元，最多两位小数');
      }
      const key = `${cell('hospitalCode')}|${month}|${code}`;
      if (seen.has(key)) fail('insuranceCode', `与第 ${seen.get(key)} 行重复（同一医疗机构、月份和医保编码）`);
      else seen.set(key, record.line);
      if (errors.length && errors[errors.length - 1].line === record.line) continue;
      rows.push({ line: record.line, hospital: hospital!, month: `${month}-01`, insuranceCode: code, quantity, amountFen });
    }
    if (errors.length) throw invalidFile(errors);
    return rows;
  }
}
