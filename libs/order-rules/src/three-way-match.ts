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

export interface Mismatch {
  orderLineId: string;
  kind: MismatchKind;
  expected: string;
  invoiced: string;
}

export interface MatchResult {
  matched: boolean;
  expectedTotalFen: bigint;
  invoicedTotalFen: bigint;
  mismatches: Mismatch[];
}

/**
 * Three-way match (order line price × accepted quantity vs invoice line): every accepted line must be
 * invoiced with the same quantity and the exact amount in fen; an invoice line for something not accepted
 * is a mismatch too. Mismatches come out in order-line order so the result is reproducible.
 */
export function threeWayMatch(expected: MatchExpectation[], invoice: InvoiceLineClaim[]): MatchResult {
  const mismatches: Mismatch[] = [];
  const claims = new Map<string, InvoiceLineClaim>();
  for (const c of invoice) {
    const prior = claims.get(c.orderLineId);
    claims.set(c.orderLineId, prior ? { ...c, quantity: prior.quantity + c.quantity, amountFen: prior.amountFen + c.amountFen } : c);
  }
  let expectedTotalFen = 0n;
  const known = new Set<string>();
  for (const e of [...expected].sort((a, b) => a.orderLineId.localeCompare(b.orderLineId))) {
    known.add(e.orderLineId);
    const amount = lineAmountFen(e.unitPrice, e.acceptedQuantity);
    expectedTotalFen += amount;
    const claim = claims.get(e.orderLineId);
    if (!claim) {
      if (e.acceptedQuantity > 0) mismatches.push({ orderLineId: e.orderLineId, kind: 'NOT_INVOICED', expected: String(e.acceptedQuantity), invoiced: '0' });
      continue;
    }
    if (claim.quantity !== e.acceptedQuantity) {
      mismatches.push({ orderLineId: e.orderLineId, kind: 'QUANTITY', expected: String(e.acceptedQuantity), invoiced: String(claim.quantity) });
    }
    if (claim.amountFen !== amount) {
      mismatches.push({ orderLineId: e.orderLineId, kind: 'AMOUNT', expected: amount.toString(), invoiced: claim.amountFen.toString() });
    }
  }
  for (const c of [...claims.values()].sort((a, b) => a.orderLineId.localeCompare(b.orderLineId))) {
    if (!known.has(c.orderLineId)) mismatches.push({ orderLineId: c.orderLineId, kind: 'NOT_RECEIVED', expected: '0', invoiced: String(c.quantity) });
  }
  const invoicedTotalFen = [...claims.values()].reduce((s, c) => s + c.amountFen, 0n);
  return { matched: mismatches.length === 0, expectedTotalFen, invoicedTotalFen, mismatches };
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
export function supplyInvoiceMatch(expected: SupplyExpectation[], invoice: InvoiceLineClaim[]): Omit<MatchResult, 'mismatches'> & { mismatches: (Omit<Mismatch, 'kind'> & { kind: SupplyMismatchKind })[] } {
  const mismatches: (Omit<Mismatch, 'kind'> & { kind: SupplyMismatchKind })[] = [];
  const claims = new Map<string, InvoiceLineClaim>();
  for (const c of invoice) {
    const prior = claims.get(c.orderLineId);
    claims.set(c.orderLineId, prior ? { ...c, quantity: prior.quantity + c.quantity, amountFen: prior.amountFen + c.amountFen } : c);
  }
  let expectedTotalFen = 0n;
  const known = new Set<string>();
  for (const e of [...expected].sort((a, b) => a.orderLineId.localeCompare(b.orderLineId))) {
    known.add(e.orderLineId);
    const sale = lineAmountFen(e.unitPrice, e.shippedQuantity);
    expectedTotalFen += sale;
    const claim = claims.get(e.orderLineId);
    if (!claim) {
      if (e.shippedQuantity > 0) mismatches.push({ orderLineId: e.orderLineId, kind: 'NOT_INVOICED', expected: String(e.shippedQuantity), invoiced: '0' });
      continue;
    }
    if (claim.quantity !== e.shippedQuantity) {
      mismatches.push({ orderLineId: e.orderLineId, kind: 'QUANTITY', expected: String(e.shippedQuantity), invoiced: String(claim.quantity) });
    }
    if (claim.amountFen > sale) mismatches.push({ orderLineId: e.orderLineId, kind: 'AMOUNT_ABOVE_SALE', expected: sale.toString(), invoiced: claim.amountFen.toString() });
  }
  for (const c of [...claims.values()].sort((a, b) => a.orderLineId.localeCompare(b.orderLineId))) {
    if (!known.has(c.orderLineId)) mismatches.push({ orderLineId: c.orderLineId, kind: 'NOT_SHIPPED', expected: '0', invoiced: String(c.quantity) });
  }
  const invoicedTotalFen = [...claims.values()].reduce((s, c) => s + c.amountFen, 0n);
  return { matched: mismatches.length === 0, expectedTotalFen, invoicedTotalFen, mismatches };
}
