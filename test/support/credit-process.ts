import type { TestApp } from '@test/harness';

/**
 * Credit events go through due process (src/credit/credit-notices.service.ts): recording one issues a notice,
 * and the event counts in the rating only from a regulator's decision. Tests that need a rating in effect
 * walk the whole path: record, the organisation replies, a regulator upholds.
 */
export const RECORD_CREDIT_EVENT = `mutation($input: RecordCreditEventInput!) { recordCreditEvent(input: $input) { id levelAtRecording policyVersion status notice { id state replyDeadline } } }`;
export const REPLY_TO_NOTICE = `mutation($id: ID!, $input: CreditStatementInput!) { replyToCreditNotice(noticeId: $id, input: $input) { id state } }`;
export const DECIDE_NOTICE = `mutation($id: ID!, $input: CreditDecisionInput!) { decideCreditNotice(noticeId: $id, input: $input) { id state decision decidedLevel decisionReasons appealDeadline } }`;

export interface CreditEventInput {
  organisationId: string;
  behaviour: string;
  amount?: string | null;
  occurredOn: string;
  evidence: string;
  productIds: string[];
}

/** Records an event, lets the organisation (its user `organisationUser`) reply and `decider` uphold it. */
export async function recordInEffect(t: TestApp, organisationUser: string, input: CreditEventInput, decider = 'reg-henan') {
  const recorded = (await t.as(decider).ok<any>(RECORD_CREDIT_EVENT, { input })).recordCreditEvent;
  await t.as(organisationUser).ok(REPLY_TO_NOTICE, { id: recorded.notice.id, input: { statement: '对告知的事实无异议' } });
  await t.as(decider).ok(DECIDE_NOTICE, { id: recorded.notice.id, input: { decision: 'UPHOLD', reasons: '事实清楚，证据确凿，维持评级' } });
  return recorded as { id: string; levelAtRecording: string; policyVersion: string; status: string; notice: { id: string } };
}
