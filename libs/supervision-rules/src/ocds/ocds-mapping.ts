import { addYearsShanghai } from '@libs/calendar';
import { Dec, fenToDecimal, lineAmountFen } from '@libs/money';

/**
 * Maps a procurement round onto OCDS 1.1.5 releases, one release per event, each with a stable id and the
 * event's own date, so a feed reader collects each event once and the compiled record (ocdsmerge) shows when
 * things happened:
 *
 * - `…-tender`: the announcement (tender notice): lots and specs with their ceilings, the tender value;
 * - `…-award`: publicity of the opened result (中选结果公示): bids (statistics and details), pending awards;
 * - `…-confirmation`: the confirmed result: awards become active, counted in the product units signed for;
 * - `…-contract-<instant>`: the agreements signed at that instant (confirmation; a takeover later);
 * - `…-termination-<instant>`: agreements ended by a verified supply failure at that instant;
 * - `…-implementation-<instant>`: payments made at that instant, as transactions of their agreements.
 *
 * Quantities are published in the unit they name: lots count the lot's reference unit (e.g. 片(10mg)) per
 * year, as demand was reported; awards and contracts count units of the strength won (e.g. 片(20mg)) over the
 * whole agreement cycle, which each award states as its contractPeriod. Every item carries its unit price.
 * Pure: the caller gathers rows from the published views and passes them in.
 */

export interface OcdsParty {
  id: string;
  name: string;
  /** 统一社会信用代码, published as the organisation identifier. */
  creditCode?: string | null;
}

export interface OcdsSpec {
  specId: string;
  /** Strength, e.g. "20mg". */
  spec: string;
  comparableFactor: string;
  /** Maximum valid price per unit of this spec (最高有效申报价). */
  ceilingUnitPrice: string;
}

export interface OcdsLot {
  lotId: string;
  varietyName: string;
  /** The lot's counting unit, e.g. "片(10mg)". */
  referenceUnit: string;
  /** Agreed annual quantity in reference units (the demand the round covers). */
  annualQuantity: bigint | number;
  cycleYears: number | null;
  specs: OcdsSpec[];
}

export interface OcdsBid {
  bidId: string;
  lotId: string;
  specId: string;
  tenderer: OcdsParty;
  /** The bid price per unit of its spec. */
  unitPrice: string;
  /** WINNER, REVIVED, ELIMINATED or INVALID. */
  status: string;
  /** The awarded price per unit of its spec (winners and revived bids). */
  awardedUnitPrice: string | null;
  /** Awarded annual quantity in the lot's reference units (0 for bids without volume). */
  annualQuantity: bigint | number;
}

export interface OcdsContract {
  contractId: string;
  /** The winning bid, which is the award's id. */
  awardId: string;
  hospital: OcdsParty;
  supplier: OcdsParty;
  spec: string | null;
  /** Per unit of the product signed for. */
  unitPrice: string;
  /** Whole-cycle quantity in units of the product signed for. */
  quantity: bigint | number;
  cycleStart: Date;
  cycleEnd: Date;
  signedAt: Date | null;
  terminatedAt: Date | null;
  /** A backup winner's agreement that takes over a failed one. */
  takesOverContractId: string | null;
}

export interface OcdsRoundInput {
  roundId: string;
  title: string;
  /** Round states of domain §3. */
  state: string;
  buyer: OcdsParty;
  publishedAt: Date | null;
  demandDeadline: Date | null;
  bidDeadline: Date | null;
  cycleStart: Date | null;
  openedAt: Date | null;
  publicityStartedAt: Date | null;
  publicityEndsAt: Date | null;
  confirmedAt: Date | null;
  lots: OcdsLot[];
  bids: OcdsBid[];
  contracts: OcdsContract[];
  transactions: { transactionId: string; contractId: string; payer: OcdsParty; payee: OcdsParty; amountFen: bigint; date: Date }[];
}

export interface OcdsPackageOptions {
  ocidPrefix: string;
  publisherName: string;
  packageUri: string;
  publishedDate: Date;
  /** Where the platform publishes the documents of a round (notice, publicity, agreements); none if unset. */
  documentBaseUrl?: string | null;
}

const CURRENCY = 'CNY';
/** The community extension that adds `bids` (statistics and details) to a release. */
export const OCDS_BID_EXTENSION = 'https://raw.githubusercontent.com/open-contracting-extensions/ocds_bid_extension/v1.1.5/extension.json';

/**
 * OCDS amounts are JSON numbers. No arithmetic happens on them here: the exact decimal becomes a number only
 * if that number prints back as the same decimal, so the published JSON text is exact (or nothing is published).
 */
function jsonAmount(decimal: Dec): number {
  const amount = decimal.toNumber();
  if (!new Dec(amount).eq(decimal)) throw new Error(`OCDS: ${decimal.toFixed()} cannot be published exactly as a JSON number`);
  return amount;
}

function value(fen: bigint) {
  return { amount: jsonAmount(fenToDecimal(fen)), currency: CURRENCY };
}

function unitValue(unitPrice: string) {
  return { amount: jsonAmount(new Dec(unitPrice)), currency: CURRENCY };
}

const isoSeconds = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');
/** An instant as a release id part: 2026-03-05T00:00:00Z → 20260305T000000Z. */
const idInstant = (d: Date) => isoSeconds(d).replace(/[-:]/g, '');

/** Price per reference unit of a price per spec unit: ÷ the comparable factor, half-up to 4 places. */
export function perReferenceUnit(unitPrice: string, comparableFactor: string): string {
  return new Dec(unitPrice).div(comparableFactor).toDecimalPlaces(4, Dec.ROUND_HALF_UP).toFixed(4);
}

/** The unit a spec is counted in, from the lot's reference unit: 片(10mg) and 20mg → 片(20mg). */
export function specUnitName(referenceUnit: string, spec: string | null): string {
  if (!spec) return referenceUnit;
  const m = /^(.*?)[(（][^()（）]*[)）]$/.exec(referenceUnit);
  return m ? `${m[1]}(${spec})` : `${referenceUnit}(${spec})`;
}

export function ocidFor(prefix: string, roundId: string): string {
  return `${prefix}-${roundId}`;
}

/** Round state → OCDS tender.status (closed codelist). */
export function tenderStatusOf(state: string): 'planning' | 'active' | 'complete' | 'cancelled' {
  if (state === 'CANCELLED') return 'cancelled';
  if (state === 'DRAFT') return 'planning';
  if (['CONFIRMED', 'IN_EFFECT', 'EXPIRED'].includes(state)) return 'complete';
  return 'active';
}

/** Bid result status → the bid extension's bidStatus codelist. */
function bidStatusOf(status: string): 'valid' | 'disqualified' {
  return status === 'INVALID' ? 'disqualified' : 'valid';
}

type Release = Record<string, unknown> & { id: string; date: string; tag: string[] };

class PartyRoles {
  private readonly byId = new Map<string, { p: OcdsParty; roles: Set<string> }>();

  add(p: OcdsParty, ...roles: string[]): this {
    const entry = this.byId.get(p.id) ?? { p, roles: new Set<string>() };
    roles.forEach((r) => entry.roles.add(r));
    this.byId.set(p.id, entry);
    return this;
  }

  list() {
    return [...this.byId.values()].map(({ p, roles }) => ({
      id: p.id,
      name: p.name,
      ...(p.creditCode ? { identifier: { scheme: 'CN-USCC', id: p.creditCode, legalName: p.name } } : {}),
      roles: [...roles].sort(),
    }));
  }
}

const ref = (p: OcdsParty) => ({ id: p.id, name: p.name });

export function roundToReleases(round: OcdsRoundInput, options: OcdsPackageOptions): Release[] {
  const ocid = ocidFor(options.ocidPrefix, round.roundId);
  const lotById = new Map(round.lots.map((l) => [l.lotId, l]));
  const specById = new Map(round.lots.flatMap((l) => l.specs.map((s) => [s.specId, { ...s, lot: l }] as const)));
  const bidById = new Map(round.bids.map((b) => [b.bidId, b]));
  const docUrl = (path: string) => (options.documentBaseUrl ? { url: `${options.documentBaseUrl.replace(/\/$/, '')}/rounds/${round.roundId}/${path}` } : {});
  const releases: Release[] = [];
  const release = (id: string, date: Date, tag: string[], parties: PartyRoles, body: Record<string, unknown>) =>
    releases.push({ ocid, id: `${ocid}-${id}`, date: isoSeconds(date), tag, initiationType: 'tender', language: 'zh', parties: parties.list(), buyer: ref(round.buyer), ...body });
  const buyerParties = () => new PartyRoles().add(round.buyer, 'buyer', 'procuringEntity');

  // 1. The announcement: what is procured, in which units, up to which prices.
  if (round.publishedAt) {
    const lotValueFen = (l: OcdsLot) => {
      const ceiling = l.specs.map((s) => new Dec(perReferenceUnit(s.ceilingUnitPrice, s.comparableFactor))).reduce((a, b) => (b.gt(a) ? b : a), new Dec(0));
      return lineAmountFen(ceiling.toFixed(4), l.annualQuantity);
    };
    release('tender', round.publishedAt, ['tender'], buyerParties(), {
      tender: {
        id: round.roundId,
        title: round.title,
        description: '带量采购 (volume-based procurement). Lot quantities are agreed annual quantities in the lot\'s reference unit; tender.value is one year of them at the lots\' ceilings.',
        status: 'active',
        procuringEntity: ref(round.buyer),
        procurementMethod: 'open',
        procurementMethodDetails: '带量采购 (volume-based procurement)',
        mainProcurementCategory: 'goods',
        awardCriteria: 'priceOnly',
        submissionMethod: ['electronicSubmission'],
        value: value(round.lots.reduce((sum, l) => sum + lotValueFen(l), 0n)),
        items: round.lots.flatMap((l) => [
          {
            id: l.lotId,
            description: `${l.varietyName}（年度约定采购量）`,
            quantity: Number(l.annualQuantity),
            unit: { name: l.referenceUnit, value: unitValue(l.specs.map((s) => perReferenceUnit(s.ceilingUnitPrice, s.comparableFactor)).sort((a, b) => new Dec(b).cmp(a))[0] ?? '0') },
          },
          ...l.specs.map((s) => ({
            id: s.specId,
            description: `${l.varietyName} ${s.spec}：最高有效申报价（差比系数 ${s.comparableFactor}）`,
            unit: { name: specUnitName(l.referenceUnit, s.spec), value: unitValue(s.ceilingUnitPrice) },
          })),
        ]),
        ...(round.bidDeadline ? { tenderPeriod: { ...(round.demandDeadline ? { startDate: isoSeconds(round.demandDeadline) } : {}), endDate: isoSeconds(round.bidDeadline) } } : {}),
        documents: [
          { id: `${round.roundId}-notice`, documentType: 'tenderNotice', title: `${round.title} 采购公告`, datePublished: isoSeconds(round.publishedAt), language: 'zh', ...docUrl('notice') },
        ],
      },
    });
  }

  const winners = round.bids.filter((b) => b.awardedUnitPrice && ['WINNER', 'REVIVED'].includes(b.status));
  const awardPeriod = (bid: OcdsBid) => {
    const lot = lotById.get(bid.lotId);
    if (!round.cycleStart || !lot?.cycleYears) return {};
    return { contractPeriod: { startDate: isoSeconds(round.cycleStart), endDate: isoSeconds(addYearsShanghai(round.cycleStart, lot.cycleYears)) } };
  };
  const awardDescription = (bid: OcdsBid) => {
    const s = specById.get(bid.specId);
    return `${s?.lot.varietyName ?? bid.lotId} ${s?.spec ?? ''}`.trim();
  };

  // 2. Publicity of the opened result: every bid, and awards pending the end of publicity.
  if (round.publicityStartedAt) {
    const parties = buyerParties();
    round.bids.forEach((b) => parties.add(b.tenderer, 'tenderer'));
    winners.forEach((b) => parties.add(b.tenderer, 'supplier'));
    const tenderers = [...new Map(round.bids.map((b) => [b.tenderer.id, b.tenderer])).values()];
    release('award', round.publicityStartedAt, ['award', 'tenderUpdate'], parties, {
      tender: { id: round.roundId, status: 'active', numberOfTenderers: tenderers.length, tenderers: tenderers.map(ref) },
      bids: {
        statistics: round.lots.flatMap((l) => {
          const lotBids = round.bids.filter((b) => b.lotId === l.lotId);
          return [
            { id: `${l.lotId}-bids`, measure: 'bids', value: lotBids.length, date: isoSeconds(round.openedAt ?? round.publicityStartedAt!), relatedLot: l.lotId },
            { id: `${l.lotId}-validBids`, measure: 'validBids', value: lotBids.filter((b) => b.status !== 'INVALID').length, relatedLot: l.lotId },
            { id: `${l.lotId}-disqualifiedBids`, measure: 'disqualifiedBids', value: lotBids.filter((b) => b.status === 'INVALID').length, relatedLot: l.lotId },
          ];
        }),
        details: round.bids.map((b) => {
          const s = specById.get(b.specId);
          return {
            id: b.bidId,
            date: isoSeconds(round.openedAt ?? round.publicityStartedAt!),
            status: bidStatusOf(b.status),
            tenderers: [ref(b.tenderer)],
            items: [{ id: b.specId, description: awardDescription(b), unit: { name: specUnitName(s?.lot.referenceUnit ?? '', s?.spec ?? null), value: unitValue(b.unitPrice) } }],
          };
        }),
      },
      awards: winners.map((b) => {
        const s = specById.get(b.specId)!;
        const years = lotById.get(b.lotId)?.cycleYears ?? 1;
        const perRef = perReferenceUnit(b.awardedUnitPrice!, s.comparableFactor);
        const quantity = BigInt(b.annualQuantity) * BigInt(years);
        return {
          id: b.bidId,
          title: `${awardDescription(b)} 拟中选`,
          description: `Awarded ${b.awardedUnitPrice} per ${specUnitName(s.lot.referenceUnit, s.spec)}; quantity is the whole cycle in the lot's reference unit, priced per reference unit, until agreements are signed.`,
          status: 'pending',
          date: isoSeconds(round.publicityStartedAt!),
          value: value(lineAmountFen(perRef, quantity)),
          suppliers: [ref(b.tenderer)],
          items: [{ id: `${b.bidId}-1`, description: awardDescription(b), quantity: Number(quantity), unit: { name: s.lot.referenceUnit, value: unitValue(perRef) } }],
          ...awardPeriod(b),
          documents: [
            { id: `${round.roundId}-publicity`, documentType: 'awardNotice', title: `${round.title} 拟中选结果公示`, datePublished: isoSeconds(round.publicityStartedAt!), language: 'zh', ...docUrl('publicity') },
          ],
        };
      }),
    });
  }

  // 3. Confirmation: awards take effect, counted in the units of the strength won, as signed.
  const originals = round.contracts.filter((c) => !c.takesOverContractId);
  if (round.confirmedAt) {
    const parties = buyerParties();
    winners.forEach((b) => parties.add(b.tenderer, 'supplier'));
    release('confirmation', round.confirmedAt, ['awardUpdate', 'tenderUpdate'], parties, {
      tender: { id: round.roundId, status: 'complete' },
      awards: winners.map((b) => {
        const signed = originals.filter((c) => c.awardId === b.bidId);
        const s = specById.get(b.specId)!;
        const quantity = signed.reduce((sum, c) => sum + BigInt(c.quantity), 0n);
        return {
          id: b.bidId,
          status: 'active',
          date: isoSeconds(round.confirmedAt!),
          value: value(signed.reduce((sum, c) => sum + lineAmountFen(c.unitPrice, c.quantity), 0n)),
          items: [{ id: `${b.bidId}-1`, description: awardDescription(b), quantity: Number(quantity), unit: { name: specUnitName(s.lot.referenceUnit, s.spec), value: unitValue(b.awardedUnitPrice!) } }],
          ...awardPeriod(b),
        };
      }),
    });
  }

  // 4. Agreements, one release per signing instant; 5. terminations, one per instant.
  const contractBody = (c: OcdsContract) => {
    const bid = bidById.get(c.awardId);
    const lot = bid ? lotById.get(bid.lotId) : undefined;
    const unit = specUnitName(lot?.referenceUnit ?? '', c.spec);
    return {
      id: c.contractId,
      awardID: c.awardId,
      title: `${c.hospital.name} 带量采购协议`,
      description: `${c.hospital.name}（采购方）与 ${c.supplier.name}（中选企业）签订的带量采购协议${c.takesOverContractId ? '（备供企业接替供应）' : ''}`,
      status: 'active',
      period: { startDate: isoSeconds(c.cycleStart), endDate: isoSeconds(c.cycleEnd) },
      value: value(lineAmountFen(c.unitPrice, c.quantity)),
      items: [{ id: `${c.contractId}-1`, description: `${lot?.varietyName ?? ''} ${c.spec ?? ''}`.trim(), quantity: Number(c.quantity), unit: { name: unit, value: unitValue(c.unitPrice) } }],
      ...(c.signedAt ? { dateSigned: isoSeconds(c.signedAt) } : {}),
      documents: [{ id: `${c.contractId}-agreement`, documentType: 'contractSigned', title: `${c.hospital.name} 带量采购协议`, language: 'zh', ...(c.signedAt ? { datePublished: isoSeconds(c.signedAt) } : {}), ...docUrl(`agreements/${c.contractId}`) }],
    };
  };
  const byInstant = <T>(rows: T[], instantOf: (row: T) => Date | null) => {
    const groups = new Map<number, T[]>();
    for (const row of rows) {
      const at = instantOf(row);
      if (at) groups.set(at.getTime(), [...(groups.get(at.getTime()) ?? []), row]);
    }
    return [...groups.entries()].sort(([a], [b]) => a - b);
  };
  for (const [at, signed] of byInstant(round.contracts, (c) => c.signedAt)) {
    const parties = buyerParties();
    signed.forEach((c) => parties.add(c.hospital, 'buyer', 'payer').add(c.supplier, 'supplier'));
    release(`contract-${idInstant(new Date(at))}`, new Date(at), ['contract'], parties, { contracts: signed.map(contractBody) });
  }
  for (const [at, ended] of byInstant(round.contracts, (c) => c.terminatedAt)) {
    release(`termination-${idInstant(new Date(at))}`, new Date(at), ['contractTermination'], buyerParties(), {
      contracts: ended.map((c) => ({ id: c.contractId, awardID: c.awardId, status: 'terminated', description: '中选企业供应失败，经核实终止；由备供企业接替供应' })),
    });
  }

  // 6. Payments, one release per instant of payment.
  const contractOf = new Map(round.contracts.map((c) => [c.contractId, c]));
  for (const [at, paid] of byInstant(round.transactions, (t) => t.date)) {
    const parties = buyerParties();
    paid.forEach((t) => parties.add(t.payer, 'payer').add(t.payee, 'payee'));
    const contractIds = [...new Set(paid.map((t) => t.contractId))].filter((id) => contractOf.has(id));
    release(`implementation-${idInstant(new Date(at))}`, new Date(at), ['implementation'], parties, {
      contracts: contractIds.map((id) => ({
        id,
        awardID: contractOf.get(id)!.awardId,
        implementation: {
          transactions: paid.filter((t) => t.contractId === id).map((t) => ({ id: t.transactionId, date: isoSeconds(t.date), value: value(t.amountFen), payer: ref(t.payer), payee: ref(t.payee) })),
        },
      })),
    });
  }
  return releases;
}

export function releasePackage(rounds: OcdsRoundInput[], options: OcdsPackageOptions) {
  const releases = rounds.flatMap((r) => roundToReleases(r, options));
  return {
    uri: options.packageUri,
    version: '1.1',
    extensions: [OCDS_BID_EXTENSION],
    publishedDate: isoSeconds(options.publishedDate),
    publisher: { name: options.publisherName },
    license: 'https://creativecommons.org/licenses/by/4.0/',
    publicationPolicy: `${options.packageUri.replace(/\/[^/]*$/, '')}/publication-policy`,
    releases,
  };
}
