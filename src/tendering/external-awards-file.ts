import { Dec, MoneyFormatError, parseUnitPrice } from '@libs/money';
import { businessDateProblem } from '@libs/calendar';
import { columnLetter, TabularRecord } from '../platform/import/tabular-import';

/**
 * The external-awards file (national or alliance results), pure: rows → structural checks → the normalised
 * content whose hash makes re-imports idempotent, and the diff between two versions. Catalogue look-ups
 * (varieties, specs, manufacturers, products, regions) are the service's; their faults join these.
 *
 * One row per winner × spec: the batch columns repeat on every row; a winner's regions may be given on one of
 * its rows of a variety (the others blank or equal). A row naming a spec but no winner declares the spec.
 */
export const EXTERNAL_AWARD_COLUMNS = [
  'batchCode',
  'level',
  'allianceName',
  'cycleStart',
  'cycleYears',
  'volumeShare',
  'varietyCode',
  'spec',
  'comparableFactor',
  'manufacturerCode',
  'approvalNumber',
  'unitPrice',
  'primaryRegions',
  'backupRegions',
] as const;
export type AwardColumn = (typeof EXTERNAL_AWARD_COLUMNS)[number];
const REQUIRED_COLUMNS: AwardColumn[] = ['batchCode', 'level', 'cycleStart', 'cycleYears', 'volumeShare', 'varietyCode', 'spec', 'manufacturerCode', 'approvalNumber', 'unitPrice', 'primaryRegions'];
const BATCH_COLUMNS: AwardColumn[] = ['batchCode', 'level', 'allianceName', 'cycleStart', 'cycleYears', 'volumeShare'];

/** A fault of the file: its row (file line; null for JSON) and column, or the JSON field path. */
export interface AwardFault {
  row: number | null;
  column: string;
  columnLetter: string | null;
  field: string;
  message: string;
}

export interface AwardRow {
  row: number | null;
  cells: Record<AwardColumn, string>;
  /** Where a column of this row sits: file row/column, or the JSON path. */
  locate: (column: AwardColumn) => Omit<AwardFault, 'message'>;
}

export interface ExternalAwardPrice {
  spec: string;
  approvalNumber: string;
  unitPrice: string;
  productId: string;
}
export interface ExternalAwardWinner {
  manufacturerCode: string;
  manufacturerId: string;
  primaryRegions: string[];
  backupRegions: string[];
  prices: ExternalAwardPrice[];
}
export interface ExternalAwardSpec {
  spec: string;
  varietySpecId: string;
  comparableFactor: string;
}
export interface ExternalAwardVariety {
  code: string;
  varietyId: string;
  specs: ExternalAwardSpec[];
  winners: ExternalAwardWinner[];
}
/** The normalised results, sorted, as stored with a version and hashed. */
export interface ExternalAwardContent {
  batchCode: string;
  level: 'NATIONAL' | 'ALLIANCE';
  allianceName: string | null;
  cycleStart: string;
  cycleYears: number;
  volumeShare: string;
  regions: string[];
  varieties: ExternalAwardVariety[];
}

export const CHANGE_KINDS = ['TERMS_CHANGED', 'VARIETY_ADDED', 'VARIETY_REMOVED', 'WINNER_ADDED', 'WINNER_REMOVED', 'PRICE_CHANGED', 'PRICE_ADDED', 'PRICE_REMOVED', 'REGIONS_CHANGED'] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];
export interface ExternalAwardChangeData {
  kind: ChangeKind;
  varietyCode: string | null;
  spec: string | null;
  manufacturerCode: string | null;
  field: string | null;
  before: string | null;
  after: string | null;
}

// ---- rows from a file or from JSON ----------------------------------------------------------------------

/** Rows of a CSV/XLSX sheet: the header names the columns (any order; extra columns ignored). */
export function rowsFromRecords(records: TabularRecord[]): { rows: AwardRow[]; faults: AwardFault[] } {
  if (!records.length) return { rows: [], faults: [] };
  const header = records[0].values.map((h) => h.trim());
  const index = new Map<AwardColumn, number>();
  for (const c of EXTERNAL_AWARD_COLUMNS) if (header.indexOf(c) >= 0) index.set(c, header.indexOf(c));
  const missing = REQUIRED_COLUMNS.filter((c) => !index.has(c));
  if (missing.length) {
    return {
      rows: [],
      faults: missing.map((c) => ({ row: records[0].line, column: c, columnLetter: null, field: c, message: `表头缺少列 ${c}` })),
    };
  }
  const rows = records.slice(1).map((r): AwardRow => {
    const cells = Object.fromEntries(EXTERNAL_AWARD_COLUMNS.map((c) => [c, index.has(c) ? (r.values[index.get(c)!] ?? '').trim() : ''])) as Record<AwardColumn, string>;
    return {
      row: r.line,
      cells,
      locate: (column) => {
        const letter = index.has(column) ? columnLetter(index.get(column)!) : null;
        return { row: r.line, column, columnLetter: letter, field: `row ${r.line}, column ${letter ?? column}` };
      },
    };
  });
  return { rows, faults: [] };
}

export interface AwardsJsonInput {
  batchCode: string;
  level: string;
  allianceName?: string | null;
  cycleStart: string;
  cycleYears: number;
  volumeShare: string;
  varieties: {
    code: string;
    specs: { spec: string; comparableFactor?: string | null }[];
    winners: { manufacturerCode: string; primaryRegions: string[]; backupRegions?: string[] | null; prices: { spec: string; approvalNumber: string; unitPrice: string }[] }[];
  }[];
}

/** The JSON variant as rows; faults name the input path (`input.varieties[0].winners[1].prices[0].unitPrice`). */
export function rowsFromJson(input: AwardsJsonInput): AwardRow[] {
  const batch = {
    batchCode: input.batchCode ?? '',
    level: input.level ?? '',
    allianceName: input.allianceName ?? '',
    cycleStart: input.cycleStart ?? '',
    cycleYears: input.cycleYears === undefined || input.cycleYears === null ? '' : String(input.cycleYears),
    volumeShare: input.volumeShare ?? '',
  };
  const at = (field: string) => ({ row: null, column: field.replace(/^.*\./, ''), columnLetter: null, field });
  const rows: AwardRow[] = [];
  input.varieties.forEach((v, i) => {
    const base = `input.varieties[${i}]`;
    const factorOf = new Map(v.specs.map((s, j) => [s.spec, { factor: s.comparableFactor ?? '', j }]));
    const priced = new Set<string>();
    const batchLocate = (column: AwardColumn) => (BATCH_COLUMNS.includes(column) ? at(`input.${column}`) : null);
    v.winners.forEach((w, k) => {
      w.prices.forEach((p, m) => {
        priced.add(p.spec);
        const spec = factorOf.get(p.spec);
        rows.push({
          row: null,
          cells: {
            ...batch,
            varietyCode: v.code ?? '',
            spec: p.spec ?? '',
            comparableFactor: spec?.factor ?? '',
            manufacturerCode: w.manufacturerCode ?? '',
            approvalNumber: p.approvalNumber ?? '',
            unitPrice: p.unitPrice ?? '',
            primaryRegions: (w.primaryRegions ?? []).join(';'),
            backupRegions: (w.backupRegions ?? []).join(';'),
          },
          locate: (column) =>
            batchLocate(column) ??
            (column === 'varietyCode'
              ? at(`${base}.code`)
              : column === 'comparableFactor'
                ? at(spec ? `${base}.specs[${spec.j}].comparableFactor` : `${base}.winners[${k}].prices[${m}].spec`)
                : column === 'manufacturerCode' || column === 'primaryRegions' || column === 'backupRegions'
                  ? at(`${base}.winners[${k}].${column}`)
                  : at(`${base}.winners[${k}].prices[${m}].${column}`)),
        });
      });
    });
    v.specs.forEach((s, j) => {
      if (priced.has(s.spec)) return;
      // a declared spec nobody priced: a row with no winner, which the checks refuse
      rows.push({
        row: null,
        cells: { ...batch, varietyCode: v.code ?? '', spec: s.spec ?? '', comparableFactor: s.comparableFactor ?? '', manufacturerCode: '', approvalNumber: '', unitPrice: '', primaryRegions: '', backupRegions: '' },
        locate: (column) => batchLocate(column) ?? (column === 'varietyCode' ? at(`${base}.code`) : column === 'comparableFactor' ? at(`${base}.specs[${j}].comparableFactor`) : at(`${base}.specs[${j}].spec`)),
      });
    });
  });
  return rows;
}

// ---- structural checks ------------------------------------------------------------------------------------

export function splitRegions(text: string): string[] {
  return text
    .split(/[;；,，|\s]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** A positive decimal of at most `places` places, normalised (no trailing zeros); null when not one. */
function positiveDecimal(text: string, places: number): string | null {
  if (!/^\d+(\.\d+)?$/.test(text)) return null;
  const frac = text.split('.')[1] ?? '';
  if (frac.length > places) return null;
  const d = new Dec(text);
  return d.gt(0) ? d.toFixed() : null;
}

export interface CheckedRow {
  row: AwardRow;
  varietyCode: string;
  spec: string;
  comparableFactor: string | null;
  manufacturerCode: string;
  approvalNumber: string;
  unitPrice: string;
  primaryRegions: string[] | null;
  backupRegions: string[] | null;
}

type VarietyEntry = { firstRow: AwardRow; specs: Map<string, { factor: string | null; row: AwardRow }>; winners: Map<string, { row: AwardRow; primary: string[]; backup: string[] }> };

export interface CheckedFile {
  batch: { batchCode: string; level: 'NATIONAL' | 'ALLIANCE'; allianceName: string | null; cycleStart: string; cycleYears: number; volumeShare: string };
  rows: CheckedRow[];
  /** Per variety code: its specs (with the factor a row gave) and its winners' regions. */
  varieties: Map<string, VarietyEntry>;
  /** Every well-formed region code the file names (primary or backup), sorted. */
  regions: string[];
}

/** Everything that can be checked without the catalogue; every fault, not only the first (checked is null when the batch terms are bad). */
export function checkRows(rows: AwardRow[]): { checked: CheckedFile | null; faults: AwardFault[] } {
  const faults: AwardFault[] = [];
  const bad = (row: AwardRow, column: AwardColumn, message: string) => faults.push({ ...row.locate(column), message });
  if (!rows.length) return { checked: null, faults: [{ row: null, column: 'varietyCode', columnLetter: null, field: 'input', message: '文件没有数据行' }] };
  rows = rows.filter((r) => Object.values(r.cells).some(Boolean));
  if (!rows.length) return { checked: null, faults: [{ row: null, column: 'varietyCode', columnLetter: null, field: 'input', message: '文件没有数据行' }] };

  // batch terms: from the first row, the same on every row
  const first = rows[0];
  for (const row of rows.slice(1)) {
    for (const c of BATCH_COLUMNS) if (row.cells[c] !== first.cells[c]) bad(row, c, `与第一行的 ${c}（${first.cells[c] || '空'}）不一致`);
  }
  const c0 = first.cells;
  const level = c0.level.toUpperCase();
  if (!c0.batchCode || c0.batchCode.length > 100) bad(first, 'batchCode', '批次编号为空或超过 100 个字符');
  if (level !== 'NATIONAL' && level !== 'ALLIANCE') bad(first, 'level', '层级须为 NATIONAL（国家组织）或 ALLIANCE（联盟）');
  if (level === 'ALLIANCE' && !c0.allianceName) bad(first, 'allianceName', '联盟批次须写明联盟名称');
  if (level === 'NATIONAL' && c0.allianceName) bad(first, 'allianceName', '国家组织批次不填联盟名称');
  const dateProblem = businessDateProblem(c0.cycleStart);
  if (dateProblem) bad(first, 'cycleStart', `采购周期开始日期无效（${c0.cycleStart || '空'}）：${dateProblem}`);
  const cycleYears = /^\d+$/.test(c0.cycleYears) ? Number(c0.cycleYears) : NaN;
  if (!(cycleYears >= 1 && cycleYears <= 5)) bad(first, 'cycleYears', '采购周期年数须为 1–5 的整数');
  const volumeShare = positiveDecimal(c0.volumeShare, 4);
  if (!volumeShare || new Dec(volumeShare).gt(1)) bad(first, 'volumeShare', '约定采购量比例须为 0 到 1 之间的小数（最多 4 位小数），如 0.7');

  const checkedRows: CheckedRow[] = [];
  const varieties: CheckedFile['varieties'] = new Map();
  const seen = new Map<string, number | null>();
  for (const row of rows) {
    const c = row.cells;
    if (!c.varietyCode) bad(row, 'varietyCode', '品种编码为空');
    if (!c.spec) bad(row, 'spec', '规格为空');
    if (!c.varietyCode || !c.spec) continue;
    const variety: VarietyEntry = varieties.get(c.varietyCode) ?? { firstRow: row, specs: new Map(), winners: new Map() };
    varieties.set(c.varietyCode, variety);
    let factor: string | null = null;
    if (c.comparableFactor) {
      factor = positiveDecimal(c.comparableFactor, 6);
      if (!factor) bad(row, 'comparableFactor', `差比系数须为正的小数（最多 6 位小数），而非 ${c.comparableFactor}`);
    }
    const spec = variety.specs.get(c.spec);
    if (!spec) variety.specs.set(c.spec, { factor, row });
    else if (factor && spec.factor && factor !== spec.factor) bad(row, 'comparableFactor', `同一规格的差比系数与前文（${spec.factor}）不一致`);
    else if (factor && !spec.factor) spec.factor = factor;
    const hasWinner = !!(c.manufacturerCode || c.approvalNumber || c.unitPrice);
    if (!hasWinner) continue; // a spec declared without a winner: refused below unless another row prices it
    if (!c.manufacturerCode) bad(row, 'manufacturerCode', '中选企业为空');
    if (!c.approvalNumber) bad(row, 'approvalNumber', '中选产品的批准文号/注册证号为空');
    let unitPrice = '';
    try {
      unitPrice = parseUnitPrice(c.unitPrice);
    } catch (error) {
      bad(row, 'unitPrice', `中选价格无效：${error instanceof MoneyFormatError ? error.message : c.unitPrice}`);
    }
    const key = `${c.varietyCode}|${c.spec}|${c.manufacturerCode}`;
    if (seen.has(key)) bad(row, 'manufacturerCode', `同一品种、规格、企业重复（见第 ${seen.get(key) ?? '?'} 行）`);
    seen.set(key, row.row);
    const primary = c.primaryRegions ? splitRegions(c.primaryRegions) : null;
    const backup = c.backupRegions ? splitRegions(c.backupRegions) : null;
    for (const [column, list] of [['primaryRegions', primary], ['backupRegions', backup]] as const) {
      for (const code of list ?? []) if (!/^\d{6}$/.test(code)) bad(row, column, `${code} 不是 6 位行政区划代码`);
    }
    if (c.manufacturerCode) {
      const winner = variety.winners.get(c.manufacturerCode);
      if (!winner) variety.winners.set(c.manufacturerCode, { row, primary: primary ?? [], backup: backup ?? [] });
      else {
        const same = (a: string[], b: string[]) => [...a].sort().join(';') === [...b].sort().join(';');
        if (primary && winner.primary.length && !same(primary, winner.primary)) bad(row, 'primaryRegions', '同一企业在本品种的主供地区与前文不一致');
        if (backup && winner.backup.length && !same(backup, winner.backup)) bad(row, 'backupRegions', '同一企业在本品种的备供地区与前文不一致');
        if (primary && !winner.primary.length) winner.primary = primary;
        if (backup && !winner.backup.length) winner.backup = backup;
      }
    }
    checkedRows.push({ row, varietyCode: c.varietyCode, spec: c.spec, comparableFactor: factor, manufacturerCode: c.manufacturerCode, approvalNumber: c.approvalNumber, unitPrice, primaryRegions: primary, backupRegions: backup });
  }

  // per variety: every spec has a winner; a region has one primary and one backup winner, never the same
  for (const [code, variety] of varieties) {
    for (const [spec, s] of variety.specs) {
      if (!checkedRows.some((r) => r.varietyCode === code && r.spec === spec)) bad(s.row, 'manufacturerCode', `品种 ${code} 的规格 ${spec} 没有中选企业`);
    }
    const primaryOf = new Map<string, string>();
    const backupOf = new Map<string, string>();
    for (const [mfr, w] of variety.winners) {
      if (!w.primary.length && !w.backup.length) bad(w.row, 'primaryRegions', `企业 ${mfr} 在品种 ${code} 没有填写供应地区`);
      for (const region of w.primary) {
        if (primaryOf.has(region)) bad(w.row, 'primaryRegions', `地区 ${region} 在品种 ${code} 已有主供企业 ${primaryOf.get(region)}`);
        else primaryOf.set(region, mfr);
      }
      for (const region of w.backup) {
        if (w.primary.includes(region)) bad(w.row, 'backupRegions', `企业 ${mfr} 不能同时是地区 ${region} 的主供和备供`);
        if (backupOf.has(region)) bad(w.row, 'backupRegions', `地区 ${region} 在品种 ${code} 已有备供企业 ${backupOf.get(region)}`);
        else backupOf.set(region, mfr);
      }
    }
  }
  const allRegions = new Set<string>();
  for (const variety of varieties.values()) for (const w of variety.winners.values()) [...w.primary, ...w.backup].forEach((r) => allRegions.add(r));
  const batchOk = !faults.some((f) => BATCH_COLUMNS.includes(f.column as AwardColumn));
  return {
    checked: batchOk
      ? {
          batch: { batchCode: c0.batchCode, level: level as 'NATIONAL' | 'ALLIANCE', allianceName: c0.allianceName || null, cycleStart: c0.cycleStart, cycleYears, volumeShare: volumeShare! },
          rows: checkedRows,
          varieties,
          regions: [...allRegions].filter((r) => /^\d{6}$/.test(r)).sort(),
        }
      : null,
    faults,
  };
}

/**
 * Every region supplied in the batch (the valid ones: known and in the province) needs a primary winner in every
 * variety, and a backup region a primary one. Run once the regions are checked, so a bad code is one fault only.
 */
export function checkCoverage(checked: CheckedFile, validRegions: ReadonlySet<string>): AwardFault[] {
  const faults: AwardFault[] = [];
  const covered = new Set<string>();
  for (const variety of checked.varieties.values()) for (const w of variety.winners.values()) w.primary.filter((r) => validRegions.has(r)).forEach((r) => covered.add(r));
  for (const [code, variety] of checked.varieties) {
    const primaries = new Set([...variety.winners.values()].flatMap((w) => w.primary));
    for (const region of [...covered].sort()) {
      if (!primaries.has(region)) faults.push({ ...variety.firstRow.locate('primaryRegions'), message: `品种 ${code} 在地区 ${region} 没有主供企业` });
    }
    for (const w of variety.winners.values()) {
      for (const region of w.backup) if (validRegions.has(region) && !covered.has(region)) faults.push({ ...w.row.locate('backupRegions'), message: `备供地区 ${region} 没有主供企业` });
    }
  }
  return faults;
}

/** Faults in file order: by row, then by column. */
export function sortFaults(faults: AwardFault[]): AwardFault[] {
  const order = (c: string) => EXTERNAL_AWARD_COLUMNS.indexOf(c as AwardColumn);
  return [...faults].sort((a, b) => (a.row ?? 0) - (b.row ?? 0) || order(a.column) - order(b.column) || a.field.localeCompare(b.field));
}

// ---- diff ------------------------------------------------------------------------------------------------

function regionsText(w: ExternalAwardWinner): string {
  return `主供 ${w.primaryRegions.join(';') || '-'}；备供 ${w.backupRegions.join(';') || '-'}`;
}

/** What changed from one version's content to the next: terms, varieties, winners, prices, regions. */
export function diffContents(before: ExternalAwardContent, after: ExternalAwardContent): ExternalAwardChangeData[] {
  const out: ExternalAwardChangeData[] = [];
  const change = (kind: ChangeKind, parts: Partial<ExternalAwardChangeData>) =>
    out.push({ kind, varietyCode: null, spec: null, manufacturerCode: null, field: null, before: null, after: null, ...parts });
  for (const field of ['level', 'allianceName', 'cycleStart', 'cycleYears', 'volumeShare'] as const) {
    const a = before[field] === null ? null : String(before[field]);
    const b = after[field] === null ? null : String(after[field]);
    if (a !== b) change('TERMS_CHANGED', { field, before: a, after: b });
  }
  const beforeVarieties = new Map(before.varieties.map((v) => [v.code, v]));
  const afterVarieties = new Map(after.varieties.map((v) => [v.code, v]));
  for (const v of before.varieties) if (!afterVarieties.has(v.code)) change('VARIETY_REMOVED', { varietyCode: v.code });
  for (const v of after.varieties) {
    const old = beforeVarieties.get(v.code);
    if (!old) {
      change('VARIETY_ADDED', { varietyCode: v.code });
      continue;
    }
    const oldWinners = new Map(old.winners.map((w) => [w.manufacturerCode, w]));
    const newWinners = new Map(v.winners.map((w) => [w.manufacturerCode, w]));
    for (const w of old.winners) if (!newWinners.has(w.manufacturerCode)) change('WINNER_REMOVED', { varietyCode: v.code, manufacturerCode: w.manufacturerCode, before: regionsText(w) });
    for (const w of v.winners) {
      const was = oldWinners.get(w.manufacturerCode);
      if (!was) {
        change('WINNER_ADDED', { varietyCode: v.code, manufacturerCode: w.manufacturerCode, after: regionsText(w) });
        continue;
      }
      if (regionsText(was) !== regionsText(w)) change('REGIONS_CHANGED', { varietyCode: v.code, manufacturerCode: w.manufacturerCode, before: regionsText(was), after: regionsText(w) });
      const oldPrices = new Map(was.prices.map((p) => [p.spec, p]));
      const newPrices = new Map(w.prices.map((p) => [p.spec, p]));
      for (const p of was.prices) if (!newPrices.has(p.spec)) change('PRICE_REMOVED', { varietyCode: v.code, spec: p.spec, manufacturerCode: w.manufacturerCode, before: p.unitPrice });
      for (const p of w.prices) {
        const q = oldPrices.get(p.spec);
        if (!q) change('PRICE_ADDED', { varietyCode: v.code, spec: p.spec, manufacturerCode: w.manufacturerCode, after: p.unitPrice });
        else if (q.unitPrice !== p.unitPrice || q.approvalNumber !== p.approvalNumber) {
          change('PRICE_CHANGED', { varietyCode: v.code, spec: p.spec, manufacturerCode: w.manufacturerCode, field: q.approvalNumber !== p.approvalNumber ? 'approvalNumber' : 'unitPrice', before: `${q.unitPrice} (${q.approvalNumber})`, after: `${p.unitPrice} (${p.approvalNumber})` });
        }
      }
    }
  }
  return out;
}

/** The spec a winner's agreements count in: its reference spec (factor 1) if it won one, else its smallest. */
export function agreementPriceOf(variety: ExternalAwardVariety, winner: ExternalAwardWinner): ExternalAwardPrice {
  const factorOf = new Map(variety.specs.map((s) => [s.spec, new Dec(s.comparableFactor)]));
  const sorted = [...winner.prices].sort((a, b) => {
    const fa = factorOf.get(a.spec)!;
    const fb = factorOf.get(b.spec)!;
    if (fa.eq(1) !== fb.eq(1)) return fa.eq(1) ? -1 : 1;
    return fa.cmp(fb) || a.spec.localeCompare(b.spec);
  });
  return sorted[0];
}
