import { Dec, fenToDecimal, lineAmountFen } from '@libs/money';

/**
 * Maps a procurement round onto an OCDS 1.1.5 release package: the tender (lots as items), awards (one per
 * winning manufacturer and lot), contracts (one per volume agreement) and implementation transactions
 * (settled payments). Pure: the caller gathers rows from the published views and passes them in.
 */

export interface OcdsParty {
  id: string;
  name: string;
  /** 统一社会信用代码, published as the organisation identifier. */
  creditCode?: string | null;
}

export interface OcdsRoundInput {
  roundId: string;
  code: string;
  title: string;
  /** Round states of domain §3. */
  state: string;
  buyer: OcdsParty;
  bidDeadline: Date | null;
  publishedAt: Date;
  lots: { lotId: string; varietyName: string; referenceUnit: string; quantity: bigint | number; maxUnitPrice: string | null }[];
  tenderers: OcdsParty[];
  awards: {
    awardId: string;
    lotId: string;
    supplier: OcdsParty;
    unitPrice: string;
    quantity: bigint | number;
    date: Date;
  }[];
  contracts: {
    contractId: string;
    awardId: string;
    hospital: OcdsParty;
    unitPrice: string;
    quantity: bigint | number;
    cycleStart: Date;
    cycleEnd: Date;
    state: string;
  }[];
  transactions: { transactionId: string; contractId: string; payer: OcdsParty; payee: OcdsParty; amountFen: bigint; date: Date }[];
}

export interface OcdsPackageOptions {
  ocidPrefix: string;
  publisherName: string;
  packageUri: string;
  publishedDate: Date;
}

const CURRENCY = 'CNY';

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

function totalFen(unitPrice: string, quantity: bigint | number): bigint {
  return lineAmountFen(unitPrice, quantity);
}

const isoSeconds = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

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

/** Agreement state → OCDS contract.status (closed codelist). */
export function contractStatusOf(state: string): 'pending' | 'active' | 'cancelled' | 'terminated' {
  // a supply failure ends the agreement; a backup's takeover is a contract of its own
  if (state === 'TERMINATED' || state === 'EXPIRED' || state === 'SUPPLY_FAILED') return 'terminated';
  if (state === 'CANCELLED') return 'cancelled';
  if (state === 'PENDING' || state === 'DRAFT') return 'pending';
  return 'active';
}

function party(p: OcdsParty, roles: Set<string>) {
  return {
    id: p.id,
    name: p.name,
    ...(p.creditCode ? { identifier: { scheme: 'CN-USCC', id: p.creditCode, legalName: p.name } } : {}),
    roles: [...roles].sort(),
  };
}

export function roundToRelease(round: OcdsRoundInput, options: OcdsPackageOptions) {
  const ocid = ocidFor(options.ocidPrefix, round.roundId);
  const roles = new Map<string, { p: OcdsParty; roles: Set<string> }>();
  const addRole = (p: OcdsParty, role: string) => {
    const entry = roles.get(p.id) ?? { p, roles: new Set<string>() };
    entry.roles.add(role);
    roles.set(p.id, entry);
  };
  addRole(round.buyer, 'buyer');
  addRole(round.buyer, 'procuringEntity');
  round.tenderers.forEach((p) => addRole(p, 'tenderer'));
  round.awards.forEach((a) => addRole(a.supplier, 'supplier'));
  round.transactions.forEach((t) => {
    addRole(t.payer, 'payer');
    addRole(t.payee, 'payee');
  });
  const lotById = new Map(round.lots.map((l) => [l.lotId, l]));
  const items = (lotId: string, quantity: bigint | number) => {
    const lot = lotById.get(lotId);
    return [{ id: lotId, description: lot?.varietyName ?? lotId, quantity: Number(quantity), unit: { name: lot?.referenceUnit ?? 'unit' } }];
  };
  const ref = (p: OcdsParty) => ({ id: p.id, name: p.name });
  const tags = ['tender'];
  if (round.awards.length) tags.push('award');
  if (round.contracts.length) tags.push('contract');
  if (round.transactions.length) tags.push('implementation');

  const transactionsByContract = new Map<string, OcdsRoundInput['transactions']>();
  for (const t of round.transactions) transactionsByContract.set(t.contractId, [...(transactionsByContract.get(t.contractId) ?? []), t]);

  return {
    ocid,
    id: `${ocid}-${isoSeconds(options.publishedDate).replace(/[-:]/g, '')}`,
    date: isoSeconds(options.publishedDate),
    tag: tags,
    initiationType: 'tender',
    language: 'zh',
    parties: [...roles.values()].map(({ p, roles: r }) => party(p, r)),
    buyer: ref(round.buyer),
    tender: {
      id: round.code,
      title: round.title,
      status: tenderStatusOf(round.state),
      procuringEntity: ref(round.buyer),
      procurementMethod: 'open',
      procurementMethodDetails: '带量采购 (volume-based procurement)',
      mainProcurementCategory: 'goods',
      awardCriteria: 'priceOnly',
      submissionMethod: ['electronicSubmission'],
      items: round.lots.map((l) => ({
        id: l.lotId,
        description: l.varietyName,
        quantity: Number(l.quantity),
        unit: { name: l.referenceUnit, ...(l.maxUnitPrice ? { value: { amount: jsonAmount(new Dec(l.maxUnitPrice)), currency: CURRENCY } } : {}) },
      })),
      ...(round.bidDeadline ? { tenderPeriod: { endDate: isoSeconds(round.bidDeadline) } } : {}),
      numberOfTenderers: round.tenderers.length,
      tenderers: round.tenderers.map(ref),
    },
    awards: round.awards.map((a) => ({
      id: a.awardId,
      status: 'active',
      date: isoSeconds(a.date),
      value: value(totalFen(a.unitPrice, a.quantity)),
      suppliers: [ref(a.supplier)],
      items: items(a.lotId, a.quantity),
    })),
    contracts: round.contracts.map((c) => {
      const award = round.awards.find((a) => a.awardId === c.awardId);
      const txs = transactionsByContract.get(c.contractId) ?? [];
      return {
        id: c.contractId,
        awardID: c.awardId,
        title: `${c.hospital.name} 带量采购协议`,
        status: contractStatusOf(c.state),
        period: { startDate: isoSeconds(c.cycleStart), endDate: isoSeconds(c.cycleEnd) },
        value: value(totalFen(c.unitPrice, c.quantity)),
        items: award ? items(award.lotId, c.quantity) : [],
        ...(txs.length
          ? {
              implementation: {
                transactions: txs.map((t) => ({
                  id: t.transactionId,
                  date: isoSeconds(t.date),
                  value: value(t.amountFen),
                  payer: ref(t.payer),
                  payee: ref(t.payee),
                })),
              },
            }
          : {}),
      };
    }),
  };
}

export function releasePackage(rounds: OcdsRoundInput[], options: OcdsPackageOptions) {
  return {
    uri: options.packageUri,
    version: '1.1',
    publishedDate: isoSeconds(options.publishedDate),
    publisher: { name: options.publisherName },
    license: 'https://creativecommons.org/licenses/by/4.0/',
    publicationPolicy: `${options.packageUri.replace(/\/[^/]*$/, '')}/publication-policy`,
    releases: rounds.map((r) => roundToRelease(r, options)),
  };
}
