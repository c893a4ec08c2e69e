import { formatShanghai } from '@libs/calendar';

/**
 * The documents an OCDS release links to — the round's notice (采购公告), the publicity of its result
 * (中选结果公示) and each signed agreement (带量采购协议) — rendered as plain HTML pages from the very releases
 * the export publishes, so a page never says something the data does not. Pure: input is the parsed releases
 * of one round.
 */

type Cell = string | number | null | undefined;

const escapeHtml = (text: Cell) =>
  String(text ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** An instant as Shanghai wall-clock time: 2026-01-20T02:00:00Z → 2026-01-20 10:00. */
const shanghai = (iso: string | undefined) => (iso ? formatShanghai(new Date(iso)).slice(0, 16).replace('T', ' ') : '—');

const amount = (v: { amount: number } | undefined) => (v ? `${v.amount} 元` : '—');

function page(title: string, body: string): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font-family:sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.6}table{border-collapse:collapse;width:100%}td,th{border:1px solid #ccc;padding:.3rem .5rem;text-align:left}</style>
</head><body><h1>${escapeHtml(title)}</h1>${body}</body></html>`;
}

function table(head: string[], rows: Cell[][]): string {
  return `<table><thead><tr>${head.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

type Release = Record<string, unknown>;

/** The parts of an OCDS release (as built by @libs/supervision-rules) these pages read. */
interface Period { startDate?: string; endDate?: string }
interface Item { description?: string; quantity?: number; unit?: { name?: string; value?: { amount?: number } } }
interface Named { name?: string }
interface ReleaseView {
  tag: string[];
  date?: string;
  buyer?: Named;
  tender?: { title?: string; tenderPeriod?: Period; value?: { amount: number }; items: Item[] };
  bids?: { details?: { id: string; status?: string; tenderers: Named[]; items: Item[] }[] };
  awards: { id: string; items: Item[]; suppliers: Named[]; contractPeriod?: Period }[];
  contracts: { id: string; title: string; description?: string; dateSigned?: string; period?: Period; items: Item[]; value?: { amount: number } }[];
}

export type RoundDocument = { kind: 'notice' } | { kind: 'publicity' } | { kind: 'agreement'; agreementId: string };

/** The page of one document, or null when the round has no such document (yet). */
export function renderRoundDocument(rawReleases: Release[], doc: RoundDocument): string | null {
  const releases = rawReleases as unknown as ReleaseView[];
  const tagged = (tag: string) => releases.find((r) => r.tag.includes(tag));
  const tender = tagged('tender');
  const title = tender?.tender?.title ?? releases[0]?.tender?.title ?? '';
  if (doc.kind === 'notice') {
    if (!tender) return null;
    const t = tender.tender!; // a tender release carries its tender
    return page(`${t.title} 采购公告`, `<p>发布时间：${shanghai(tender.date)}（北京时间）\u3000采购方：${escapeHtml(tender.buyer?.name)}</p>
<p>需求填报截止：${shanghai(t.tenderPeriod?.startDate)}\u3000申报截止：${shanghai(t.tenderPeriod?.endDate)}\u3000预估金额（一年）：${amount(t.value)}</p>
${table(['品种 / 规格', '数量', '单位', '最高有效申报价（元）'], t.items.map((i) => [i.description, i.quantity ?? '—', i.unit?.name, i.unit?.value?.amount]))}`);
  }
  if (doc.kind === 'publicity') {
    const award = tagged('award');
    if (!award) return null;
    const bids = award.bids?.details ?? [];
    const awarded = new Set(award.awards.map((a) => a.id));
    return page(`${title} 拟中选结果公示`, `<p>公示开始：${shanghai(award.date)}（北京时间）</p>
<h2>拟中选结果</h2>
${table(['品种 / 规格', '拟中选企业', '单价（元）', '计价单位', '采购周期数量', '协议期'], award.awards.map((a) => [
      a.items[0]?.description, a.suppliers.map((s) => s.name).join('、'), a.items[0]?.unit?.value?.amount,
      a.items[0]?.unit?.name, a.items[0]?.quantity, `${shanghai(a.contractPeriod?.startDate)} — ${shanghai(a.contractPeriod?.endDate)}`,
    ]))}
<h2>申报情况</h2>
${table(['企业', '品种 / 规格', '申报单价（元）', '状态'], bids.map((b) => [b.tenderers.map((x) => x.name).join('、'), b.items[0]?.description, b.items[0]?.unit?.value?.amount, b.status !== 'valid' ? '无效' : awarded.has(b.id) ? '拟中选' : '未中选']))}`);
  }
  for (const r of releases.filter((x) => x.tag.includes('contract'))) {
    const c = r.contracts.find((x) => x.id === doc.agreementId);
    if (!c) continue;
    const item = c.items[0];
    return page(c.title, `<p>${escapeHtml(c.description)}</p>
<p>签订时间：${shanghai(c.dateSigned)}\u3000协议期：${shanghai(c.period?.startDate)} — ${shanghai(c.period?.endDate)}</p>
${table(['品种 / 规格', '约定采购量', '单位', '中选单价（元）', '协议金额'], [[item?.description, item?.quantity, item?.unit?.name, item?.unit?.value?.amount, amount(c.value)]])}`);
  }
  return null;
}
