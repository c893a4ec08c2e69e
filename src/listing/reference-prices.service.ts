import { createHash } from 'crypto';
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import ExcelJS from 'exceljs';
import { MoneyFormatError, parseUnitPrice } from '@libs/money';
import { businessDateProblem, isValidDateString } from '@libs/calendar';
import { Db } from '../platform/database/db';
import { AuditService } from '../platform/audit/audit.service';
import { Clock } from '../platform/clock/clock';
import { RequestContext } from '../platform/context/request-context';
import { Page, PageArgs, paginate } from '../platform/graphql/pagination';
import { requireUser } from '../platform/auth/scope';
import { idempotent } from '../platform/idempotency/idempotency';
import { base64DecodedBytes, FILE_IMPORT_MAX_BYTES, payloadTooLarge } from '../platform/http/body-limits';
import { Product } from '../catalog/products/product.entity';
import { Region } from '../catalog/regions/region.entity';
import { ReferencePrice, ReferencePriceImport } from './reference-price.entity';
import { ListingErrors } from './listing.errors';
import { ListingService } from './listing.service';
import { LinkageService } from './linkage.service';
import { ImportReferencePricesInput, RecordReferencePriceInput } from './dto/listing.inputs';
import { cellText, parseCsv } from '../platform/import/tabular-import';

/** Re-exported from its shared home (bank statements and external awards use it too). */
export { parseCsv };

const MAX_ROWS = 20_000;
const COLUMNS = ['provinceCode', 'approvalNumber', 'unitPrice', 'effectiveOn', 'source'] as const;

interface RawRow {
  line: number;
  cells: Record<string, string>;
}
interface RowError {
  line: number;
  field: string;
  message: string;
}


@Injectable()
export class ReferencePricesService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly listings: ListingService,
    private readonly linkage: LinkageService,
  ) {}

  async record(ctx: RequestContext, input: RecordReferencePriceInput): Promise<ReferencePrice> {
    const user = requireUser(ctx);
    return this.db.transaction(async (em) => {
      const product = await em.findOne(Product, { where: { id: input.productId } });
      if (!product) throw ListingErrors.invalid('input.productId', 'Unknown product');
      const provinceError = await this.provinceProblem(em, input.provinceCode);
      if (provinceError) throw ListingErrors.invalid('input.provinceCode', provinceError);
      if (!isValidDateString(input.effectiveOn)) throw ListingErrors.invalid('input.effectiveOn', 'Not a date');
      const reference = await this.insert(em, user.id, product, input, null);
      const notices = await this.linkage.issueFor(em, ctx, reference);
      await this.audit.record(em, ctx, { action: 'listing.reference-price-recorded', entityType: 'reference_price', entityId: reference.id, data: { productId: product.id, provinceCode: input.provinceCode, unitPrice: reference.unitPrice, effectiveOn: input.effectiveOn, source: input.source, noticesIssued: notices } });
      return reference;
    });
  }

  /** Validates every row first; any bad row refuses the whole file with its line number, nothing written. */
  async import(ctx: RequestContext, input: ImportReferencePricesInput): Promise<ReferencePriceImport> {
    const user = requireUser(ctx);
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(input.contentBase64.replace(/\s/g, ''))) throw ListingErrors.invalid('input.contentBase64', 'Not base64');
    if (base64DecodedBytes(input.contentBase64) > FILE_IMPORT_MAX_BYTES) throw payloadTooLarge(FILE_IMPORT_MAX_BYTES, '导入文件', 'input.contentBase64');
    const content = Buffer.from(input.contentBase64, 'base64');
    if (!content.length) throw ListingErrors.invalid('input.contentBase64', 'The file is empty');
    const rows = input.format === 'CSV' ? this.rowsFromCsv(content) : await this.rowsFromXlsx(content);
    if (!rows.length) throw ListingErrors.invalid('input.contentBase64', 'The file has no data rows');
    if (rows.length > MAX_ROWS) throw ListingErrors.invalid('input.contentBase64', `At most ${MAX_ROWS} rows per file`);
    if (!input.idempotencyKey) return this.db.transaction((em) => this.importRows(em, ctx, input, content, rows));
    const key = input.idempotencyKey;
    const request = { format: input.format, fileName: input.fileName ?? null, sha256: createHash('sha256').update(content).digest('hex') };
    return this.db.transaction(async (em) => {
      const { id } = await idempotent(em, { organisationId: user.organisationId, operation: 'listing.importReferencePrices', key, request }, async () => ({ id: (await this.importRows(em, ctx, input, content, rows)).id }));
      return em.findOneOrFail(ReferencePriceImport, { where: { id } });
    });
  }

  private async importRows(em: EntityManager, ctx: RequestContext, input: ImportReferencePricesInput, content: Buffer, rows: RawRow[]): Promise<ReferencePriceImport> {
    const user = requireUser(ctx);
    const errors: RowError[] = [];
    const valid: { line: number; product: Product; input: RecordReferencePriceInput }[] = [];
    const provinceCache = new Map<string, string | null>();
    const seen = new Map<string, number>();
    for (const row of rows) {
      const c = row.cells;
      const bad = (field: string, message: string) => errors.push({ line: row.line, field, message });
      const before = errors.length;
      if (!provinceCache.has(c.provinceCode)) provinceCache.set(c.provinceCode, /^\d{6}$/.test(c.provinceCode) ? await this.provinceProblem(em, c.provinceCode) : 'not a 6-digit province code');
      const provinceProblem = provinceCache.get(c.provinceCode);
      if (provinceProblem) bad('provinceCode', provinceProblem);
      const product = c.approvalNumber
        ? await em.findOne(Product, { where: [{ approvalNumber: c.approvalNumber }, { registrationNumber: c.approvalNumber }] })
        : null;
      if (!product) bad('approvalNumber', c.approvalNumber ? `no product with approval or registration number ${c.approvalNumber}` : 'approvalNumber is empty');
      let unitPrice = '';
      try {
        unitPrice = parseUnitPrice(c.unitPrice);
      } catch (error) {
        bad('unitPrice', error instanceof MoneyFormatError ? error.message : 'invalid unit price');
      }
      const dateProblem = businessDateProblem(c.effectiveOn);
      if (dateProblem) bad('effectiveOn', `invalid date ${JSON.stringify(c.effectiveOn)}: ${dateProblem}`);
      if (!c.source || c.source.length > 200) bad('source', 'source is empty or longer than 200 characters');
      const key = `${c.provinceCode}|${c.approvalNumber}|${c.effectiveOn}`;
      if (seen.has(key)) bad('approvalNumber', `duplicates line ${seen.get(key)}`);
      seen.set(key, row.line);
      if (errors.length === before && product) {
        valid.push({ line: row.line, product, input: { productId: product.id, provinceCode: c.provinceCode, unitPrice, effectiveOn: c.effectiveOn, source: c.source } });
      }
    }
    if (errors.length) throw ListingErrors.importInvalid(errors);
    const imported = em.create(ReferencePriceImport, {
      fileName: input.fileName ?? `reference-prices.${input.format.toLowerCase()}`,
      format: input.format,
      sha256: createHash('sha256').update(content).digest('hex'),
      rowCount: valid.length,
      noticesIssued: 0,
      importedBy: user.id,
      importedAt: this.clock.now(),
    });
    await em.save(imported);
    for (const row of valid) {
      const reference = await this.insert(em, user.id, row.product, row.input, imported.id);
      imported.noticesIssued += await this.linkage.issueFor(em, ctx, reference);
    }
    await em.save(imported);
    await this.audit.record(em, ctx, { action: 'listing.reference-prices-imported', entityType: 'reference_price_import', entityId: imported.id, data: { fileName: imported.fileName, format: imported.format, sha256: imported.sha256, rowCount: imported.rowCount, noticesIssued: imported.noticesIssued } });
    return imported;
  }

  list(filter: { productId?: string | null; provinceCode?: string | null }, page: PageArgs = {}): Promise<Page<ReferencePrice>> {
    const qb = this.db.manager.createQueryBuilder(ReferencePrice, 'r');
    if (filter.productId) qb.andWhere('r.product_id = :p', { p: filter.productId });
    if (filter.provinceCode) qb.andWhere('r.province_code = :c', { c: filter.provinceCode });
    return paginate(qb, page, 'effective_on');
  }

  private async insert(em: EntityManager, userId: string, product: Product, input: RecordReferencePriceInput, importId: string | null): Promise<ReferencePrice> {
    const reference = em.create(ReferencePrice, {
      productId: product.id,
      provinceCode: input.provinceCode,
      genericName: product.name,
      manufacturerId: product.manufacturerId,
      dosageForm: product.dosageForm,
      spec: product.spec,
      unitPrice: input.unitPrice,
      effectiveOn: input.effectiveOn,
      source: input.source,
      importId,
      recordedBy: userId,
      recordedAt: this.clock.now(),
    });
    return em.save(reference);
  }

  /** Null when the code is another province's; otherwise why not. */
  private async provinceProblem(em: EntityManager, code: string): Promise<string | null> {
    const region = await em.findOne(Region, { where: { code } });
    if (!region || region.level !== 'PROVINCE') return `${code} is not a known province`;
    if (code === (await this.listings.homeProvince(em))) return 'A reference price comes from another province';
    return null;
  }

  private toRows(records: { line: number; values: string[] }[]): RawRow[] {
    if (!records.length) return [];
    const header = records[0].values.map((h) => h.trim());
    const index = (name: string) => header.indexOf(name);
    const approvalAt = index('approvalNumber') >= 0 ? index('approvalNumber') : index('registrationNumber');
    const missing = COLUMNS.filter((c) => (c === 'approvalNumber' ? approvalAt < 0 : index(c) < 0));
    if (missing.length) throw ListingErrors.importInvalid([{ line: records[0].line, field: missing[0], message: `the header lacks column(s) ${missing.join(', ')}` }]);
    return records.slice(1).map((r) => ({
      line: r.line,
      cells: Object.fromEntries(COLUMNS.map((c) => [c, (r.values[c === 'approvalNumber' ? approvalAt : index(c)] ?? '').trim()])),
    }));
  }

  private rowsFromCsv(content: Buffer): RawRow[] {
    return this.toRows(parseCsv(content.toString('utf8')));
  }

  private async rowsFromXlsx(content: Buffer): Promise<RawRow[]> {
    const workbook = new ExcelJS.Workbook();
    try {
      await workbook.xlsx.load(content as never);
    } catch {
      throw ListingErrors.invalid('input.contentBase64', 'Not a readable XLSX file');
    }
    const sheet = workbook.worksheets[0];
    if (!sheet) throw ListingErrors.invalid('input.contentBase64', 'The workbook has no sheet');
    const records: { line: number; values: string[] }[] = [];
    sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
      const values: string[] = [];
      for (let col = 1; col <= Math.max(row.cellCount, COLUMNS.length); col++) values.push(cellText(row.getCell(col).value));
      records.push({ line: rowNumber, values });
    });
    return this.toRows(records);
  }
}
