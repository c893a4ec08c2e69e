import { lineAmountFen } from '@libs/money';

/** One order line as the platform knows it for one shipment: agreed price and quantity accepted at receipt. */
export interface MatchExpectation {
  orderLineId: string;
  unitPrice: string;
  acceptedQuantity: number;
}

/** One line of the supplier's invoice. */
export interface InvoiceLineClaim {
  orderLineId: string;
  quantity: number;
  amountFen: bigint;
}

export type MismatchKind = 'QUANTITY' | 'AMOUNT' | 'NOT_RECEIVED' | 'NOT_INVOICED';

export interface Mismatch<K extends string = MismatchKind> {
  orderLineId: string;
  kind: K;
  expected: string;
  invoiced: string;
}

export interface MatchResult<K extends string = MismatchKind> {
  matched: boolean;
  expectedTotalFen: bigint;
  invoicedTotalFen: bigint;
  mismatches: Mismatch<K>[];
}

/** What a match holds an invoice to: the amount rule and the kinds it reports beyond QUANTITY and NOT_INVOICED. */
interface MatchRules<K extends string> {
  /** True when the invoiced amount of a line is wrong against the line's price × quantity. */
  amountWrong: (invoicedFen: bigint, expectedFen: bigint) => boolean;
  amountKind: K;
  /** An invoice line for an order line the platform does not expect. */
  unexpectedKind: K;
}

/**
 * Matches invoice lines to expected order lines (price × quantity): every expected line with a quantity is
 * invoiced with that quantity and an amount the rules accept; an invoice line for something not expected is a
 * mismatch too. Claims on one order line are summed. Mismatches come out in order-line order, so the result is
 * reproducible.
 */
function matchInvoiceLines<K extends string>(
  expected: { orderLineId: string; unitPrice: string; quantity: number }[],
  invoice: InvoiceLineClaim[],
  rules: MatchRules<K>,
): MatchResult<K | 'QUANTITY' | 'NOT_INVOICED'> {
  const mismatches: Mismatch<K | 'QUANTITY' | 'NOT_INVOICED'>[] = [];
  const claims = new Map<string, InvoiceLineClaim>();
  for (const c of invoice) {
    const prior = claims.get(c.orderLineId);
    claims.set(c.orderLineId, prior ? { ...c, quantity: prior.quantity + c.quantity, amountFen: prior.amountFen + c.amountFen } : c);
  }
  let expectedTotalFen = 0n;
  const known = new Set<string>();
  for (const e of [...expected].sort((a, b) => a.orderLineId.localeCompare(b.orderLineId))) {
    known.add(e.orderLineId);
    const amount = lineAmountFen(e.unitPrice, e.quantity);
    expectedTotalFen += amount;
    const claim = claims.get(e.orderLineId);
    if (!claim) {
      if (e.quantity > 0) mismatches.push({ orderLineId: e.orderLineId, kind: 'NOT_INVOICED', expected: String(e.quantity), invoiced: '0' });
      continue;
    }
    if (claim.quantity !== e.quantity) {
      mismatches.push({ orderLineId: e.orderLineId, kind: 'QUANTITY', expected: String(e.quantity), invoiced: String(claim.quantity) });
    }
    if (rules.amountWrong(claim.amountFen, amount)) {
      mismatches.push({ orderLineId: e.orderLineId, kind: rules.amountKind, expected: amount.toString(), invoiced: claim.amountFen.toString() });
    }
  }
  for (const c of [...claims.values()].sort((a, b) => a.orderLineId.localeCompare(b.orderLineId))) {
    if (!known.has(c.orderLineId)) mismatches.push({ orderLineId: c.orderLineId, kind: rules.unexpectedKind, expected: '0', invoiced: String(c.quantity) });
  }
  const invoicedTotalFen = [...claims.values()].reduce((s, c) => s + c.amountFen, 0n);
  return { matched: mismatches.length === 0, expectedTotalFen, invoicedTotalFen, mismatches };
}

/**
 * Three-way match (order line price × accepted quantity vs invoice line): every accepted line must be
 * invoiced with the same quantity and the exact amount in fen; an invoice line for something not accepted
 * is NOT_RECEIVED.
 */
export function threeWayMatch(expected: MatchExpectation[], invoice: InvoiceLineClaim[]): MatchResult {
  return matchInvoiceLines(
    expected.map((e) => ({ orderLineId: e.orderLineId, unitPrice: e.unitPrice, quantity: e.acceptedQuantity })),
    invoice,
    { amountWrong: (invoiced, expectedFen) => invoiced !== expectedFen, amountKind: 'AMOUNT', unexpectedKind: 'NOT_RECEIVED' },
  );
}

/** One order line of a manufacturer in a shipment: the hospital's price and the quantity shipped. */
export interface SupplyExpectation {
  orderLineId: string;
  unitPrice: string;
  shippedQuantity: number;
}

export type SupplyMismatchKind = 'QUANTITY' | 'AMOUNT_ABOVE_SALE' | 'NOT_SHIPPED' | 'NOT_INVOICED';

/**
 * The manufacturer → distributor invoice (两票制, the first of the two invoices) for a manufacturer's lines of
 * one shipment: every line shipped is invoiced with the shipped quantity; the amount is the manufacturer's own
 * supply price, which the platform does not know, but it may not exceed what the hospital is charged for the
 * same goods (the distribution fee, sale − supply, is never negative). Lines the shipment does not carry for
 * this manufacturer are NOT_SHIPPED. `expectedTotalFen` is the sale amount (hospital price × shipped).
 */
export function supplyInvoiceMatch(expected: SupplyExpectation[], invoice: InvoiceLineClaim[]): MatchResult<SupplyMismatchKind> {
  return matchInvoiceLines(
    expected.map((e) => ({ orderLineId: e.orderLineId, unitPrice: e.unitPrice, quantity: e.shippedQuantity })),
    invoice,
    { amountWrong: (invoiced, sale) => invoiced > sale, amountKind: 'AMOUNT_ABOVE_SALE', unexpectedKind: 'NOT_SHIPPED' },
  );
}
