/**
 * npm run bench — runs every benchmark, each in its own process on its own fresh embedded PostgreSQL with
 * generated province-scale data, shows progress, and writes bench/results/latest.json and latest.md: each
 * figure next to its baseline measured in the same run and the ratio, and the issue's target.
 * A benchmark prints its JSON summary as the last line of stdout; `describe` turns it into table rows.
 */
import { spawnSync } from 'child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'fs';
import { join } from 'path';

interface Row {
  benchmark: string;
  figure: string;
  value: number;
  unit: string;
  baseline?: string;
  baselineValue?: number;
  ratio?: number;
  target?: string;
  met?: boolean;
}

interface Bench {
  name: string;
  script: string;
  args?: string[];
  describe: (summary: any) => Row[];
}

const BENCHES: Bench[] = [
  {
    name: 'evaluation',
    script: 'bench:evaluation',
    describe: (s) => [
      { benchmark: 'evaluation', figure: 'evaluation throughput (2.76 M demand lines)', value: s.evaluateLinesPerSecond, unit: 'lines/s', target: '≥ 1,000,000 lines/s', met: s.evaluateLinesPerSecond >= 1_000_000 },
      { benchmark: 'evaluation', figure: 'evaluation time', value: s.evaluateMs, unit: 'ms' },
      { benchmark: 'evaluation', figure: 'peak memory', value: s.peakRssMB, unit: 'MB', target: '< 1,536 MB', met: s.peakRssMB < 1536 },
    ],
  },
  {
    name: 'graphql-reads',
    script: 'bench:graphql-reads',
    describe: (s) => [
      {
        benchmark: 'graphql-reads',
        figure: `read mix over GraphQL, nested reads included (${s.clients} clients)`,
        value: s.graphqlRequestsPerSecond,
        unit: 'req/s',
        baseline: 'same reads as plain SQL',
        baselineValue: s.sqlQueriesPerSecond,
        ratio: s.ratio,
        target: '≥ 25 % of plain SQL, zero errors',
        met: s.goalMet,
      },
      {
        benchmark: 'graphql-reads',
        figure: 'read mix over GraphQL',
        value: s.graphqlRequestsPerSecond,
        unit: 'req/s',
        baseline: 'plain NestJS + Apollo peer, one-row read',
        baselineValue: s.peerReadPerSecond,
        ratio: s.ratioToPeerRead,
        target: 'peer without errors',
        met: s.peerErrors === 0,
      },
      { benchmark: 'graphql-reads', figure: 'p95 latency', value: s.graphqlP95Ms, unit: 'ms', baseline: 'plain SQL p95', baselineValue: s.sqlP95Ms },
      { benchmark: 'graphql-reads', figure: 'peer ping (framework floor)', value: s.peerPingPerSecond, unit: 'req/s' },
    ],
  },
  {
    name: 'orders',
    script: 'bench:orders',
    describe: (s) => [
      {
        benchmark: 'orders',
        figure: `5-line orders over GraphQL (${s.clients} clients, ${s.agreements} agreements, ${s.listings} listings${s.historyOrders ? `, ${s.historyOrders} past orders` : ''})`,
        value: s.ordersPerSecond,
        unit: 'orders/s',
        baseline: `pgbench TPC-B tps (${s.pgbench})`,
        baselineValue: s.pgbenchTps,
        ratio: s.ratio,
        target: '≥ 20 % of pgbench, zero errors',
        met: s.errors === 0 && s.ratio >= 0.2,
      },
      {
        benchmark: 'orders',
        figure: '5-line orders over GraphQL',
        value: s.ordersPerSecond,
        unit: 'orders/s',
        baseline: 'plain NestJS + Apollo peer, locked idempotent transfer',
        baselineValue: s.peerTransferPerSecond,
        ratio: s.ratioToPeer,
        target: '≥ 50 % of the peer, zero errors',
        met: s.errors === 0 && s.peerErrors === 0 && s.ratioToPeer >= 0.5,
      },
      { benchmark: 'orders', figure: 'p95 latency', value: s.p95ms, unit: 'ms' },
    ],
  },
  {
    name: 'monitoring',
    script: 'bench:monitoring',
    describe: (s) => [
      { benchmark: 'monitoring', figure: `all rules over ${(s.lines / 1e6).toFixed(0)} M order lines (first run)`, value: +(s.firstRunMs / 1000).toFixed(1), unit: 's', target: '≤ 60 s', met: s.firstRunMs <= 60_000 },
      { benchmark: 'monitoring', figure: 're-run (updates, no duplicates)', value: +(s.secondRunMs / 1000).toFixed(1), unit: 's', target: '≤ 60 s', met: s.secondRunMs <= 60_000 },
    ],
  },
  {
    name: 'settlement',
    script: 'bench:settlement',
    describe: (s) => [
      {
        benchmark: 'settlement',
        figure: `one batch of ${s.lines} accepted lines`,
        value: s.batchSeconds,
        unit: 's',
        baseline: 'plain SQL INSERT … SELECT of the same postings',
        baselineValue: s.plainSqlSeconds,
        ratio: s.ratio,
        target: '≤ 60 s and ≤ 3 × plain SQL',
        met: s.batchSeconds <= 60 && s.ratio <= 3 && s.settledLines === s.lines && s.ledgerTotalFen === '0',
      },
      { benchmark: 'settlement', figure: 'app peak RSS', value: s.appPeakRssMb, unit: 'MB', target: '≤ 1,024 MB', met: s.appPeakRssMb <= 1024 },
    ],
  },
  {
    name: 'cockpit',
    script: 'bench:cockpit',
    describe: (s) => [
      { benchmark: 'cockpit', figure: `cockpit page load, logged in, median of ${s.loads} (navigation to every chart drawn)`, value: s.medianMs, unit: 'ms', target: '< 2,000 ms', met: s.goalMet },
      { benchmark: 'cockpit', figure: 'cockpit page load, best', value: s.bestMs, unit: 'ms' },
    ],
  },
];

function run(bench: Bench): { rows: Row[]; error?: string; seconds: number } {
  const started = Date.now();
  process.stdout.write(`▶ ${bench.name} … `);
  const result = spawnSync('npm', ['run', '-s', bench.script, '--', ...(bench.args ?? [])], {
    cwd: join(__dirname, '..'),
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 * 1024 * 1024,
  });
  const seconds = Math.round((Date.now() - started) / 1000);
  const last = (result.stdout ?? '').trim().split('\n').pop() ?? '';
  try {
    if (result.status !== 0) throw new Error(`exit ${result.status}`);
    const rows = bench.describe(JSON.parse(last));
    process.stdout.write(`done in ${seconds} s\n`);
    return { rows, seconds };
  } catch (error) {
    process.stdout.write(`FAILED in ${seconds} s\n`);
    return { rows: [], error: `${(error as Error).message}: ${last.slice(0, 300)}`, seconds };
  }
}

function markdown(rows: Row[], failures: string[], when: string): string {
  const n = (v?: number) => (v === undefined ? '' : v.toLocaleString('en-US'));
  const lines = [
    `# Benchmarks — ${when}`,
    '',
    'Machine: 2 cores, 24 GB, Node 20; each benchmark on a fresh embedded PostgreSQL. `npm run bench` regenerates this file.',
    '',
    '| Benchmark | Figure | Value | Baseline (same run) | Ratio | Target | Met |',
    '|---|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.benchmark} | ${r.figure} | ${n(r.value)} ${r.unit} | ${r.baseline ? `${r.baseline}: ${n(r.baselineValue)}` : ''} | ${r.ratio ?? ''} | ${r.target ?? ''} | ${r.met === undefined ? '' : r.met ? 'yes' : 'no'} |`),
  ];
  if (failures.length) lines.push('', '## Failed', '', ...failures.map((f) => `- ${f}`));
  return lines.join('\n') + '\n';
}

function main() {
  const only = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const rows: Row[] = [];
  const failures: string[] = [];
  const results: Record<string, unknown> = {};
  for (const bench of BENCHES.filter((b) => !only.length || only.includes(b.name))) {
    const outcome = run(bench);
    rows.push(...outcome.rows);
    results[bench.name] = outcome;
    if (outcome.error) failures.push(`${bench.name}: ${outcome.error}`);
  }
  const when = new Date().toISOString();
  const dir = join(__dirname, 'results');
  // `npm run bench -- orders settlement` re-measures those; the others keep their last figures, labelled with their date
  if (only.length && existsSync(join(dir, 'latest.json'))) {
    const previous = JSON.parse(readFileSync(join(dir, 'latest.json'), 'utf8')) as { when: string; rows: (Row & { measuredAt?: string })[] };
    for (const row of previous.rows.filter((r) => !only.includes(r.benchmark))) {
      const measuredAt = row.measuredAt ?? previous.when;
      rows.push({ ...row, measuredAt, figure: row.figure.includes('(measured ') ? row.figure : `${row.figure} (measured ${measuredAt.slice(0, 10)})` } as Row);
    }
    rows.sort((a, b) => BENCHES.findIndex((x) => x.name === a.benchmark) - BENCHES.findIndex((x) => x.name === b.benchmark));
  }
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'latest.json'), JSON.stringify({ when, rows, failures, results }, null, 2) + '\n');
  const md = markdown(rows, failures, when);
  writeFileSync(join(dir, 'latest.md'), md);
  process.stdout.write('\n' + md);
  if (failures.length) process.exit(1);
}

main();
