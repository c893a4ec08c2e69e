/**
 * The regulators' cockpit page load in a real browser: the server (a separate process, production mode) on a
 * fresh embedded PostgreSQL with the Henan demo and its year of history; Debian's headless Chromium driven by
 * puppeteer-core logs in as `reg-henan` once, then opens /console again and again, timing each from navigation
 * to every chart drawn with the province's KPIs (the page sets `data-ready`). Goal: the median under 2 s.
 * The browser test (`npm run test:browser`) checks what the page shows; this measures how fast it shows it.
 * Needs Chromium (CHROMIUM_PATH, default /usr/bin/chromium); as root it installs Debian's `chromium` if missing.
 * Last stdout line: a JSON summary.
 *
 *   npm run -s bench:cockpit [-- --loads 15]
 */
import { execFileSync } from 'child_process';
import { existsSync } from 'fs';
import puppeteer, { Page } from 'puppeteer-core';
import { startDemoServer } from '../support/demo-server';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const LOADS = arg('loads', 15);
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const GOAL_MS = 2000;

function ensureChromium(): void {
  if (existsSync(CHROMIUM)) return;
  if (process.getuid?.() !== 0 || process.env.CHROMIUM_PATH) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  process.stderr.write('installing Debian chromium …\n');
  execFileSync('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'], { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
}

async function ready(page: Page): Promise<void> {
  await page.waitForFunction(() => ['true', 'error'].includes(document.body.getAttribute('data-ready') ?? ''), { timeout: 60_000 });
  const state = await page.evaluate(() => document.body.getAttribute('data-ready'));
  if (state !== 'true') throw new Error(`the cockpit reported data-ready=${state}`);
}

async function main() {
  ensureChromium();
  const { app, stop } = await startDemoServer('cockpit');
  const browser = await puppeteer.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'] });
  try {
    const page = await browser.newPage();
    await page.setViewport({ width: 1440, height: 1000 });
    // log in once through the form; the page keeps the token for the session, as a regulator's browser does
    await page.goto(`${app.url}/console`);
    await page.type('#username', 'reg-henan');
    await page.type('#password', 'Demo#2026');
    await Promise.all([page.click('#login-button'), page.waitForFunction(() => document.body.getAttribute('data-ready') !== null, { timeout: 60_000 })]);
    await ready(page);
    const loads: number[] = [];
    for (let i = 0; i < LOADS; i++) {
      const started = process.hrtime.bigint();
      await page.goto(`${app.url}/console`, { waitUntil: 'domcontentloaded' });
      await ready(page);
      loads.push(Math.round(Number(process.hrtime.bigint() - started) / 1e6));
    }
    const sorted = [...loads].sort((a, b) => a - b);
    const medianMs = sorted[Math.floor(sorted.length / 2)];
    const summary = { loads: loads.length, loadsMs: loads, bestMs: sorted[0], medianMs, worstMs: sorted[sorted.length - 1], goalMs: GOAL_MS, goalMet: medianMs < GOAL_MS };
    process.stdout.write(`cockpit page load, ${LOADS} loads (navigation to every chart drawn): best ${summary.bestMs} ms, median ${medianMs} ms, worst ${summary.worstMs} ms\n${JSON.stringify(summary)}\n`);
  } finally {
    await browser.close();
    await stop();
  }
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
