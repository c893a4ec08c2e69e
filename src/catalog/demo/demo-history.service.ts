import { Inject, Injectable, Type } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { lineAmountFen } from '@libs/money';
import { APP_CONFIG, AppConfig } from '../../platform/config/app-config';
import { Clock, PlatformClock } from '../../platform/clock/clock';
import { PlatformSetting } from '../../platform/clock/platform-setting.entity';
import { Db } from '../../platform/database/db';
import { withStartupLock } from '../../platform/database/migrate';
import { AuthUser, RequestContext } from '../../platform/context/request-context';
import { Loaders } from '../../platform/graphql/loaders';
import { JobsService } from '../../platform/jobs/jobs.service';
import { Role } from '../../platform/auth/roles';
import { RoundsService } from '../../tendering/rounds.service';
import { DemandService } from '../../tendering/demand.service';
import { BidsService } from '../../tendering/bids.service';
import { PublicityService } from '../../tendering/publicity.service';
import { OpeningCommitteeService } from '../../tendering/opening-committee.service';
import { CreditService } from '../../credit/credit.service';
import { CreditNoticesService } from '../../credit/credit-notices.service';
import { ListingService } from '../../listing/listing.service';
import { ReferencePricesService } from '../../listing/reference-prices.service';
import { OrdersService } from '../../orders/orders.service';
import { OrderLine, PurchaseOrder } from '../../orders/purchase-order.entity';
import { ReceiptLine } from '../../orders/shipment.entity';
import { DistributorsService } from '../../orders/distributors.service';
import { POST_PREPAYMENTS_JOB, SettlementBatchesService } from '../../settlement/settlement-batches.service';
import { PayeeAccountsService } from '../../settlement/payee-accounts.service';
import { FundAllotmentsService } from '../../settlement/fund-allotments.service';
import { CONFIRM_LINES_JOB } from '../../settlement/line-confirmations.service';
import { UsersService } from '../users/users.service';
import { MonitoringService } from '../../supervision/monitoring.service';
import { ClaimsService } from '../../supervision/claims.service';
import { OffPlatformPurchasesService } from '../../orders/off-platform-purchases.service';
import { AlertsService } from '../../supervision/alerts.service';
import { DEMO_ORGANISATIONS, DEMO_PASSWORD, DEMO_REFERENCE_PRICES } from './demo-data';

export const DEMO_HISTORY_KEY = 'demo.history';
/** Who holds the key shares of the history's rounds when they are sealed for a committee (production). */
const DEMO_OPENING_COMMITTEE = ['reg-henan', 'reg-zz', 'reg-ly'];
/** The demo rounds' rule set: price ratio 1.8 to the lowest, revival, winners' share and cycle by count. */
const DEMO_RULE_SET = {
  priceRatio: '1.8',
  anchor: 'LOWEST',
  lowPriceThreshold: '0.10',
  ceilingReduction: '0.50',
  shortlist: { minus: 0, max: 10 },
  revival: true,
  tieBreak: ['UNIT_COMPARABLE_PRICE', 'DEMAND_SHARE', 'SUBMITTED_AT', 'BID_ID'],
  volumeShareByWinners: ['0.5', '0.6', '0.7', '0.8'],
  cycleYearsByWinners: [1, 2, 2, 3],
};
const DAY = 86_400_000;
const SHANGHAI = 8 * 3_600_000;

/** Deterministic pseudo-random numbers (mulberry32): the same seed gives the same province. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export interface DemoHistoryReport {
  seeded: boolean;
  ms: number;
  /** CPU time of this process while seeding (the database's own is not in it). */
  appCpuMs: number;
  anchor: string;
  rounds: number;
  orders: number;
  orderLines: number;
  batches: number;
  alerts: number;
  /** Milliseconds per part of the story. */
  phases: Record<string, number>;
  skippedOrderLines: Record<string, number>;
}

/**
 * A province in motion: a year of history driven through the real services, each call made with the
 * platform clock pinned at the moment it happens in the story (PlatformClock.pin), so every deadline, SLA,
 * working day and audit entry is the services' own. Nothing is written around the rules: this class only
 * calls services and reads rows to find ids.
 *
 * The story is anchored at the day of first seeding (Asia/Shanghai; a test's fake clock gives a fixed one)
 * and is the same story for the same anchor: a fixed pseudo-random seed, fixed hours of the day.
 * Day 0 is the anchor day; history runs from day −400 to day −1, and the rounds waiting for today have
 * their deadlines after day 0.
 */
@Injectable()
export class DemoHistoryService {
  private readonly users = new Map<string, RequestContext>();
  private readonly org = new Map<string, string>();
  private readonly product = new Map<string, string>();
  private anchorDay = 0; // ms of 00:00 Shanghai of day 0
  private random = prng(20260101);
  private orderSeq = 0;
  private readonly phases: Record<string, number> = {};
  /** Order lines left out because the rules refused them at that moment (a suspension, a sanction), by code. */
  private readonly skipped: Record<string, number> = {};
  private phaseStarted = 0;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly db: Db,
    private readonly jobs: JobsService,
    private readonly moduleRef: ModuleRef,
  ) {}

  private svc<T>(type: Type<T>): T {
    return this.moduleRef.get(type, { strict: false });
  }

  /** Seeds the history once per database; later starts find the marker and return at once. */
  async ensure(): Promise<DemoHistoryReport | null> {
    if (!(this.clock instanceof PlatformClock)) return null;
    return withStartupLock(this.db.dataSource, async () => {
      const done = await this.db.manager.findOne(PlatformSetting, { where: { key: DEMO_HISTORY_KEY } });
      if (done) return null;
      const started = Date.now();
      const cpu = process.cpuUsage();
      const clock = this.clock as PlatformClock;
      const now = clock.now();
      this.anchorDay = Math.floor((now.getTime() + SHANGHAI) / DAY) * DAY - SHANGHAI;
      this.random = prng(20260101);
      await this.db.manager.insert(PlatformSetting, { key: DEMO_HISTORY_KEY, value: { state: 'SEEDING', anchor: this.dateOf(0) }, updatedAt: clock.wallNow() });
      try {
        const report = await this.story();
        const ms = Date.now() - started;
        const used = process.cpuUsage(cpu);
        const appCpuMs = Math.round((used.user + used.system) / 1000);
        await this.db.manager.update(PlatformSetting, { key: DEMO_HISTORY_KEY }, { value: { state: 'DONE', anchor: this.dateOf(0), ms, appCpuMs, ...report }, updatedAt: clock.wallNow() });
        return { seeded: true, ms, appCpuMs, anchor: this.dateOf(0), ...report };
      } catch (error) {
        await this.db.manager.update(PlatformSetting, { key: DEMO_HISTORY_KEY }, { value: { state: 'FAILED', anchor: this.dateOf(0), error: String((error as Error)?.message ?? error) }, updatedAt: clock.wallNow() });
        throw error;
      } finally {
        clock.unpin();
      }
    });
  }

  // ---- time ---------------------------------------------------------------------------------------------

  /** Day `day` (relative to the anchor day) at hh:mm Shanghai. */
  private at(day: number, hh = 9, mm = 0): Date {
    return new Date(this.anchorDay + day * DAY + hh * 3_600_000 + mm * 60_000);
  }

  private dateOf(day: number): string {
    return new Date(this.anchorDay + day * DAY + SHANGHAI).toISOString().slice(0, 10);
  }

  private phase(name: string): void {
    const now = Date.now();
    if (this.phaseStarted) this.phases[name] = now - this.phaseStarted;
    this.phaseStarted = now;
  }

  private pin(instant: Date): void {
    (this.clock as PlatformClock).pin(instant);
  }

  // ---- who ----------------------------------------------------------------------------------------------

  private async loadIds(): Promise<void> {
    const rows: { id: string; username: string; role: Role; organisation_id: string; kind: string; region_code: string; path: string; key: string }[] = await this.db.manager.query(
      `SELECT u.id, u.username, u.role, u.organisation_id, o.kind, o.region_code, r.path, o.external_key AS key
         FROM app_user u JOIN organisation o ON o.id = u.organisation_id JOIN region r ON r.code = o.region_code`,
    );
    for (const r of rows) {
      const user: AuthUser = { id: r.id, username: r.username, role: r.role, organisationId: r.organisation_id, organisationKind: r.kind, regionCode: r.region_code, regionPath: r.path };
      this.users.set(r.username, { requestId: `demo-seed:${r.username}`, user, authError: null, loaders: new Loaders() });
      if (r.key) this.org.set(r.key, r.organisation_id);
    }
    for (const p of await this.db.manager.query<{ id: string; external_key: string }[]>(`SELECT id, external_key FROM product WHERE external_key IS NOT NULL`)) this.product.set(p.external_key, p.id);
  }

  private as(username: string): RequestContext {
    const ctx = this.users.get(username);
    if (!ctx) throw new Error(`demo history: no user ${username}`);
    return { ...ctx, loaders: new Loaders() };
  }

  private orgId(key: string): string {
    const id = this.org.get(key);
    if (!id) throw new Error(`demo history: no organisation ${key}`);
    return id;
  }

  private productId(key: string): string {
    const id = this.product.get(key);
    if (!id) throw new Error(`demo history: no product ${key}`);
    return id;
  }

  private async varietySpecs(code: string): Promise<{ id: string; specs: Record<string, string> }> {
    const [v] = await this.db.manager.query<{ id: string }[]>(`SELECT id FROM variety WHERE code = $1`, [code]);
    const specs = await this.db.manager.query<{ id: string; spec: string }[]>(`SELECT id, spec FROM variety_spec WHERE variety_id = $1`, [v.id]);
    return { id: v.id, specs: Object.fromEntries(specs.map((s) => [s.spec, s.id])) };
  }

  // ---- the story ----------------------------------------------------------------------------------------

  private async story(): Promise<Omit<DemoHistoryReport, 'seeded' | 'ms' | 'appCpuMs' | 'anchor'>> {
    this.phaseStarted = Date.now();
    await this.loadIds();
    const manufacturers = DEMO_ORGANISATIONS.filter((o) => o.kind === 'MANUFACTURER').map((o) => o.key);

    // day −400: commitment letters, distributors appointed per city and for the rest of the province
    const credit = this.svc(CreditService);
    await this.together(this.at(-400, 10), manufacturers, async (m) => {
      await credit.fileCommitmentLetter(this.as(m), { documentRef: `CL-${this.dateOf(-400).slice(0, 4)}-${m}`, signedOn: this.dateOf(-401) });
    });
    const distributors = this.svc(DistributorsService);
    const routes: [string, string][] = [['410100', 'dist-zy'], ['410300', 'dist-ly'], ['411300', 'dist-ny'], ['410000', 'dist-yj']];
    await this.together(this.at(-400, 11), manufacturers, async (m) => {
      for (const [regionCode, dist] of routes) {
        await distributors.appoint(this.as(m), { distributorId: this.orgId(dist), regionCode, startsAt: this.at(-399, 0) });
      }
    });

    // day −398: other provinces' listing prices (价格联动 references)
    const references = this.svc(ReferencePricesService);
    await this.together(this.at(-398, 10), DEMO_REFERENCE_PRICES, async (r) => {
      const effectiveOn = r.effectiveDate < this.dateOf(-398) ? r.effectiveDate : this.dateOf(-398);
      await references.record(this.as('reg-henan'), { productId: this.productId(r.productKey), provinceCode: r.provinceCode, unitPrice: r.unitPrice, effectiveOn, source: r.source });
    });

    this.phase('lettersAppointmentsReferences');
    // two completed provincial rounds: drugs (cycle from day −330) and high-value consumables (from day −300)
    await this.completedDrugRound();
    await this.completedConsumableRound();

    this.phase('completedRounds');
    // listing prices in force, some suspended later
    const listings = await this.listings();
    this.phase('listings');

    // credit: a repair, then a sanctioned manufacturer (its listings suspended by the sanction)
    await this.creditStory();

    // a year of orders: monthly per hospital, agreement and listed products; settlement monthly
    this.phase('credit');
    const orderStats = await this.orders(listings);
    this.phase('orders');
    const batches = await this.settlement();
    this.phase('settlement');

    // hospitals' insurance settlement lists for the last months, and what they reported buying off the platform
    await this.insuranceClaims();
    this.phase('insuranceClaims');

    // monitoring on the last months, and cases in several states
    const alerts = await this.monitoring();
    this.phase('monitoring');

    // work waiting today
    await this.roundInBidding();
    await this.roundInDemandReporting();
    this.pin(this.at(-2, 15));
    await this.svc(ListingService).apply(this.as('mfr-theta'), { productId: this.productId('famo-20-theta'), unitPrice: '4.8000' });
    await this.ordersWaiting(listings);
    this.phase('today');

    return { rounds: 4, orders: orderStats.orders, orderLines: orderStats.lines, batches, alerts, phases: { ...this.phases }, skippedOrderLines: { ...this.skipped } };
  }

  // ---- tendering ----------------------------------------------------------------------------------------

  private readonly drugHospitals = ['hosp-zz-1', 'hosp-zz-2', 'hosp-zz-3', 'hosp-zz-6', 'hosp-zz-10', 'hosp-ly-1', 'hosp-ly-2', 'hosp-ly-4', 'hosp-ny-1', 'hosp-ny-3'];
  private readonly deviceHospitals = ['hosp-zz-1', 'hosp-zz-2', 'hosp-zz-3', 'hosp-ly-1', 'hosp-ny-1'];

  private async runRound(spec: {
    name: string;
    created: number;
    demandDeadline: Date;
    bidDeadline: Date;
    cycleStart: Date;
    lots: { variety: string; specs: [string, string][] }[];
    demand: { hospitals: string[]; base: number; step: number };
    bids: [string, number, string, string, string[]][];
    publicityDays?: number;
    stopAt: 'DEMAND_REPORTING' | 'BIDDING' | 'CONFIRMED';
    objection?: [string, number, string];
  }): Promise<string> {
    const rounds = this.svc(RoundsService);
    const regulator = this.as('reg-henan');
    const lots = [];
    for (const l of spec.lots) {
      const v = await this.varietySpecs(l.variety);
      lots.push({ varietyId: v.id, specs: l.specs.map(([s, ceiling]) => ({ varietySpecId: v.specs[s], ceilingUnitPrice: ceiling })) });
    }
    this.pin(this.at(spec.created, 10));
    const round = await rounds.create(regulator, {
      name: spec.name,
      level: 'PROVINCIAL',
      coveredRegionCodes: ['410100', '410300', '411300'],
      lots,
      ruleSet: { customJson: JSON.stringify(DEMO_RULE_SET) },
      demandDeadline: spec.demandDeadline,
      bidDeadline: spec.bidDeadline,
      cycleStart: spec.cycleStart,
      publicityDays: spec.publicityDays ?? 3,
    });
    this.pin(this.at(spec.created, 11));
    await rounds.publish(regulator, round.id);
    // production's sealing mode: a committee of the provincial and two city bureaus, any 2 of 3 open the bids
    const committee = round.sealingMode === 'COMMITTEE' ? DEMO_OPENING_COMMITTEE : [];
    const opening = this.svc(OpeningCommitteeService);
    if (committee.length) await opening.designate(regulator, round.id, { threshold: 2, memberUserIds: committee.map((u) => this.as(u).user!.id) });
    const lotRows = await rounds.lots(round.id);
    const demand = this.svc(DemandService);
    await this.together(this.at(spec.created + 1, 10), [...spec.demand.hospitals.entries()], async ([h, hospital]) => {
      for (const [l, lot] of lotRows.entries()) {
        await demand.report(this.as(hospital), { lotId: lot.id, quantity: spec.demand.base + spec.demand.step * h + 500 * l });
      }
    });
    if (spec.stopAt === 'DEMAND_REPORTING') return round.id;
    this.pin(new Date(spec.demandDeadline.getTime() + 60_000));
    await rounds.tick();
    const bids = this.svc(BidsService);
    for (const [i, [mfr, lot, product, unitPrice, regionPreferences]] of spec.bids.entries()) {
      this.pin(new Date(spec.demandDeadline.getTime() + (i + 1) * 3_600_000));
      await bids.submit(this.as(mfr), { lotId: lotRows[lot].id, productId: this.productId(product), unitPrice, supplyCapacity: 5_000_000, regionPreferences, acceptsRevival: true });
    }
    // a round still in bidding keeps its shares for its members to fetch (myOpeningKeyShare, once each)
    if (spec.stopAt === 'BIDDING') return round.id;
    // 开标 by the scheduler at the deadline, publicity, an objection answered, confirmation
    this.pin(new Date(spec.bidDeadline.getTime() + 60_000));
    await rounds.tick();
    // a committee round opens with its 2nd share (each member fetches theirs once); the regulator's call then
    // reads the stored outcome
    for (const member of committee.slice(0, 2)) await opening.submitShare(this.as(member), round.id, (await opening.deliverShare(this.as(member), round.id)).share);
    await rounds.openRound(regulator, round.id);
    const publicity = this.svc(PublicityService);
    this.pin(new Date(spec.bidDeadline.getTime() + 3 * 3_600_000));
    const publicized = await publicity.publicize(regulator, round.id);
    if (spec.objection) {
      const [mfr, lot, text] = spec.objection;
      this.pin(new Date(spec.bidDeadline.getTime() + 26 * 3_600_000));
      const objection = await publicity.fileObjection(this.as(mfr), { roundId: round.id, lotId: lotRows[lot].id, text });
      this.pin(new Date(spec.bidDeadline.getTime() + 50 * 3_600_000));
      await publicity.answerObjection(regulator, objection.id, '经复核，评审结果符合采购文件规则，维持原结果');
    }
    this.pin(new Date(publicized.publicityEndsAt!.getTime() + 3_600_000));
    await publicity.confirm(regulator, round.id);
    // the cycle starts: the scheduler puts the agreements in effect; prepayments fall due and are posted
    this.pin(new Date(spec.cycleStart.getTime() + 60_000));
    await rounds.tick();
    this.pin(new Date(spec.cycleStart.getTime() + 2 * 3_600_000));
    await this.jobs.runNow(POST_PREPAYMENTS_JOB);
    return round.id;
  }

  private completedDrugRound(): Promise<string> {
    return this.runRound({
      name: '河南省药品带量采购（第一批·演示）',
      created: -392,
      demandDeadline: this.at(-382, 17),
      bidDeadline: this.at(-372, 9),
      cycleStart: this.at(-330, 0),
      lots: [
        { variety: 'ATORVASTATIN', specs: [['10mg', '2.0000'], ['20mg', '3.4000']] },
        { variety: 'AMLODIPINE', specs: [['5mg', '1.0000'], ['10mg', '1.7000']] },
        { variety: 'ROSUVASTATIN', specs: [['10mg', '3.0000'], ['20mg', '5.1000']] },
      ],
      demand: { hospitals: this.drugHospitals, base: 60_000, step: 4_000 },
      bids: [
        ['mfr-alpha', 0, 'atorva-10-alpha', '0.3000', ['410100', '410300']],
        ['mfr-epsilon', 0, 'atorva-20-epsilon', '0.5100', ['410300']],
        ['mfr-eta', 0, 'atorva-20-eta', '0.6800', ['411300']],
        ['mfr-orig-a', 0, 'atorva-10-origa', '1.5000', []],
        ['mfr-beta', 1, 'amlo-5-beta', '0.1500', ['410100']],
        ['mfr-zeta', 1, 'amlo-10-zeta', '0.2720', ['410300']],
        ['mfr-orig-b', 1, 'amlo-5-origb', '0.9000', []],
        ['mfr-eta', 2, 'rosu-10-eta', '0.4000', ['411300', '410100']],
        ['mfr-lambda', 2, 'rosu-20-lambda', '0.7480', ['410100']],
        ['mfr-orig-a', 2, 'rosu-10-origa', '2.9000', []],
      ],
      stopAt: 'CONFIRMED',
      objection: ['mfr-orig-a', 0, '对阿托伐他汀钙片价格测试结果有异议，请求复核'],
    });
  }

  private completedConsumableRound(): Promise<string> {
    return this.runRound({
      name: '河南省高值医用耗材带量采购（冠脉支架·演示）',
      created: -362,
      demandDeadline: this.at(-352, 17),
      bidDeadline: this.at(-342, 9),
      cycleStart: this.at(-300, 0),
      lots: [
        { variety: 'CORONARY-DES', specs: [['支架系统（含输送系统）', '1500.0000']] },
        { variety: 'PTCA-BALLOON', specs: [['球囊扩张导管', '1200.0000']] },
      ],
      demand: { hospitals: this.deviceHospitals, base: 400, step: 60 },
      bids: [
        ['mfr-stent-a', 0, 'des-stent-a', '690.0000', ['410100']],
        ['mfr-stent-b', 0, 'des-stent-b', '748.0000', ['410300']],
        ['mfr-import', 0, 'des-import', '798.0000', ['411300']],
        ['mfr-stent-a', 1, 'ptca-stent-a', '260.0000', ['410100']],
        ['mfr-stent-b', 1, 'ptca-stent-b', '285.0000', ['410300']],
        ['mfr-import', 1, 'ptca-import', '320.0000', []],
      ],
      stopAt: 'CONFIRMED',
    });
  }

  private roundInBidding(): Promise<string> {
    return this.runRound({
      name: '河南省药品带量采购（第二批·演示）',
      created: -16,
      demandDeadline: this.at(-6, 17),
      bidDeadline: this.at(3, 10),
      cycleStart: this.at(45, 0),
      lots: [
        { variety: 'CLOPIDOGREL', specs: [['75mg', '3.0000'], ['25mg', '1.2900']] },
        { variety: 'ENTECAVIR', specs: [['0.5mg', '6.0000'], ['1mg', '10.2000']] },
      ],
      demand: { hospitals: this.drugHospitals, base: 30_000, step: 2_000 },
      bids: [
        ['mfr-epsilon', 0, 'clop-75-epsilon', '1.8000', ['410300']],
        ['mfr-kappa', 0, 'clop-75-kappa', '1.2000', ['410100']],
        ['mfr-orig-a', 0, 'clop-75-origa', '2.9000', []],
        ['mfr-epsilon', 1, 'ente-05-epsilon', '3.0000', ['410100']],
        ['mfr-zeta', 1, 'ente-05-zeta', '2.5000', ['411300']],
        ['mfr-orig-b', 1, 'ente-05-origb', '5.5000', []],
      ],
      stopAt: 'BIDDING',
    });
  }

  private roundInDemandReporting(): Promise<string> {
    return this.runRound({
      name: '河南省药品带量采购（第三批·演示）',
      created: -3,
      demandDeadline: this.at(5, 17),
      bidDeadline: this.at(15, 10),
      cycleStart: this.at(60, 0),
      lots: [
        { variety: 'METFORMIN', specs: [['0.5g', '0.1200'], ['0.25g', '0.0710']] },
        { variety: 'LEVOFLOXACIN', specs: [['0.5g', '2.0000'], ['0.25g', '1.1800']] },
      ],
      demand: { hospitals: this.drugHospitals.slice(0, 4), base: 50_000, step: 3_000 },
      bids: [],
      stopAt: 'DEMAND_REPORTING',
    });
  }

  // ---- listing ------------------------------------------------------------------------------------------

  /** Listed products by key → listing id. */
  private async listings(): Promise<Map<string, string>> {
    const listing = this.svc(ListingService);
    const listed = new Map<string, string>();
    const applications: [string, string, string][] = [
      ['mfr-alpha', 'omep-20-alpha', '0.9500'],
      ['mfr-theta', 'omep-20-theta', '0.7400'],
      ['mfr-alpha', 'famo-20-alpha', '3.9000'],
      ['mfr-kappa', 'famo-20-kappa', '5.0000'],
      ['mfr-gamma', 'smec-3-gamma', '0.8500'],
      ['mfr-delta', 'smec-3-delta', '0.9200'],
      ['mfr-delta', 'cefu-0125-delta', '0.9800'],
      ['mfr-theta', 'ceft-1-theta', '8.4500'],
      ['mfr-lambda', 'ceft-1-lambda', '7.5000'],
      ['mfr-gamma', 'amox-025-gamma', '0.1700'],
      ['mfr-alpha', 'amox-025-alpha', '0.2100'],
      ['mfr-zeta', 'cefu-025-zeta', '1.9000'],
      ['mfr-eta', 'levo-05-eta', '3.5000'],
      ['mfr-beta', 'metf-05-beta', '0.1600'],
    ];
    for (const [i, [mfr, key, price]] of applications.entries()) {
      this.pin(this.at(-320 + (i % 5), 10, i));
      const application = await listing.apply(this.as(mfr), { productId: this.productId(key), unitPrice: price });
      if (application.state === 'PENDING_REVIEW') {
        this.pin(this.at(-314, 15, i));
        await listing.review(this.as('reg-henan'), { applicationId: application.id, decision: 'APPROVE', note: '经审核，同意挂网' });
      }
      listed.set(key, application.listingId);
    }
    // a price cut through a new application, and a delivery suspension after repeated late deliveries
    this.pin(this.at(-150, 10));
    await listing.apply(this.as('mfr-alpha'), { productId: this.productId('omep-20-alpha'), unitPrice: '0.9000' }).catch(() => undefined);
    this.pin(this.at(-60, 16));
    await listing.suspendOrReinstate(this.as('reg-henan'), listed.get('famo-20-kappa')!, { suspend: 'DELIVERY' }, '多次配送不及时，暂停挂网');
    return listed;
  }

  // ---- credit -------------------------------------------------------------------------------------------

  private async creditStory(): Promise<void> {
    const credit = this.svc(CreditService);
    const notices = this.svc(CreditNoticesService);
    const regulator = this.as('reg-henan');
    // due process: every event is a notice first; the manufacturer replies, a regulator decides, then it counts
    const noticeOf = async (eventId: string) => (await notices.noticeOfEvent(eventId))!.id;
    // mfr-theta: a breach of contract, noticed, replied to, upheld, then repaired
    this.pin(this.at(-220, 10));
    const breach = await credit.recordCreditEvent(regulator, { organisationId: this.orgId('mfr-theta'), behaviour: 'BREACH_OF_CONTRACT', amount: null, occurredOn: this.dateOf(-230), evidence: '（演示）未按合同约定时间供货，豫医保函〔演示〕12号', productIds: [] });
    this.pin(this.at(-219, 15));
    await notices.reply(this.as('mfr-theta'), await noticeOf(breach.id), { statement: '（演示）因原料短缺延迟供货，已补足', documents: [{ documentRef: '（演示）补货凭证-001' }] });
    this.pin(this.at(-215, 10));
    await notices.decide(regulator, await noticeOf(breach.id), { decision: 'UPHOLD', reasons: '（演示）延迟供货事实清楚，陈述理由不足以免责' });
    this.pin(this.at(-200, 10));
    const repair = await credit.fileRepair(this.as('mfr-theta'), { measures: ['STOPPED_CONDUCT', 'COMPLIANCE_REPORT'], statement: '已完成整改并建立供货保障机制' });
    this.pin(this.at(-190, 15));
    await credit.decideRepair(regulator, repair.id, true, '整改到位，同意信用修复');
    // mfr-delta: a kickback case, SERIOUS: its products are suspended (listing reacts to the rating)
    this.pin(this.at(-45, 10));
    const kickback = await credit.recordCreditEvent(regulator, {
      organisationId: this.orgId('mfr-delta'), behaviour: 'KICKBACK', amount: 50_000_000n, occurredOn: this.dateOf(-70),
      evidence: '（演示）（2026）豫01刑初99号判决书：给予回扣50万元', productIds: [this.productId('smec-3-delta')],
    });
    this.pin(this.at(-44, 11));
    await notices.reply(this.as('mfr-delta'), await noticeOf(kickback.id), { statement: '（演示）涉案人员已被开除，公司不知情', documents: [{ documentRef: '（演示）内部调查报告-2026-07' }] });
    this.pin(this.at(-40, 10));
    await notices.decide(regulator, await noticeOf(kickback.id), { decision: 'UPHOLD', reasons: '（演示）判决书认定事实清楚，企业对员工行为负有责任' });
  }

  // ---- orders -------------------------------------------------------------------------------------------

  private async orderables(hospitalKey: string, listings: Map<string, string>, at: Date): Promise<{ productId: string; unitPrice: string; quantity: number }[]> {
    const hospitalId = this.orgId(hospitalKey);
    const agreements: { product_id: string; annual: string; price: string }[] = await this.db.manager.query(
      `SELECT a.product_id, a.annual_quantity::text AS annual, a.awarded_unit_price::text AS price
         FROM volume_agreement a JOIN product p ON p.id = a.product_id
        WHERE a.hospital_id = $1 AND a.cycle_start <= $2 AND a.cycle_end > $2 ORDER BY p.external_key`,
      [hospitalId, at],
    );
    // a unit count (not money): about a month of the agreed annual quantity, varied; prices stay decimal text
    const items = agreements.map((a) => ({ productId: a.product_id, unitPrice: a.price, quantity: Math.max(1, Math.round((Number(a.annual) / 12) * (0.55 + this.random() * 0.5))) }));
    const listedKeys = [...listings.keys()];
    const pick = listedKeys[Math.floor(this.random() * listedKeys.length)];
    items.push({ productId: this.productId(pick), unitPrice: '', quantity: 100 + Math.floor(this.random() * 20) * 50 });
    return items;
  }

  /**
   * Places an order, leaving out lines the rules refuse at that moment (a suspended listing, a sanction);
   * null when nothing is left to order.
   */
  private async placeOrder(hospitalKey: string, key: string, items: { productId: string; quantity: number }[]): Promise<{ order: PurchaseOrder; lines: number } | null> {
    try {
      const order = await this.svc(OrdersService).place(this.as(hospitalKey), { idempotencyKey: key, lines: items.map((i) => ({ productId: i.productId, quantity: i.quantity })) });
      return { order, lines: items.length };
    } catch (error) {
      const code = (error as { extensions?: { code?: string } }).extensions?.code;
      if (code !== 'PRODUCT_NOT_ORDERABLE' && code !== 'CREDIT_SANCTIONED' && code !== 'NO_DISTRIBUTOR_APPOINTED') throw error;
      const field = (error as { extensions?: { field?: string } }).extensions?.field ?? '';
      const bad = Number(/lines\[(\d+)\]/.exec(field)?.[1] ?? -1);
      this.skipped[code] = (this.skipped[code] ?? 0) + 1;
      const rest = items.filter((_, i) => i !== bad);
      if (bad < 0 || !rest.length) return null;
      return this.placeOrder(hospitalKey, `${key}-${bad}`, rest);
    }
  }

  private distributorOf(order: PurchaseOrder): RequestContext {
    const distributor = [...this.users.values()].find((u) => u.user!.organisationId === order.distributorId);
    if (!distributor) throw new Error(`demo history: no user for distributor ${order.distributorId}`);
    return this.as(distributor.user!.username);
  }

  /** Runs the calls of one moment of the story side by side (a few at a time), all at the same pinned instant. */
  private async together<T>(instant: Date, items: T[], work: (item: T) => Promise<void>): Promise<void> {
    this.pin(instant);
    const queue = [...items];
    const lanes = Array.from({ length: Math.min(4, queue.length) }, async () => {
      for (let item = queue.shift(); item !== undefined; item = queue.shift()) await work(item);
    });
    await Promise.all(lanes);
  }

  /**
   * One month of orders: every hospital orders on the same day and the month's orders move through the same
   * moments (placed 09:00, rejected or confirmed, shipped, received, invoiced, returned) in a fixed timetable;
   * the calls of one moment run side by side. What each order does is drawn up front from the seeded
   * generator, so concurrency changes nothing but the order of audit entries within a moment.
   */
  private async orderMonth(day: number, hospitals: string[], listings: Map<string, string>, invoiceAll: boolean): Promise<{ orders: number; lines: number }> {
    const orders = this.svc(OrdersService);
    type Plan = {
      hospital: string; key: string; items: { productId: string; quantity: number }[];
      reject: boolean; partial: boolean; late: boolean; rejectQty: boolean; ret: boolean; invoice: boolean;
      order?: PurchaseOrder; lines?: OrderLine[]; count?: number;
      shipments: { id: string; receiptLines?: ReceiptLine[] }[];
    };
    const plans: Plan[] = [];
    for (const hospital of hospitals) {
      const items = await this.orderables(hospital, listings, this.at(day, 9));
      const r = this.random();
      plans.push({
        hospital, key: `demo-order-${++this.orderSeq}`, items, shipments: [],
        reject: r < 0.04, partial: r >= 0.04 && r < 0.25, late: r >= 0.25 && r < 0.35, rejectQty: r >= 0.35 && r < 0.45, ret: r >= 0.45 && r < 0.52,
        invoice: invoiceAll || r < 0.7,
      });
    }
    const batch = (s: number, i: number) => ({ batchNumber: `B${this.dateOf(day).replace(/-/g, '').slice(2)}${s}${i}`, expiresOn: this.dateOf(day + 720) });
    const ship = async (plan: Plan, s: number, quantityOf: (l: OrderLine) => number) => {
      const lines = plan.lines!.map((l) => ({ orderLineId: l.id, quantity: quantityOf(l) })).filter((l) => l.quantity > 0);
      if (!lines.length) return;
      const shipment = await orders.ship(this.distributorOf(plan.order!), { orderId: plan.order!.id, lines: lines.map((l, i) => ({ ...l, ...batch(s, i) })) });
      plan.shipments.push({ id: shipment.id });
    };
    const receive = async (plan: Plan, s: number) => {
      const shipment = plan.shipments[s];
      if (!shipment) return;
      const shipLines = await orders.shipmentLinesOf(shipment.id);
      const receipt = await orders.receive(this.as(plan.hospital), {
        shipmentId: shipment.id,
        lines: shipLines.map((l, i) => {
          const rejected = plan.rejectQty && s === 0 && i === 0 ? Math.max(1, Math.floor(Number(l.quantity) / 20)) : 0;
          return { shipmentLineId: l.id, acceptedQuantity: Number(l.quantity) - rejected, ...(rejected ? { rejectedQuantity: rejected, rejectionReason: '外包装破损' } : {}) };
        }),
      });
      shipment.receiptLines = await orders.receiptLinesOf(receipt.id);
    };
    const invoice = async (plan: Plan, s: number) => {
      const shipment = plan.shipments[s];
      if (!shipment?.receiptLines || !plan.invoice) return;
      const priceOf = new Map(plan.lines!.map((l) => [l.id, l.unitPrice]));
      const lines = shipment.receiptLines.filter((r) => Number(r.acceptedQuantity) > 0);
      if (!lines.length) return;
      await orders.submitInvoice(this.distributorOf(plan.order!), {
        shipmentId: shipment.id,
        invoiceNumber: `41${this.dateOf(day).slice(2, 4)}${plan.key.replace(/\D/g, '').padStart(6, '0')}${s}`,
        lines: lines.map((r) => ({ orderLineId: r.orderLineId, quantity: r.acceptedQuantity, amount: lineAmountFen(priceOf.get(r.orderLineId)!, r.acceptedQuantity) })),
      });
    };
    const active = () => plans.filter((p) => p.order && !p.reject);

    await this.together(this.at(day, 9), plans, async (plan) => {
      const placed = await this.placeOrder(plan.hospital, plan.key, plan.items);
      if (!placed) return;
      plan.order = placed.order;
      plan.count = placed.lines;
    });
    await this.together(this.at(day, 11), plans.filter((p) => p.order && p.reject), async (plan) => {
      await orders.reject(this.distributorOf(plan.order!), plan.order!.id, '库存不足，无法按期配送');
    });
    await this.together(this.at(day, 13), active(), async (plan) => {
      await orders.confirm(this.distributorOf(plan.order!), plan.order!.id);
      plan.lines = await orders.linesOf(plan.order!.id);
    });
    // day +1: on-time shipments (partial ones ship half); day +2: received
    await this.together(this.at(day + 1, 10), active().filter((p) => !p.late), (plan) => ship(plan, 0, (l) => (plan.partial ? Math.ceil(l.quantity / 2) : l.quantity)));
    await this.together(this.at(day + 2, 10), active().filter((p) => !p.late), (plan) => receive(plan, 0));
    // day +3: the late ones ship; the first shipments are invoiced
    await this.together(this.at(day + 3, 10), active().filter((p) => p.late), (plan) => ship(plan, 0, (l) => l.quantity));
    await this.together(this.at(day + 3, 15), active().filter((p) => !p.late), (plan) => invoice(plan, 0));
    // day +4: the rest of the partial orders ships, the late ones are received
    await this.together(this.at(day + 4, 10), active().filter((p) => p.partial), (plan) => ship(plan, 1, (l) => l.quantity - Math.ceil(l.quantity / 2)));
    await this.together(this.at(day + 4, 14), active().filter((p) => p.late), (plan) => receive(plan, 0));
    await this.together(this.at(day + 5, 10), active().filter((p) => p.partial), (plan) => receive(plan, 1));
    await this.together(this.at(day + 6, 10), active().filter((p) => p.late || p.partial), async (plan) => {
      await invoice(plan, plan.late ? 0 : 1);
    });
    // day +7: a near-expiry return of a tenth of the first accepted line
    await this.together(this.at(day + 7, 15), active().filter((p) => p.ret), async (plan) => {
      const first = plan.shipments[0]?.receiptLines?.find((r) => Number(r.acceptedQuantity) >= 10);
      if (first) await orders.returnGoods(this.as(plan.hospital), { orderId: plan.order!.id, reason: '近效期，退货', lines: [{ receiptLineId: first.id, quantity: Math.floor(Number(first.acceptedQuantity) / 10) }] });
    });
    const placed = plans.filter((p) => p.order);
    return { orders: placed.length, lines: placed.reduce((n, p) => n + (p.count ?? 0), 0) };
  }

  private async orders(listings: Map<string, string>): Promise<{ orders: number; lines: number }> {
    const hospitals = [...new Set([...this.drugHospitals, ...this.deviceHospitals, 'hosp-kf-1', 'hosp-xx-1'])];
    let orders = 0;
    let lines = 0;
    // monthly from the drug cycle's start to about a month ago; the last months' invoices partly outstanding
    for (let day = -325; day <= -25; day += 30) {
      const month = await this.orderMonth(day, hospitals, listings, day < -40);
      orders += month.orders;
      lines += month.lines;
    }
    return { orders, lines };
  }

  /** Orders placed yesterday: some waiting for confirmation, some confirmed and waiting to ship. */
  private async ordersWaiting(listings: Map<string, string>): Promise<void> {
    const orders = this.svc(OrdersService);
    for (const [i, hospital] of ['hosp-zz-1', 'hosp-zz-2', 'hosp-ly-1', 'hosp-ny-1', 'hosp-kf-1', 'hosp-zz-6'].entries()) {
      const items = (await this.orderables(hospital, listings, this.at(-1, 9))).slice(0, 3);
      this.pin(this.at(-1, 14, i * 5));
      let order;
      try {
        order = await orders.place(this.as(hospital), { idempotencyKey: `demo-order-${++this.orderSeq}`, lines: items.map((x) => ({ productId: x.productId, quantity: x.quantity })) });
      } catch {
        continue;
      }
      if (i % 2 === 1) {
        const distributor = [...this.users.values()].find((u) => u.user!.organisationId === order.distributorId)!;
        this.pin(this.at(-1, 16, i * 5));
        await orders.confirm(this.as(distributor.user!.username), order.id);
      }
    }
  }

  // ---- settlement ---------------------------------------------------------------------------------------

  /** Monthly batches for the whole province up to two months ago, bank results a few days later. */
  private async settlement(): Promise<number> {
    const batches = this.svc(SettlementBatchesService);
    const office = this.as('settle-henan');
    const monthStart = (day: number) => {
      const [y, m] = this.dateOf(day).split('-').map(Number);
      return new Date(`${y}-${String(m).padStart(2, '0')}-01T00:00:00+08:00`);
    };
    const nextMonth = (d: Date) => {
      const local = new Date(d.getTime() + SHANGHAI);
      const y = local.getUTCFullYear() + (local.getUTCMonth() === 11 ? 1 : 0);
      const m = (local.getUTCMonth() + 1) % 12;
      return new Date(`${y}-${String(m + 1).padStart(2, '0')}-01T00:00:00+08:00`);
    };
    let start = monthStart(-330);
    const stop = monthStart(-45);
    const checker = await this.settlementSetup(office, start);
    let count = 0;
    while (start.getTime() < stop.getTime()) {
      const end = nextMonth(start);
      this.pin(new Date(end.getTime() + 4 * DAY + 10 * 3_600_000));
      // lines enter a batch once their hospital confirmed them, or their dispute window ended
      await this.jobs.runNow(CONFIRM_LINES_JOB);
      const batch = await batches.startBatch(office, { regionCode: '410000', periodStart: start, periodEnd: end, idempotencyKey: `demo-${start.toISOString().slice(0, 7)}` });
      await batches.runBatch(batch.id);
      // maker-checker: a second settlement-office user approves before any payment instruction exists
      this.pin(new Date(end.getTime() + 5 * DAY + 10 * 3_600_000));
      await batches.approveBatch(checker, batch.id);
      count++;
      const instructions: { id: string }[] = await this.db.manager.query(
        `SELECT p.id FROM payment_instruction p JOIN organisation o ON o.id = p.manufacturer_id WHERE p.batch_id = $1 AND p.state = 'ISSUED' ORDER BY o.external_key, p.amount_fen`,
        [batch.id],
      );
      if (instructions.length) {
        this.pin(new Date(end.getTime() + 9 * DAY + 15 * 3_600_000));
        await batches.importBankResults(office, {
          results: instructions.map((p, i) => (count === 3 && i === 0 ? { instructionId: p.id, outcome: 'FAILED', reason: '收款账户户名不符' } : { instructionId: p.id, outcome: 'PAID' })),
        } as never);
      }
      start = end;
    }
    // prepayments due since are posted
    this.pin(this.at(-30, 2));
    await this.jobs.runNow(POST_PREPAYMENTS_JOB);
    return count;
  }

  /**
   * What paying needs before the first batch, done as the settlement office would: a second office user (the
   * checker), a verified bank account for every manufacturer (proposed by one user, verified by the other),
   * the fund's own account the bank files pay from, and each hospital's yearly fund allotment.
   */
  private async settlementSetup(office: RequestContext, from: Date): Promise<RequestContext> {
    this.pin(new Date(from.getTime() - 10 * DAY));
    const officeUser = office.user!;
    const created = await this.svc(UsersService).create(this.as('admin'), {
      username: 'settle-henan-2', displayName: '结算复核员', password: DEMO_PASSWORD, role: 'SETTLEMENT_OFFICE', organisationId: officeUser.organisationId,
    });
    const checker: RequestContext = {
      requestId: 'demo-seed:settle-henan-2', authError: null, loaders: new Loaders(),
      user: { ...officeUser, id: created.id, username: created.username },
    };
    this.users.set('settle-henan-2', checker);
    const accounts = this.svc(PayeeAccountsService);
    // the provincial office registers the accounts of the manufacturers registered in its province; those of
    // other provinces stay without one, so their payments are held (PAYEE_ACCOUNT_MISSING) until they file one
    const manufacturers = await this.db.manager.query<{ id: string; name: string }[]>(
      `SELECT o.id, o.name FROM organisation o JOIN region r ON r.code = o.region_code
        WHERE o.kind = 'MANUFACTURER' AND o.external_key IS NOT NULL AND (r.path = $1 OR r.path LIKE $1 || '/%') ORDER BY o.external_key`,
      [officeUser.regionPath],
    );
    for (const [i, m] of manufacturers.entries()) {
      const account = await accounts.propose(office, {
        organisationId: m.id, accountName: m.name, accountNumber: `62220241${String(100000000 + i * 7919).padStart(11, '0')}`,
        bankName: '中国工商银行', branchName: '郑州花园路支行', cnapsCode: '102491000012', effectiveFrom: new Date(from.getTime() - 7 * DAY),
      });
      await accounts.verify(checker, account.id);
    }
    // the fund's own account the bank files pay from (付款账户): the office's, proposed and verified the same way
    const [officeOrg] = await this.db.manager.query<{ name: string }[]>('SELECT name FROM organisation WHERE id = $1', [officeUser.organisationId]);
    const fundAccount = await accounts.propose(office, {
      organisationId: officeUser.organisationId, accountName: officeOrg.name, accountNumber: '41050100000000000001',
      bankName: '中国建设银行', branchName: '郑州金水支行', cnapsCode: '105491000015', effectiveFrom: new Date(from.getTime() - 7 * DAY),
    });
    await accounts.verify(checker, fundAccount.id);
    const allotments = this.svc(FundAllotmentsService);
    const hospitals = await this.db.manager.query<{ id: string }[]>(`SELECT id FROM organisation WHERE kind = 'HOSPITAL' ORDER BY external_key`);
    const firstYear = Number(this.dateOf(-400).slice(0, 4));
    for (const h of hospitals) {
      for (let year = firstYear; year <= firstYear + 2; year++) {
        await allotments.set(office, {
          hospitalId: h.id, periodStart: new Date(`${year}-01-01T00:00:00+08:00`), periodEnd: new Date(`${year + 1}-01-01T00:00:00+08:00`), amount: 5_000_000_000n,
        });
      }
    }
    return checker;
  }

  // ---- insurance settlement lists (医保结算清单) ----------------------------------------------------------

  /**
   * The last three order months: four hospitals' settlement lists claim what they bought on the platform; 洛阳
   * (hosp-ly-1) also bought amoxicillin elsewhere and reported it; 郑州 hosp-zz-6 claimed originator levofloxacin
   * it never bought on the platform nor reported — the claims catch it (OFF_PLATFORM_UNDER_REPORTED).
   */
  private async insuranceClaims(): Promise<void> {
    const claims = this.svc(ClaimsService);
    const reports = this.svc(OffPlatformPurchasesService);
    const hospitals = ['hosp-zz-1', 'hosp-zz-6', 'hosp-ly-1', 'hosp-ny-1'];
    const codes = await this.db.manager.query<{ id: string; code: string; external_key: string | null }[]>(
      `SELECT id, code, external_key FROM organisation WHERE external_key = ANY($1::text[])`, [hospitals],
    );
    const codeOf = (key: string) => codes.find((c) => c.external_key === key)!.code;
    const insurance = async (key: string) =>
      (await this.db.manager.query<{ insurance_code: string }[]>(`SELECT insurance_code FROM product WHERE external_key = $1`, [key]))[0].insurance_code;
    const levofloxacin = await insurance('levo-05-origb');
    const amoxicillin = await insurance('amox-05-kappa');
    for (const day of [-85, -55, -25]) {
      const month = this.dateOf(day).slice(0, 7);
      const bought = await this.db.manager.query<{ hospital: string; code: string; qty: string; amount: string }[]>(
        `SELECT o.external_key AS hospital, p.insurance_code AS code, SUM(l.ordered_quantity)::text AS qty,
                round(SUM(l.unit_price * l.ordered_quantity), 2)::text AS amount
           FROM v_order_line_fact l JOIN organisation o ON o.id = l.hospital_id JOIN product p ON p.id = l.product_id
          WHERE o.external_key = ANY($1::text[]) AND l.state NOT IN ('REJECTED', 'CANCELLED') AND p.insurance_code IS NOT NULL
            AND to_char(l.ordered_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM') = $2
          GROUP BY 1, 2 ORDER BY 1, 2`,
        [hospitals, month],
      );
      const rows = bought.map((b) => `${codeOf(b.hospital)},${month},${b.code},${b.qty},${b.amount}`);
      rows.push(`${codeOf('hosp-zz-6')},${month},${levofloxacin},30000,255000.00`);
      rows.push(`${codeOf('hosp-ly-1')},${month},${amoxicillin},2000,820.00`);
      this.pin(this.at(day + 10, 16));
      await reports.report(this.as('hosp-ly-1'), { productId: this.productId('amox-05-kappa'), month, quantity: 2000, amount: 82_000n, reason: '平台断供期间临时线下采购' });
      this.pin(this.at(day + 12, 10));
      const csv = ['hospitalCode,month,insuranceCode,quantity,amount', ...rows].join('\r\n');
      await claims.import(this.as('settle-henan'), { format: 'CSV', fileName: `医保结算清单-${month}.csv`, contentBase64: Buffer.from(csv, 'utf8').toString('base64') });
    }
  }

  // ---- supervision --------------------------------------------------------------------------------------

  private async monitoring(): Promise<number> {
    const monitoring = this.svc(MonitoringService);
    const alerts = this.svc(AlertsService);
    const regulator = this.as('reg-henan');
    for (const day of [-70, -40, -10]) {
      this.pin(this.at(day, 3));
      await monitoring.requestRun(regulator, this.dateOf(day - 5).slice(0, 7));
    }
    // by rule, period and the subject's stable key (ids are random), so the same alerts get the same cases
    const open: { id: string }[] = await this.db.manager.query(
      `SELECT a.id FROM alert a LEFT JOIN organisation o ON o.id = a.subject_id LEFT JOIN product p ON p.id = a.subject_id
        WHERE a.state = 'OPEN' ORDER BY a.rule_code, a.period, coalesce(o.external_key, p.external_key, a.subject_id::text)`,
    );
    const moves: [string, string, number | null][][] = [
      [['INQUIRY', '请说明协议量完成进度滞后的原因', 10]],
      [['INQUIRY', '函询配送不及时原因', 7], ['INTERVIEW', '约谈配送企业负责人', 14]],
      [['DISMISSED', '院内新开病区，需求变化合理', null]],
      [['INQUIRY', '函询价格异常原因', 5], ['RECTIFIED', '已提交整改说明并调整价格', null]],
    ];
    for (const [i, alert] of open.slice(0, moves.length).entries()) {
      for (const [s, [to, note, deadlineIn]] of moves[i].entries()) {
        const day = -8 + s * 3;
        this.pin(this.at(day, 10 + i));
        await alerts.move(regulator, { alertId: alert.id, to, note, deadline: deadlineIn === null ? null : this.dateOf(day + deadlineIn) } as never);
      }
    }
    const [{ n }] = await this.db.manager.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM alert`);
    return n;
  }
}
