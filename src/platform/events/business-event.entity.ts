import { Field, Int, ObjectType } from '@nestjs/graphql';
import { Check, Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { ReadPolicy } from '../auth/read-policy';
import { pathWithin } from '../auth/scope';
import { inCheck } from '../database/state-check';
import { stateEnum } from '../graphql/state-enum';

const bigintAsNumber = { to: (v: number | null) => v, from: (v: string | null) => (v === null ? null : Number(v)) };

/** Who may read an event: the organisations it names, regulators and settlement offices of its region, and anyone for public ones. */
function eventVisible(row: BusinessEvent, user: { role: string; organisationId: string; regionPath: string }): boolean {
  if (row.isPublic) return true;
  if (user.role === 'REGULATOR' || user.role === 'SETTLEMENT_OFFICE') return row.regionPath !== null && pathWithin(row.regionPath, user.regionPath);
  return row.organisationIds.includes(user.organisationId);
}

/**
 * One business event of the change feed. Raised by a database trigger in the transaction of the change
 * (migrations/1798100000000-ChangeFeed.ts); `position` is given after commit by the positioner, so reading
 * `position > cursor` in position order never skips an event that committed late.
 */
@ReadPolicy<BusinessEvent>({
  roles: 'ANY',
  scope: { REGULATOR: eventVisible, SETTLEMENT_OFFICE: eventVisible, HOSPITAL: eventVisible, MANUFACTURER: eventVisible, DISTRIBUTOR: eventVisible },
  note: 'an event is read by the organisations it names, by regulators and settlement offices of its region, and by anyone when public (prices, rounds)',
})
@ObjectType('BusinessEvent', { description: 'A business event of the change feed, in commit order' })
@Entity('business_event')
@Index('business_event_position', ['position'], { unique: true })
@Index('business_event_unpositioned', ['seq'], { where: 'position IS NULL' })
@Index('business_event_organisations', { synchronize: false })
export class BusinessEvent {
  @PrimaryGeneratedColumn('increment', { type: 'bigint', transformer: bigintAsNumber } as { type: 'bigint' })
  seq: number;

  @Column('bigint', { nullable: true, transformer: bigintAsNumber })
  position: number | null;

  @Field(() => String, { description: 'Event type, e.g. order.placed, payment.paid, price.changed (docs/change-feed.md)' })
  @Column('text')
  type: string;

  @Field(() => Date)
  @Column('timestamptz')
  occurredAt: Date;

  @Field(() => String, { description: 'What changed: PurchaseOrder, Shipment, Receipt, Invoice, PaymentInstruction, Listing, TenderRound, VolumeAgreement, Alert, CreditRating…' })
  @Column('text')
  subjectType: string;

  @Field(() => String)
  @Column('text')
  subjectId: string;

  @Column('text', { nullable: true })
  regionPath: string | null;

  @Column('uuid', { array: true, default: () => "'{}'" })
  organisationIds: string[];

  @Field(() => Boolean, { description: 'Public events (prices, rounds) are readable by anyone' })
  @Column('boolean', { default: false })
  isPublic: boolean;

  @Column('jsonb', { default: () => "'{}'" })
  data: Record<string, unknown>;

  @Column('timestamptz', { nullable: true })
  positionedAt: Date | null;
}

export const WEBHOOK_DELIVERY_STATES = ['PENDING', 'DELIVERED', 'DEAD'] as const;
export type WebhookDeliveryState = (typeof WEBHOOK_DELIVERY_STATES)[number];
export const WebhookDeliveryStateEnum = stateEnum(WEBHOOK_DELIVERY_STATES, 'WebhookDeliveryState', 'PENDING: to be (re)tried; DELIVERED: the receiver answered 2xx; DEAD: attempts exhausted (the dead-letter list)');

const ownOrganisation = (row: { organisationId: string }, user: { organisationId: string }) => row.organisationId === user.organisationId;

/** A subscriber's webhook: where the platform POSTs the events its organisation may read, signed with its secret. */
@ReadPolicy<WebhookSubscription>({
  roles: 'ANY',
  scope: { REGULATOR: ownOrganisation, SETTLEMENT_OFFICE: ownOrganisation, HOSPITAL: ownOrganisation, MANUFACTURER: ownOrganisation, DISTRIBUTOR: ownOrganisation },
  note: 'an organisation reads its own subscriptions',
})
@ObjectType('WebhookSubscription')
@Entity('webhook_subscription')
@Index('webhook_subscription_organisation', ['organisationId', 'createdAt'])
export class WebhookSubscription {
  @Field(() => String)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field(() => String)
  @Column('uuid')
  organisationId: string;

  @Field(() => String)
  @Column('text')
  url: string;

  /** Shown once, when the subscription is made; it signs every delivery. */
  @Column('text')
  secret: string;

  @Field(() => [String], { nullable: true, description: 'Event types delivered; null: every type' })
  @Column('text', { array: true, nullable: true })
  eventTypes: string[] | null;

  @Field(() => Boolean)
  @Column('boolean', { default: true })
  active: boolean;

  @Field(() => String, { description: 'The feed position up to which events have been queued for delivery' })
  @Column('bigint', { transformer: bigintAsNumber })
  cursorPosition: number;

  @Field(() => String)
  @Column('text')
  policyVersion: string;

  @Column('uuid')
  createdBy: string;

  @Field(() => Date)
  @Column('timestamptz')
  createdAt: Date;

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { nullable: true })
  deactivatedAt: Date | null;
}

/** One event owed to one subscriber: at most one row per (subscription, event), retried until delivered or dead. */
@ReadPolicy<WebhookDelivery & { organisationId?: string }>({
  roles: 'ANY',
  scope: {
    REGULATOR: (row, user) => row.organisationId === user.organisationId,
    SETTLEMENT_OFFICE: (row, user) => row.organisationId === user.organisationId,
    HOSPITAL: (row, user) => row.organisationId === user.organisationId,
    MANUFACTURER: (row, user) => row.organisationId === user.organisationId,
    DISTRIBUTOR: (row, user) => row.organisationId === user.organisationId,
  },
  note: 'an organisation reads the deliveries of its own subscriptions',
})
@ObjectType('WebhookDelivery')
@Entity('webhook_delivery')
@Index('webhook_delivery_once', ['subscriptionId', 'eventPosition'], { unique: true })
@Index('webhook_delivery_due', ['state', 'nextAttemptAt'])
@Check(inCheck('state', WEBHOOK_DELIVERY_STATES))
export class WebhookDelivery {
  @Field(() => String)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field(() => String)
  @Column('uuid')
  subscriptionId: string;

  @Field(() => String, { description: 'The event\'s feed position (its id for the receiver: X-VBP-Event-Id)' })
  @Column('bigint', { transformer: bigintAsNumber })
  eventPosition: number;

  @Field(() => WebhookDeliveryStateEnum)
  @Column('text')
  state: WebhookDeliveryState;

  @Field(() => Int)
  @Column('int', { default: 0 })
  attempts: number;

  @Field(() => Date)
  @Column('timestamptz')
  nextAttemptAt: Date;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  lastError: string | null;

  @Field(() => Int, { nullable: true })
  @Column('int', { nullable: true })
  lastStatus: number | null;

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { nullable: true })
  deliveredAt: Date | null;

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { nullable: true })
  deadAt: Date | null;

  @Column('timestamptz')
  createdAt: Date;

  /** Filled by the service for the read policy (the subscription's organisation). */
  organisationId?: string;
}
