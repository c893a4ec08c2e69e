import { createHash } from 'crypto';
import type { Request } from 'express';

/**
 * Login throttling keys. Failed logins are counted per (source, username) pair, not per account: a stranger
 * guessing from another network never locks the owner out, and the answer for an unknown username is the
 * same as for a real one. The per-source cap on all logins is the rate limiter's job.
 */

/**
 * The source address a throttle counts against: the client address as Express sees it (`trust proxy` decides
 * whether X-Forwarded-For is believed), IPv4-mapped IPv6 written as IPv4, and IPv6 reduced to its /64 prefix —
 * one subscriber usually holds a whole /64, and could otherwise take a fresh address for every guess.
 */
export function loginSource(req: Pick<Request, 'ip'> & { socket?: { remoteAddress?: string } } | undefined): string {
  const raw = (req?.ip ?? req?.socket?.remoteAddress ?? '').trim().toLowerCase();
  if (!raw) return 'unknown';
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(raw);
  if (mapped) return mapped[1];
  if (!raw.includes(':')) return raw;
  return `${ipv6Groups(raw.replace(/%.*$/, '')).slice(0, 4).join(':')}::/64`;
}

/** The eight 16-bit groups of an IPv6 address, '::' expanded (an embedded IPv4 tail counts as two groups). */
function ipv6Groups(address: string): string[] {
  const [head, tail = null] = address.split('::');
  const parts = (text: string) =>
    text
      ? text.split(':').flatMap((g) => {
          const v4 = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(g);
          if (!v4) return [g];
          const [a, b, c, d] = v4.slice(1).map(Number);
          return [((a << 8) | b).toString(16), ((c << 8) | d).toString(16)];
        })
      : [];
  const left = parts(head);
  if (tail === null) return left.map((g) => g.replace(/^0+(?=.)/, ''));
  const right = parts(tail);
  return [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right].map((g) => g.replace(/^0+(?=.)/, ''));
}

/** A username as the login compares it. */
export function normaliseUsername(username: string): string {
  return username.trim().toLowerCase();
}

/** The throttle row's key: sha256 of source and username, so the table holds no typed usernames. */
export function throttleKey(source: string, username: string): string {
  return createHash('sha256').update(`${source}\u0000${normaliseUsername(username)}`).digest('hex');
}
