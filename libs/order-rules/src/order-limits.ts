import { shanghaiDateOf } from '@libs/calendar';

/**
 * Size and shelf-life rules of orders and shipments, as policy values: clients can read them in docs/api.md,
 * and a change is one edit here.
 */
export const ORDER_LIMITS = Object.freeze({
  /** lines one purchase order may carry (placeOrder); larger purchases are split into several orders */
  maxLinesPerOrder: 200,
});

/**
 * No shipping of expired goods: a batch may be shipped only if its expiry date (有效期至, inclusive, an
 * Asia/Shanghai date) lies after the day of shipping. Returns the reason for refusal, or null.
 */
export function batchExpiryProblem(expiresOn: string, shippedAt: Date): string | null {
  const shipDay = shanghaiDateOf(shippedAt);
  if (expiresOn <= shipDay) return `该批号有效期至 ${expiresOn}，不晚于发货日 ${shipDay}，不得发货`;
  return null;
}
