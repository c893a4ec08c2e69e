/**
 * The purchase order's state machine as data. Receipt and shipment steps carry a "how much" so the
 * service asks `nextStateAfter...` for the partly/fully distinction instead of hard-coding it.
 */
export const ORDER_STATES = [
  'SUBMITTED',
  'CONFIRMED',
  'REJECTED',
  'PARTLY_SHIPPED',
  'SHIPPED',
  'PARTLY_RECEIVED',
  'RECEIVED',
  'CLOSED',
  'CANCELLED',
] as const;
export type OrderState = (typeof ORDER_STATES)[number];

export type OrderAction = 'CONFIRM' | 'REJECT' | 'SHIP' | 'RECEIVE' | 'CLOSE' | 'CANCEL';

/** Which states each action may start from. */
export const ORDER_TRANSITIONS: Readonly<Record<OrderAction, readonly OrderState[]>> = {
  CONFIRM: ['SUBMITTED'],
  REJECT: ['SUBMITTED'],
  // a further shipment may follow a partial one, and may arrive after part was received
  SHIP: ['CONFIRMED', 'PARTLY_SHIPPED', 'PARTLY_RECEIVED'],
  RECEIVE: ['PARTLY_SHIPPED', 'SHIPPED', 'PARTLY_RECEIVED'],
  CLOSE: ['RECEIVED'],
  // the hospital cancels only while nothing has left the warehouse
  CANCEL: ['SUBMITTED', 'CONFIRMED'],
};

export type Guard = { ok: true } | { ok: false; reason: string };

export function mayTake(action: OrderAction, from: OrderState): Guard {
  if (ORDER_TRANSITIONS[action].includes(from)) return { ok: true };
  return { ok: false, reason: `An order in state ${from} cannot take the step ${action} (allowed from ${ORDER_TRANSITIONS[action].join(', ')})` };
}

export interface LineProgress {
  ordered: number;
  shipped: number;
  /** accepted + rejected: quantities that reached the hospital and were counted */
  received: number;
}

/** State after a shipment: fully shipped once every line's ordered quantity has left. */
export function stateAfterShipment(lines: LineProgress[], anyReceived: boolean): OrderState {
  const fully = lines.every((l) => l.shipped >= l.ordered);
  if (anyReceived) return 'PARTLY_RECEIVED';
  return fully ? 'SHIPPED' : 'PARTLY_SHIPPED';
}

/** State after a receipt: RECEIVED once everything ordered was shipped and counted at the hospital. */
export function stateAfterReceipt(lines: LineProgress[]): OrderState {
  return lines.every((l) => l.received >= l.ordered) ? 'RECEIVED' : 'PARTLY_RECEIVED';
}
