import { createHmac, timingSafeEqual } from 'crypto';
import { isIP } from 'net';

/**
 * The business events of the change feed, by the change that raises them (see docs/change-feed.md). The
 * database raises them (triggers in the same transaction as the change), so this list is the catalogue
 * subscribers filter on, not the place that decides when an event happens.
 */
export const EVENT_TYPES = [
  'order.placed',
  'order.confirmed',
  'order.rejected',
  'order.cancelled',
  'order.closed',
  'order.shipped',
  'order.received',
  'order.returned',
  'invoice.matched',
  'invoice.mismatched',
  'payment.instructed',
  'payment.held',
  'payment.paid',
  'payment.failed',
  'payment.returned',
  'price.changed',
  'round.published',
  'round.bidding',
  'round.opened',
  'round.publicized',
  'round.confirmed',
  'round.in_effect',
  'round.expired',
  'round.cancelled',
  'agreement.signed',
  'agreement.supply_failed',
  'alert.raised',
  'credit.rating_effective',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** Delivery policy of signed webhooks, versioned like the other rule sets. */
export interface WebhookPolicy {
  version: string;
  /** Attempts before a delivery goes to the dead-letter list. */
  maxAttempts: number;
  /** Delay after the first failure; each further failure multiplies it by `factor`, capped at `maxDelaySeconds`. */
  baseDelaySeconds: number;
  factor: number;
  maxDelaySeconds: number;
  /** A receiver that has not answered within this is a failed attempt. */
  timeoutMs: number;
  /** Events a single dispatch pass hands to one subscriber at most (the rest wait for the next pass). */
  batchPerPass: number;
}

export const WEBHOOK_POLICY_2026: WebhookPolicy = {
  version: 'WEBHOOK-2026-1',
  maxAttempts: 8,
  baseDelaySeconds: 10,
  factor: 3,
  maxDelaySeconds: 6 * 3600,
  timeoutMs: 5000,
  batchPerPass: 100,
};

/** Seconds to wait after the `failedAttempts`-th failure (1-based) before trying again. */
export function retryDelaySeconds(failedAttempts: number, policy: WebhookPolicy): number {
  if (failedAttempts < 1) return 0;
  const delay = policy.baseDelaySeconds * Math.pow(policy.factor, failedAttempts - 1);
  return Math.min(Math.round(delay), policy.maxDelaySeconds);
}

/** True when a delivery that has failed `failedAttempts` times is given up (dead-lettered). */
export function exhausted(failedAttempts: number, policy: WebhookPolicy): boolean {
  return failedAttempts >= policy.maxAttempts;
}

/** The `X-VBP-Signature` header value: HMAC-SHA256 of the exact body bytes under the subscriber's secret. */
export function signBody(secret: string, body: string | Buffer): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** What a receiver runs: constant-time check of the header against the body it received. */
export function verifySignature(secret: string, body: string | Buffer, header: string | undefined): boolean {
  if (!header) return false;
  const expected = Buffer.from(signBody(secret, body));
  const given = Buffer.from(header);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/**
 * Why a webhook URL may not be used, or null. Only http(s), no credentials in the URL, and — unless private
 * targets are allowed (tests, an intranet deployment that says so) — no loopback, private, link-local or
 * unspecified addresses, so a subscriber cannot make the platform call into its own network (SSRF).
 * Host names are checked again after DNS resolution, with `addressProblem`.
 */
export function webhookUrlProblem(raw: string, allowPrivateTargets: boolean): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return '不是有效的网址';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return '只接受 http 或 https 网址';
  if (url.username || url.password) return '网址中不得包含用户名或密码';
  if (raw.length > 2000) return '网址过长';
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!allowPrivateTargets) {
    if (host === 'localhost' || host.endsWith('.localhost')) return '不得指向本机或内网地址';
    if (isIP(host)) return addressProblem(host);
  }
  return null;
}

/** Why an IP address may not receive webhooks (loopback, private, link-local, unspecified), or null. */
export function addressProblem(address: string): string | null {
  const problem = '不得指向本机或内网地址';
  const version = isIP(address);
  if (version === 4) {
    const [a, b] = address.split('.').map(Number);
    if (a === 0 || a === 10 || a === 127) return problem;
    if (a === 169 && b === 254) return problem;
    if (a === 172 && b >= 16 && b <= 31) return problem;
    if (a === 192 && b === 168) return problem;
    if (a === 100 && b >= 64 && b <= 127) return problem; // carrier-grade NAT
    if (a >= 224) return problem; // multicast and reserved
    return null;
  }
  if (version === 6) {
    const lower = address.toLowerCase();
    if (lower === '::' || lower === '::1') return problem;
    if (lower.startsWith('fe8') || lower.startsWith('fe9') || lower.startsWith('fea') || lower.startsWith('feb')) return problem;
    if (lower.startsWith('fc') || lower.startsWith('fd')) return problem;
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
    if (mapped) return addressProblem(mapped[1]);
    return null;
  }
  return '不是有效的地址';
}
