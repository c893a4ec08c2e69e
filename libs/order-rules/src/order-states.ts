import { defineStateMachine } from '@libs/state-machine';
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

/** The order's workflow: which states each action may start from, and where it may lead. */
export const ORDER_MACHINE = defineStateMachine<OrderState, OrderAction>({
  name: 'order',
  noun: 'An order',
  states: ORDER_STATES,
  initial: 'SUBMITTED',
  transitions: [
    { action: 'CONFIRM', from: ['SUBMITTED'], to: 'CONFIRMED' },
    { action: 'REJECT', from: ['SUBMITTED'], to: 'REJECTED' },
    // a further shipment may follow a partial one, and may arrive after part was received
    { action: 'SHIP', from: ['CONFIRMED', 'PARTLY_SHIPPED', 'PARTLY_RECEIVED'], to: ['PARTLY_SHIPPED', 'SHIPPED', 'PARTLY_RECEIVED'] },
    { action: 'RECEIVE', from: ['PARTLY_SHIPPED', 'SHIPPED', 'PARTLY_RECEIVED'], to: ['PARTLY_RECEIVED', 'RECEIVED'] },
    { action: 'CLOSE', from: ['RECEIVED'], to: 'CLOSED' },
    // the hospital cancels only while nothing has left the warehouse
    { action: 'CANCEL', from: ['SUBMITTED', 'CONFIRMED'], to: 'CANCELLED' },
  ],
});

/** Which states each action may start from (read from the machine). */
export const ORDER_TRANSITIONS: Readonly<Record<OrderAction, readonly OrderState[]>> = Object.fromEntries(
  ORDER_MACHINE.transitions.map((t) => [t.action, t.from]),
) as Record<OrderAction, readonly OrderState[]>;

export type Guard = { ok: true } | { ok: false; reason: string };

export function mayTake(action: OrderAction, from: OrderState): Guard {
  const verdict = ORDER_MACHINE.guard(action, from);
  return verdict.ok ? { ok: true } : { ok: false, reason: verdict.reason };
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
