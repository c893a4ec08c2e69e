import fc from 'fast-check';
import { lineAmountFen } from '@libs/money';
import {
  CURRENT_ORDER_SLA_POLICY,
  ORDER_STATES,
  ORDER_TRANSITIONS,
  autoReceiveAt,
  batchExpiryProblem,
  ORDER_LIMITS,
  mayTake,
  orderDeadlines,
  stateAfterReceipt,
  stateAfterShipment,
  threeWayMatch,
  supplyInvoiceMatch,
} from './index';

describe('order state machine', () => {
  it('only lists known states', () => {
    for (const froms of Object.values(ORDER_TRANSITIONS)) for (const s of froms) expect(ORDER_STATES).toContain(s);
  });

  it('refuses shipping an unconfirmed order and cancelling after shipment, with a reason', () => {
    expect(mayTake('SHIP', 'SUBMITTED')).toMatchObject({ ok: false, reason: expect.stringContaining('SUBMITTED') });
    expect(mayTake('CANCEL', 'PARTLY_SHIPPED').ok).toBe(false);
    expect(mayTake('CANCEL', 'CONFIRMED').ok).toBe(true);
    expect(mayTake('CONFIRM', 'SUBMITTED').ok).toBe(true);
  });

  it('distinguishes partly and fully shipped or received', () => {
    expect(stateAfterShipment([{ ordered: 10, shipped: 4, received: 0 }], false)).toBe('PARTLY_SHIPPED');
    expect(stateAfterShipment([{ ordered: 10, shipped: 10, received: 0 }], false)).toBe('SHIPPED');
    expect(stateAfterReceipt([{ ordered: 10, shipped: 10, received: 10 }])).toBe('RECEIVED');
    expect(stateAfterReceipt([{ ordered: 10, shipped: 4, received: 4 }])).toBe('PARTLY_RECEIVED');
  });
});

describe('SLA deadlines', () => {
  it('gives 24 h to confirm, 48 h (12 h emergency) to deliver, cancel after 8 days, auto-receipt after 7', () => {
    const at = new Date('2026-03-02T01:00:00Z');
    const normal = orderDeadlines(CURRENT_ORDER_SLA_POLICY, at, false);
    expect(normal.confirmBy.toISOString()).toBe('2026-03-03T01:00:00.000Z');
    expect(normal.deliverBy.toISOString()).toBe('2026-03-04T01:00:00.000Z');
    expect(normal.cancellableFrom.toISOString()).toBe('2026-03-10T01:00:00.000Z');
    expect(orderDeadlines(CURRENT_ORDER_SLA_POLICY, at, true).deliverBy.toISOString()).toBe('2026-03-02T13:00:00.000Z');
    expect(autoReceiveAt(CURRENT_ORDER_SLA_POLICY, at).toISOString()).toBe('2026-03-09T01:00:00.000Z');
  });

  it('emergency deliveries are never due later than normal ones', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4_000_000_000_000 }), (t) => {
        const at = new Date(t);
        return orderDeadlines(CURRENT_ORDER_SLA_POLICY, at, true).deliverBy <= orderDeadlines(CURRENT_ORDER_SLA_POLICY, at, false).deliverBy;
      }),
    );
  });
});

describe('three-way match', () => {
  const price = fc.tuple(fc.integer({ min: 1, max: 99_999 }), fc.integer({ min: 0, max: 9999 })).map(([y, f]) => `${y}.${String(f).padStart(4, '0')}`);
  const lines = fc.uniqueArray(fc.record({ orderLineId: fc.uuid(), unitPrice: price, acceptedQuantity: fc.integer({ min: 0, max: 100_000 }) }), {
    selector: (l) => l.orderLineId,
    minLength: 1,
    maxLength: 8,
  });

  it('matches an invoice that bills exactly price × accepted quantity, in any line order', () => {
    fc.assert(
      fc.property(lines, (expected) => {
        const invoice = expected.map((e) => ({ orderLineId: e.orderLineId, quantity: e.acceptedQuantity, amountFen: lineAmountFen(e.unitPrice, e.acceptedQuantity) })).reverse();
        const result = threeWayMatch(expected, invoice);
        return result.matched && result.expectedTotalFen === result.invoicedTotalFen;
      }),
    );
  });

  it('lists a mismatch for one fen too much on any line', () => {
    fc.assert(
      fc.property(lines, fc.nat(), (expected, pick) => {
        const i = pick % expected.length;
        const invoice = expected.map((e, j) => ({
          orderLineId: e.orderLineId,
          quantity: e.acceptedQuantity,
          amountFen: lineAmountFen(e.unitPrice, e.acceptedQuantity) + (j === i ? 1n : 0n),
        }));
        const result = threeWayMatch(expected, invoice);
        return !result.matched && result.mismatches.some((m) => m.orderLineId === expected[i].orderLineId && m.kind === 'AMOUNT');
      }),
    );
  });

  it('names quantity differences, lines not invoiced and lines not received', () => {
    const result = threeWayMatch(
      [
        { orderLineId: 'a', unitPrice: '1.2500', acceptedQuantity: 10 },
        { orderLineId: 'b', unitPrice: '2.0000', acceptedQuantity: 3 },
      ],
      [
        { orderLineId: 'a', quantity: 12, amountFen: 1500n },
        { orderLineId: 'z', quantity: 1, amountFen: 100n },
      ],
    );
    expect(result.mismatches.map((m) => `${m.orderLineId}:${m.kind}`)).toEqual(['a:QUANTITY', 'a:AMOUNT', 'b:NOT_INVOICED', 'z:NOT_RECEIVED']);
  });
});

describe('order limits', () => {
  it('refuses shipping a batch that expires on or before the day of shipping (Asia/Shanghai)', () => {
    const shippedAt = new Date('2026-03-01T17:00:00Z'); // 2026-03-02 01:00 in Shanghai
    expect(batchExpiryProblem('1900-01-01', shippedAt)).toMatch(/不得发货/);
    expect(batchExpiryProblem('2026-03-01', shippedAt)).toMatch(/不得发货/);
    expect(batchExpiryProblem('2026-03-02', shippedAt)).toMatch(/2026-03-02/);
    expect(batchExpiryProblem('2026-03-03', shippedAt)).toBeNull();
  });

  it('caps the lines of one order at a documented policy value', () => {
    expect(ORDER_LIMITS.maxLinesPerOrder).toBe(200);
  });
});

describe('supply invoice (manufacturer → distributor) match', () => {
  const expected = [{ orderLineId: 'a', unitPrice: '2.0000', shippedQuantity: 10 }, { orderLineId: 'b', unitPrice: '1.0000', shippedQuantity: 5 }];
  it('matches the shipped quantities at any supply amount up to the sale amount', () => {
    const r = supplyInvoiceMatch(expected, [{ orderLineId: 'a', quantity: 10, amountFen: 2_000n }, { orderLineId: 'b', quantity: 5, amountFen: 450n }]);
    expect(r).toEqual({ matched: true, expectedTotalFen: 2_500n, invoicedTotalFen: 2_450n, mismatches: [] });
  });
  it('refuses a supply amount above the sale, a wrong quantity, a line not shipped and one not invoiced', () => {
    const r = supplyInvoiceMatch(expected, [{ orderLineId: 'a', quantity: 9, amountFen: 2_001n }, { orderLineId: 'z', quantity: 1, amountFen: 1n }]);
    expect(r.matched).toBe(false);
    expect(r.mismatches.map((m) => [m.orderLineId, m.kind])).toEqual([['a', 'QUANTITY'], ['a', 'AMOUNT_ABOVE_SALE'], ['b', 'NOT_INVOICED'], ['z', 'NOT_SHIPPED']]);
  });
});
