/**
 * National-scale benchmark of the evaluation engine (not part of `npm test`):
 * 60 lots × 40 bids, 46,000 hospitals reporting demand to every lot across 31 regions = 2.76 M demand lines.
 *
 *   npm run -s bench:evaluation            (add `-- --runs 3` to repeat the evaluation)
 *
 * The round is generated in process from a fixed seed, validated, then evaluated. Reported: wall time of
 * validation and of evaluation, demand lines per second, and peak memory (resourceUsage().maxRSS, the
 * kernel's high-water mark, plus rss/heap sampled after each phase). The last stdout line is one JSON
 * object so a suite runner can collect it.
 */
import { cpus } from 'os';
import { evaluateRound } from '../../libs/vbp-rules/src/evaluate';
import { BidInput, DemandLineInput, LotInput, RoundInput } from '../../libs/vbp-rules/src/types';
import { validateInput } from '../../libs/vbp-rules/src/validate';
import { BATCH_11, ruleSetOf } from '../../libs/vbp-rules/src/presets';

const LOT_COUNT = 60;
const BIDS_PER_LOT = 40;
const HOSPITAL_COUNT = 46_000;
const REGION_COUNT = 31;
const BRAND_NAMING_RATE = 0.77; // share of hospitals naming a preferred brand (batch 11 reporting)

/** Small deterministic PRNG (mulberry32) so every run benchmarks the same round. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A 4-decimal price string for `tenThousandths` / 10 000 (integer formatting only). */
function price(tenThousandths: number): string {
  const whole = Math.floor(tenThousandths / 10_000);
  return `${whole}.${String(tenThousandths - whole * 10_000).padStart(4, '0')}`;
}

function generateRound(): RoundInput {
  const random = seededRandom(20260301);
  const pick = (n: number): number => Math.floor(random() * n);
  const regions = Array.from({ length: REGION_COUNT }, (_, index) => `R${String(index + 1).padStart(2, '0')}`);
  const hospitalIds = Array.from({ length: HOSPITAL_COUNT }, (_, index) => `H${String(index + 1).padStart(6, '0')}`);
  const hospitalRegion = hospitalIds.map(() => regions[pick(REGION_COUNT)]);
  const manufacturers = Array.from({ length: BIDS_PER_LOT }, (_, index) => `M${String(index + 1).padStart(3, '0')}`);

  const lots: LotInput[] = [];
  for (let lotIndex = 0; lotIndex < LOT_COUNT; lotIndex++) {
    const lotId = `LOT-${String(lotIndex + 1).padStart(3, '0')}`;
    const ceiling = 5_000 + pick(200_000); // 0.5000 .. 20.4999
    const specs = [
      { id: 'S1', comparableFactor: '1', ceilingUnitPrice: price(ceiling) },
      { id: 'S2', comparableFactor: '1.7', ceilingUnitPrice: price(Math.floor(ceiling * 1.7)) },
      { id: 'S3', comparableFactor: '2.89', ceilingUnitPrice: price(Math.floor(ceiling * 2.89)) },
    ];
    const demand: DemandLineInput[] = new Array(HOSPITAL_COUNT);
    for (let h = 0; h < HOSPITAL_COUNT; h++) {
      const preferred = random() < BRAND_NAMING_RATE ? manufacturers[pick(BIDS_PER_LOT)] : null;
      demand[h] = {
        hospitalId: hospitalIds[h],
        regionId: hospitalRegion[h],
        quantity: pick(200_000),
        preferredManufacturerId: preferred,
      };
    }
    const bids: BidInput[] = manufacturers.map((manufacturerId, bidIndex) => {
      const specIndex = pick(3);
      const factor = [1, 1.7, 2.89][specIndex];
      // Prices from 15% to 105% of the ceiling, so some bids are invalid and the tests all matter.
      const unitPrice = Math.floor(ceiling * factor * (0.15 + random() * 0.9));
      const preferences = Array.from({ length: pick(4) }, () => regions[pick(REGION_COUNT)]);
      return {
        id: `${lotId}-B${String(bidIndex + 1).padStart(2, '0')}`,
        manufacturerId,
        specId: specs[specIndex].id,
        unitPrice: price(unitPrice),
        submittedAt: `2026-03-01T09:${String(pick(60)).padStart(2, '0')}:${String(pick(60)).padStart(2, '0')}+08:00`,
        demandShare: `0.${String(pick(1000)).padStart(3, '0')}`,
        acceptsRevival: random() < 0.5,
        regionPreferences: [...new Set(preferences)],
      };
    });
    lots.push({ id: lotId, specs, regions, demand, bids });
  }
  return { ruleSet: ruleSetOf(BATCH_11), lots };
}

function megabytes(bytes: number): number {
  return Math.round((bytes / 1024 / 1024) * 10) / 10;
}

function main(): void {
  const runsArg = process.argv.indexOf('--runs');
  const runs = runsArg >= 0 ? Math.max(1, Number(process.argv[runsArg + 1])) : 1;

  let started = process.hrtime.bigint();
  const input = generateRound();
  const generateMs = Number(process.hrtime.bigint() - started) / 1e6;
  const demandLines = input.lots.reduce((sum, lot) => sum + lot.demand.length, 0);

  started = process.hrtime.bigint();
  const validation = validateInput(input);
  const validateMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (!validation.ok) throw new Error(`generated round is invalid at ${validation.path}: ${validation.error}`);

  const evaluateMsByRun: number[] = [];
  let rssAfterEvaluateBytes = 0;
  let heapAfterEvaluateBytes = 0;
  let awardedLots = 0;
  let allocations = 0;
  for (let run = 0; run < runs; run++) {
    started = process.hrtime.bigint();
    const result = evaluateRound(validation.input);
    evaluateMsByRun.push(Number(process.hrtime.bigint() - started) / 1e6);
    const memory = process.memoryUsage();
    rssAfterEvaluateBytes = Math.max(rssAfterEvaluateBytes, memory.rss);
    heapAfterEvaluateBytes = Math.max(heapAfterEvaluateBytes, memory.heapUsed);
    awardedLots = result.lots.filter((lot) => lot.status === 'AWARDED').length;
    allocations = result.lots.reduce((sum, lot) => sum + lot.allocations.length, 0);
  }

  const evaluateMs = evaluateMsByRun[0];
  const summary = {
    bench: 'evaluation',
    lots: LOT_COUNT,
    bidsPerLot: BIDS_PER_LOT,
    hospitals: HOSPITAL_COUNT,
    regions: REGION_COUNT,
    demandLines,
    awardedLots,
    allocations,
    generateMs: Math.round(generateMs),
    validateMs: Math.round(validateMs),
    evaluateMs: Math.round(evaluateMs),
    evaluateMsByRun: evaluateMsByRun.map(Math.round),
    evaluateLinesPerSecond: Math.round(demandLines / (evaluateMs / 1000)),
    validateAndEvaluateLinesPerSecond: Math.round(demandLines / ((validateMs + evaluateMs) / 1000)),
    rssAfterEvaluateMB: megabytes(rssAfterEvaluateBytes),
    heapUsedAfterEvaluateMB: megabytes(heapAfterEvaluateBytes),
    peakRssMB: megabytes(process.resourceUsage().maxRSS * 1024),
    node: process.version,
    cpu: `${cpus().length} x ${cpus()[0]?.model ?? 'unknown'}`,
  };
  const lines = [
    `demand lines            ${demandLines.toLocaleString('en-US')} (${LOT_COUNT} lots x ${HOSPITAL_COUNT} hospitals, ${REGION_COUNT} regions, ${BIDS_PER_LOT} bids/lot)`,
    `generate (not timed)    ${summary.generateMs} ms`,
    `validate                ${summary.validateMs} ms`,
    `evaluate                ${summary.evaluateMs} ms  (runs: ${summary.evaluateMsByRun.join(', ')} ms)`,
    `evaluate throughput     ${summary.evaluateLinesPerSecond.toLocaleString('en-US')} lines/s`,
    `validate+evaluate       ${summary.validateAndEvaluateLinesPerSecond.toLocaleString('en-US')} lines/s`,
    `peak RSS (maxRSS)       ${summary.peakRssMB} MB`,
  ];
  process.stdout.write(`${lines.join('\n')}\n${JSON.stringify(summary)}\n`);
}

main();
