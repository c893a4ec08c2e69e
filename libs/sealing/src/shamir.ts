import { randomBytes } from 'crypto';
import { gfAdd, gfDiv, gfMul } from './gf256';

/**
 * Shamir secret sharing over GF(256), byte by byte. For each byte s of the secret a polynomial
 * f(X) = s + a1·X + … + a(k−1)·X^(k−1) with uniformly random coefficients is drawn; share j is the point
 * (x_j, f(x_j)) with x_j = j (1..n). Any k shares determine f by Lagrange interpolation and f(0) = s.
 *
 * Why k−1 shares reveal nothing (information-theoretically, per byte and so for the whole secret): fix any
 * k−1 distinct non-zero points x_1..x_(k−1) and any values y_1..y_(k−1). For every candidate secret s there is
 * exactly one polynomial of degree < k through (0, s) and the k−1 points (Lagrange; the k abscissae are
 * distinct). So for every s exactly one choice of (a1..a(k−1)) out of 256^(k−1) produces the observed shares:
 * the shares' distribution is uniform and the same whatever the secret, and observing them leaves every
 * secret equally likely. Combining k−1 shares as if they were enough gives the polynomial's value at 0 of a
 * *different* interpolant, which equals the secret only by chance (2^−8 per byte).
 *
 * Pure: the randomness is a parameter (the default is the OS CSPRNG), so tests can drive it.
 */
export interface Share {
  /** The abscissa, 1..255; never 0 (f(0) is the secret). */
  x: number;
  y: Uint8Array;
}

export interface SplitPolicy {
  /** n: how many shares are made */
  shares: number;
  /** k: how many are needed to rebuild the secret */
  threshold: number;
}

export type RandomSource = (length: number) => Uint8Array;

const osRandom: RandomSource = (length) => randomBytes(length);

export function checkPolicy(policy: SplitPolicy): void {
  const { shares, threshold } = policy;
  if (!Number.isInteger(shares) || !Number.isInteger(threshold)) throw new RangeError('shares and threshold are whole numbers');
  if (threshold < 2) throw new RangeError('the threshold is at least 2 (one share alone would be the secret)');
  if (shares < threshold) throw new RangeError('there are at least as many shares as the threshold');
  if (shares > 255) throw new RangeError('at most 255 shares over GF(256)');
}

export function split(secret: Uint8Array, policy: SplitPolicy, random: RandomSource = osRandom): Share[] {
  checkPolicy(policy);
  if (secret.length === 0) throw new RangeError('the secret is empty');
  const { shares: n, threshold: k } = policy;
  const out: Share[] = Array.from({ length: n }, (_, j) => ({ x: j + 1, y: new Uint8Array(secret.length) }));
  const coefficients = new Uint8Array(k);
  for (let i = 0; i < secret.length; i++) {
    coefficients[0] = secret[i];
    const drawn = random(k - 1);
    if (drawn.length !== k - 1) throw new RangeError('the random source returned the wrong length');
    coefficients.set(drawn, 1);
    for (const share of out) {
      // Horner: ((a(k−1)·x + a(k−2))·x + …)·x + a0
      let value = 0;
      for (let c = k - 1; c >= 0; c--) value = gfAdd(gfMul(value, share.x), coefficients[c]);
      share.y[i] = value;
    }
    drawn.fill(0);
  }
  coefficients.fill(0);
  return out;
}

/**
 * Lagrange interpolation at 0 over whatever shares are given. With at least k shares of one split this is
 * the secret; with fewer it is some other value (see above). Refuses malformed sets: no shares, x = 0 or out
 * of range, repeated abscissae, different lengths.
 */
export function combine(shares: readonly Share[]): Uint8Array {
  if (shares.length === 0) throw new RangeError('no shares');
  const length = shares[0].y.length;
  const seen = new Set<number>();
  for (const share of shares) {
    if (!Number.isInteger(share.x) || share.x < 1 || share.x > 255) throw new RangeError('a share’s x lies outside 1..255');
    if (seen.has(share.x)) throw new RangeError(`two shares have x = ${share.x}`);
    if (share.y.length !== length) throw new RangeError('shares differ in length');
    seen.add(share.x);
  }
  // basis weights at 0: w_j = Π_{m≠j} x_m / (x_m − x_j), where − is XOR in GF(2^8)
  const weights = shares.map((share, j) => {
    let w = 1;
    shares.forEach((other, m) => {
      if (m !== j) w = gfMul(w, gfDiv(other.x, gfAdd(other.x, share.x)));
    });
    return w;
  });
  const secret = new Uint8Array(length);
  for (let i = 0; i < length; i++) {
    let value = 0;
    shares.forEach((share, j) => {
      value = gfAdd(value, gfMul(weights[j], share.y[i]));
    });
    secret[i] = value;
  }
  return secret;
}

/** Text form of a share for people to carry: `VBPS1-<x>-<hex y>`. */
export function encodeShare(share: Share): string {
  return `VBPS1-${share.x}-${Buffer.from(share.y).toString('hex')}`;
}

/** Parses the text form; null when it is not one (the caller names the field at fault). */
export function decodeShare(text: string): Share | null {
  const match = /^VBPS1-(\d{1,3})-((?:[0-9a-f]{2})+)$/.exec(text.trim().toLowerCase().replace(/^vbps1/, 'VBPS1'));
  if (!match) return null;
  const x = Number(match[1]);
  if (x < 1 || x > 255) return null;
  return { x, y: new Uint8Array(Buffer.from(match[2], 'hex')) };
}
