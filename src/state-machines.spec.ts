import { ORDER_MACHINE, ORDER_STATES } from '@libs/order-rules';
import { CASE_MACHINE, CASE_STATES } from '@libs/supervision-rules';
import { LISTING_STATES } from '@libs/price-rules';
import { ROUND_MACHINE } from './tendering/round-state-machine';
import { ROUND_STATES } from './tendering/round.entity';
import { BID_MACHINE, BID_STATES } from './tendering/bid.entity';
import { LISTING_MACHINE } from './listing/listing.entity';
import { SHIPMENT_MACHINE, SHIPMENT_STATES } from './orders/shipment.entity';
import { BATCH_STATES, SETTLEMENT_BATCH_MACHINE } from './settlement/settlement-batch.entity';

/**
 * Every workflow is one checked machine over the same constants its CHECK constraint and GraphQL enum are
 * written from (defining a machine with an unreachable or unknown state throws at module load, i.e. start-up).
 */
describe('the platform\'s workflows', () => {
  const machines = [
    [ROUND_MACHINE, ROUND_STATES],
    [BID_MACHINE, BID_STATES],
    [LISTING_MACHINE, LISTING_STATES],
    [ORDER_MACHINE, ORDER_STATES],
    [SHIPMENT_MACHINE, SHIPMENT_STATES],
    [SETTLEMENT_BATCH_MACHINE, BATCH_STATES],
    [CASE_MACHINE, CASE_STATES],
  ] as const;

  it.each(machines.map(([m, s]) => [m.name, m, s] as const))('%s: states are the constants of its CHECK constraint and enum', (_name, machine, states) => {
    expect(machine.states).toBe(states);
  });

  it('knows where each workflow ends', () => {
    expect(Object.fromEntries(machines.map(([m]) => [m.name, m.terminal]))).toEqual({
      round: ['EXPIRED', 'CANCELLED'],
      bid: ['WITHDRAWN'],
      listing: ['WITHDRAWN'],
      order: ['REJECTED', 'CLOSED', 'CANCELLED'],
      shipment: ['RECEIVED'],
      'settlement batch': ['COMPLETED', 'REJECTED'],
      'alert case': ['RECTIFIED', 'DISMISSED', 'ESCALATED_TO_CREDIT'],
    });
  });

  it('answers a refused step with its reason', () => {
    expect(ROUND_MACHINE.guard('open', 'DRAFT')).toMatchObject({ ok: false, reason: 'A round in state DRAFT cannot take the step open (allowed from BIDDING)' });
    expect(ORDER_MACHINE.guard('CANCEL', 'SHIPPED')).toMatchObject({ ok: false, reason: 'An order in state SHIPPED cannot take the step CANCEL (allowed from SUBMITTED, CONFIRMED)' });
    expect(SETTLEMENT_BATCH_MACHINE.guard('approve', 'RUNNING').ok).toBe(false);
  });
});
