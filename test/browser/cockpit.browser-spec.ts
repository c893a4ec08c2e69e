/// <reference lib="dom" />
import { existsSync, mkdirSync } from 'fs';
import { AddressInfo } from 'net';
import { join } from 'path';
import puppeteer, { Browser, Page } from 'puppeteer-core';
import { startTestApp, TestApp } from '@test/harness';
import { DemoHistoryService } from '../../src/catalog/demo/demo-history.service';

/**
 * The regulators' cockpit (/console) and the public portal (/public) in a real browser: Debian's headless
 * Chromium (CHROMIUM_PATH, default /usr/bin/chromium) driven by puppeteer-core, over the demo province with
 * its year of history (seeded through the services, as `npm start` does). Every chart must show the numbers
 * the GraphQL API returns; screenshots go to test-artifacts/ (ignored by git). Run: `npm run test:browser`.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = join(__dirname, '..', '..', 'test-artifacts');

const KPIS = `query($period: String, $scope: KpiScopeInput) { kpis(period: $period, scope: $scope) {
  scope { level code name hospitalId } period
  figures { code unit target month yearToDate trend { month value } }
  children { scope { level code name } figures { code yearToDate } } } }`;
const RATIO_CODES = ['DRUG_PLATFORM_SHARE', 'HIGH_VALUE_CONSUMABLE_PLATFORM_SHARE', 'AGREEMENT_COMPLETION', 'DELIVERY_RATE', 'PAYMENT_ON_TIME'];
const TREND_CODES = ['DRUG_PLATFORM_SHARE', 'HIGH_VALUE_CONSUMABLE_PLATFORM_SHARE', 'DELIVERY_RATE', 'PAYMENT_ON_TIME'];
const num = (v: string | null | undefined) => (v === null || v === undefined ? null : Number(v));

/** The data series of an ECharts chart as the page holds it. */
async function chartData(page: Page, id: string): Promise<(number | null)[][]> {
  return page.evaluate((chartId) => {
    const el = document.getElementById(chartId)!;
    const chart = (window as any).echarts.getInstanceByDom(el);
    return (chart.getOption().series as { data: (number | null)[] }[]).map((s) => s.data.map((d) => (d === undefined ? null : d)));
  }, id);
}

async function waitReady(page: Page): Promise<void> {
  await page.waitForFunction(() => document.body.getAttribute('data-ready') === 'true' || document.body.getAttribute('data-ready') === 'error', { timeout: 30_000 });
  expect(await page.evaluate(() => document.body.getAttribute('data-ready'))).toBe('true');
}

describe('the cockpit and the public portal in headless Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  const problems: string[] = [];

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
    mkdirSync(ARTIFACTS, { recursive: true });
    t = await startTestApp();
    const started = Date.now();
    await t.app.get(DemoHistoryService).ensure();
    process.stdout.write(`demo history seeded in ${Date.now() - started} ms\n`);
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    browser = await puppeteer.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'] });
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function newPage(context = browser.defaultBrowserContext()): Promise<Page> {
    const page = await context.newPage();
    await page.setViewport({ width: 1440, height: 1000 });
    page.on('pageerror', (e) => problems.push(`page error: ${String(e)}`));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console: ${m.text()}`);
    });
    page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
    page.on('response', (r) => {
      if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
    });
    return page;
  }

  it('logs in, shows every chart with the API\'s numbers, drills down province → city → hospital', async () => {
    const page = await newPage();
    const res = await page.goto(`${base}/console`);
    expect(res!.headers()['content-security-policy']).toContain("script-src 'self'");
    await page.type('#username', 'reg-henan');
    await page.type('#password', 'Demo#2026');
    await Promise.all([page.click('#login-button'), page.waitForFunction(() => document.body.getAttribute('data-ready') !== null)]);
    await waitReady(page);

    const api = (await t.as('reg-henan').ok(KPIS, {})).kpis;
    expect(api.scope.level).toBe('PROVINCE');
    const figure = (code: string) => api.figures.find((f: any) => f.code === code);
    expect(await page.$eval('#period', (e) => (e as HTMLInputElement).value)).toBe(api.period);

    // chart 1: year-to-date ratios and their targets
    const targets = await chartData(page, 'chart-targets');
    expect(targets[0]).toEqual(RATIO_CODES.map((c) => num(figure(c).yearToDate)));
    expect(targets[1]).toEqual(RATIO_CODES.map((c) => num(figure(c).target)));
    // chart 2: the monthly trends
    const trend = await chartData(page, 'chart-trend');
    expect(trend).toEqual(TREND_CODES.map((c) => figure(c).trend.map((p: any) => num(p.value))));
    // chart 3: the drug purchase share by city
    const children = await chartData(page, 'chart-children');
    expect(children[0]).toEqual(api.children.map((c: any) => num(c.figures.find((f: any) => f.code === 'DRUG_PLATFORM_SHARE').yearToDate)));
    expect(api.children.length).toBeGreaterThanOrEqual(3);
    // chart 4: VBP varieties and classes in force against 500 and 5
    const vbpChart = await chartData(page, 'chart-vbp');
    expect(vbpChart).toEqual([[num(figure('VBP_DRUG_VARIETIES').yearToDate), num(figure('VBP_CONSUMABLE_CLASSES').yearToDate)], [500, 5]]);
    // the cards show the same year-to-date figures
    const cards = await page.$$eval('.card', (els) => els.map((e) => [e.getAttribute('data-code'), e.getAttribute('data-ytd')]));
    expect(cards).toEqual(api.figures.map((f: any) => [f.code, f.yearToDate ?? '']));
    // alerts and cases with their states
    await page.waitForFunction(() => document.querySelectorAll('#alerts tbody tr').length > 0, { timeout: 20_000 });
    const states = await page.$$eval('#alerts [data-state]', (els) => [...new Set(els.map((e) => e.getAttribute('data-state')))]);
    expect(states).toEqual(expect.arrayContaining(['OPEN', 'INQUIRY']));
    expect(await page.$eval('#alert-summary', (e) => e.textContent)).toMatch(/共 \d+ 条预警/);
    // the demo's settlement lists catch hosp-zz-6 buying levofloxacin off the platform without reporting it
    const caught = (await t.as('reg-henan').ok(`{ alerts(first: 10, filter: { ruleCode: "OFF_PLATFORM_UNDER_REPORTED" }) { totalCount nodes { subjectName } } }`)).alerts;
    expect(caught.totalCount).toBeGreaterThan(0);
    await page.screenshot({ path: join(ARTIFACTS, 'cockpit-province.png'), fullPage: true });

    // the monthly report
    await page.click('#report');
    await page.waitForFunction(() => !(document.getElementById('report-link') as HTMLAnchorElement).hidden, { timeout: 20_000 });
    expect(await page.$eval('#report-link', (e) => e.textContent)).toBe(`kpi-report-410000-${api.period}.xlsx`);

    // drill down: Zhengzhou, then its first hospital
    await page.click('#children a.drill[data-code="410100"]');
    await page.waitForFunction(() => document.querySelector('#breadcrumb strong')?.textContent?.includes('郑州市'), { timeout: 20_000 });
    await waitReady(page);
    const city = (await t.as('reg-henan').ok(KPIS, { period: api.period, scope: { level: 'CITY', code: '410100' } })).kpis;
    expect((await chartData(page, 'chart-children'))[0]).toEqual(city.children.map((c: any) => num(c.figures.find((f: any) => f.code === 'DRUG_PLATFORM_SHARE').yearToDate)));
    expect(await page.$$eval('#children a.drill', (els) => els.map((e) => e.getAttribute('data-level')))).toEqual(city.children.map(() => 'HOSPITAL'));
    await page.screenshot({ path: join(ARTIFACTS, 'cockpit-city.png'), fullPage: true });
    const first = city.children[0].scope;
    await page.click(`#children a.drill[data-code="${first.code}"]`);
    await page.waitForFunction((name) => document.querySelector('#breadcrumb strong')?.textContent?.includes(name), { timeout: 20_000 }, first.name);
    await waitReady(page);
    const hospital = (await t.as('reg-henan').ok(KPIS, { period: api.period, scope: { level: 'HOSPITAL', code: first.code } })).kpis;
    expect((await chartData(page, 'chart-targets'))[0]).toEqual(RATIO_CODES.map((c) => num(hospital.figures.find((f: any) => f.code === c).yearToDate)));
    expect(await page.$$eval('#breadcrumb a', (els) => els.map((e) => e.textContent))).toEqual(['河南省', '郑州市']);
    await page.screenshot({ path: join(ARTIFACTS, 'cockpit-hospital.png'), fullPage: true });
    // back up to the province through the breadcrumb
    await page.click('#breadcrumb a[data-level="PROVINCE"]');
    await page.waitForFunction(() => document.querySelector('#breadcrumb strong')?.textContent?.includes('河南省'), { timeout: 20_000 });

    // a reload, logged in (token kept for the session), draws the province again; how fast is bench:cockpit's
    await page.goto(`${base}/console`, { waitUntil: 'domcontentloaded' });
    await waitReady(page);
    expect(await page.$eval('#breadcrumb strong', (e) => e.textContent)).toContain('河南省');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('shows the settlement office the payment KPI', async () => {
    const context = await browser.createBrowserContext();
    const page = await newPage(context);
    await page.goto(`${base}/console`);
    await page.type('#username', 'settle-henan');
    await page.type('#password', 'Demo#2026');
    await page.click('#login-button');
    await waitReady(page);
    expect(await page.$$eval('.card', (els) => els.map((e) => e.getAttribute('data-code')))).toEqual(['PAYMENT_ON_TIME']);
    await context.close();
  });

  it('opens the public portal anonymously: VBP results with drops, prices in force, payment standards', async () => {
    const context = await browser.createBrowserContext();
    const page = await newPage(context);
    const res = await page.goto(`${base}/public`);
    expect(res!.status()).toBe(200);
    await waitReady(page);
    const vbp = (await t.anonymous.ok(`{ publicVbpResults(first: 100) { totalCount nodes { dropFromCeiling } } }`)).publicVbpResults;
    expect(vbp.totalCount).toBeGreaterThan(0);
    expect(await page.$$eval('#vbp tbody tr', (rows) => rows.length)).toBe(Math.min(vbp.totalCount, 1000));
    expect((await chartData(page, 'chart-drops'))[0]).toEqual(vbp.nodes.map((n: any) => Number(n.dropFromCeiling)));
    const prices = (await t.anonymous.ok(`{ publicPricesInForce(first: 1) { totalCount } }`)).publicPricesInForce;
    expect(await page.$$eval('#prices tbody tr', (rows) => rows.length)).toBe(prices.totalCount);
    const standards = (await t.anonymous.ok(`{ publicPaymentStandards(first: 1) { totalCount } }`)).publicPaymentStandards;
    expect(await page.$$eval('#standards tbody tr', (rows) => rows.length)).toBe(standards.totalCount);
    // nothing of the cockpit leaks to an anonymous visitor
    expect(await page.evaluate(() => sessionStorage.getItem('vbp.token'))).toBeNull();
    await page.screenshot({ path: join(ARTIFACTS, 'public-portal.png'), fullPage: true });
    expect(problems).toEqual([]);
    await context.close();
  });
});
