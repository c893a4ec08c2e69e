/**
 * Delivery SLA defaults (domain §6) as a versioned policy: every order stores the version and the deadlines
 * it was given, so a later policy change never moves an existing order's deadlines.
 */
export interface OrderSlaPolicy {
  version: string;
  confirmWithinHours: number;
  deliverWithinHours: number;
  emergencyDeliverWithinHours: number;
  /** the hospital may cancel an order still undelivered this many days after placing it */
  cancelUndeliveredAfterDays: number;
  /** a shipment not received by the hospital within this many days is received automatically */
  autoReceiveAfterDays: number;
}

export const ORDER_SLA_POLICY_2026: OrderSlaPolicy = Object.freeze({
  version: 'order-sla-2026.1',
  confirmWithinHours: 24,
  deliverWithinHours: 48,
  emergencyDeliverWithinHours: 12,
  cancelUndeliveredAfterDays: 8,
  autoReceiveAfterDays: 7,
});

export const CURRENT_ORDER_SLA_POLICY = ORDER_SLA_POLICY_2026;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface OrderDeadlines {
  confirmBy: Date;
  deliverBy: Date;
  /** from this instant the hospital may cancel an undelivered order */
  cancellableFrom: Date;
}

export function orderDeadlines(policy: OrderSlaPolicy, orderedAt: Date, emergency: boolean): OrderDeadlines {
  const t = orderedAt.getTime();
  return {
    confirmBy: new Date(t + policy.confirmWithinHours * HOUR),
    deliverBy: new Date(t + (emergency ? policy.emergencyDeliverWithinHours : policy.deliverWithinHours) * HOUR),
    cancellableFrom: new Date(t + policy.cancelUndeliveredAfterDays * DAY),
  };
}

export function autoReceiveAt(policy: OrderSlaPolicy, shippedAt: Date): Date {
  return new Date(shippedAt.getTime() + policy.autoReceiveAfterDays * DAY);
}
