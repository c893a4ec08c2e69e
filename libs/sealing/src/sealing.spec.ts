import fc from 'fast-check';
import { randomBytes } from 'crypto';
import { gfAdd, gfDiv, gfInv, gfMul } from './gf256';
import { checkPolicy, combine, decodeShare, encodeShare, split } from './shamir';
import { generateKeyPair, openWith, publicKeyOf, sealTo } from './x25519-seal';

const byte = fc.integer({ min: 0, max: 255 });
const nonZero = fc.integer({ min: 1, max: 255 });

/** n, k with 2 ≤ k ≤ n ≤ 10, and a subset of share indices of a given size relative to k. */
const policy = fc.integer({ min: 2, max: 10 }).chain((n) => fc.record({ n: fc.constant(n), k: fc.integer({ min: 2, max: n }) }));
const secret = fc.uint8Array({ minLength: 16, maxLength: 48 });

describe('GF(256)', () => {
  it('is a field: multiplication commutes, associates, distributes over XOR, and every non-zero element has an inverse', () => {
    fc.assert(
      fc.property(byte, byte, byte, (a, b, c) => {
        expect(gfMul(a, b)).toBe(gfMul(b, a));
        expect(gfMul(gfMul(a, b), c)).toBe(gfMul(a, gfMul(b, c)));
        expect(gfMul(a, gfAdd(b, c))).toBe(gfAdd(gfMul(a, b), gfMul(a, c)));
        expect(gfMul(a, 1)).toBe(a);
      }),
    );
    fc.assert(fc.property(nonZero, byte, (a, b) => {
      expect(gfMul(a, gfInv(a))).toBe(1);
      expect(gfMul(gfDiv(b, a), a)).toBe(b);
    }));
  });

  it('agrees with the AES field on known products', () => {
    // FIPS-197 §4.2: {57} • {83} = {c1}; {57} • {13} = {fe}
    expect(gfMul(0x57, 0x83)).toBe(0xc1);
    expect(gfMul(0x57, 0x13)).toBe(0xfe);
  });
});

describe('Shamir secret sharing', () => {
  it('any k of the n shares rebuild the secret, and so do more than k', () => {
    fc.assert(
      fc.property(secret, policy, fc.integer({ min: 0, max: 1000 }), (s, { n, k }, seed) => {
        const shares = split(s, { shares: n, threshold: k });
        // a pseudo-random subset of size k, and one of size between k and n, picked by the seed
        const order = shares.map((sh, i) => ({ sh, key: (i * 7919 + seed * 104729) % 1009 })).sort((a, b) => a.key - b.key).map((e) => e.sh);
        expect(Buffer.from(combine(order.slice(0, k)))).toEqual(Buffer.from(s));
        expect(Buffer.from(combine(order.slice(0, k + (seed % (n - k + 1)))))).toEqual(Buffer.from(s));
      }),
      { numRuns: 200 },
    );
  });

  it('k−1 shares do not rebuild it: combining them gives another value', () => {
    fc.assert(
      fc.property(secret, policy, (s, { n, k }) => {
        const shares = split(s, { shares: n, threshold: k });
        // k−1 of them: the first, the last, the even positions then the odd ones
        const interleaved = [...shares.filter((_, i) => i % 2 === 0), ...shares.filter((_, i) => i % 2 === 1)];
        for (const subset of [shares.slice(0, k - 1), shares.slice(n - k + 1), interleaved.slice(0, k - 1)]) {
          expect(subset).toHaveLength(k - 1);
          expect(Buffer.from(combine(subset))).not.toEqual(Buffer.from(s));
        }
      }),
      { numRuns: 200 },
    );
  });

  it('k−1 shares are uniformly distributed whatever the secret (exhaustive, one byte, k = 3): every view occurs exactly once per secret', () => {
    // All 65,536 coefficient pairs (a1, a2) for a secret s give the shares at x = 1 and x = 4. Perfect secrecy:
    // each of the 65,536 possible (y1, y4) views appears exactly once — for every secret tried — so a view is
    // equally likely under every secret and says nothing about it.
    for (const s of [0x00, 0x01, 0x7f, 0xc3, 0xff]) {
      const seen = new Uint8Array(65536);
      for (let a1 = 0; a1 < 256; a1++) {
        for (let a2 = 0; a2 < 256; a2++) {
          const coins = [a1, a2];
          const shares = split(Uint8Array.of(s), { shares: 4, threshold: 3 }, (len) => Uint8Array.from(coins.splice(0, len)));
          seen[(shares[0].y[0] << 8) | shares[3].y[0]]++;
        }
      }
      expect(seen.every((count) => count === 1)).toBe(true);
    }
  });

  it('for any k−1 shares and any candidate secret there is a consistent full set: every secret stays possible', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 4, maxLength: 4 }), fc.uint8Array({ minLength: 4, maxLength: 4 }), (real, candidate) => {
        const shares = split(real, { shares: 5, threshold: 3 });
        const seen = shares.slice(0, 2); // what an attacker holds
        // the polynomial through (0, candidate) and the two seen shares gives a 3rd share that, with the
        // seen ones, rebuilds the candidate: the seen shares are consistent with it as much as with the real one
        const viaCandidate = interpolateAt(5, [{ x: 0, y: candidate }, ...seen]);
        expect(Buffer.from(combine([...seen, { x: 5, y: viaCandidate }]))).toEqual(Buffer.from(candidate));
      }),
    );
  });

  it('refuses bad policies and malformed share sets', () => {
    expect(() => checkPolicy({ shares: 5, threshold: 1 })).toThrow(/at least 2/);
    expect(() => checkPolicy({ shares: 2, threshold: 3 })).toThrow();
    expect(() => checkPolicy({ shares: 256, threshold: 3 })).toThrow();
    const shares = split(randomBytes(32), { shares: 5, threshold: 3 });
    expect(() => combine([])).toThrow();
    expect(() => combine([shares[0], shares[0], shares[1]])).toThrow(/x = 1/);
    expect(() => combine([shares[0], { x: 2, y: shares[1].y.subarray(1) }, shares[2]])).toThrow(/length/);
    expect(() => combine([{ x: 0, y: shares[0].y }, shares[1], shares[2]])).toThrow();
  });

  it('encodes shares as text and back; rejects anything else', () => {
    fc.assert(
      fc.property(nonZero, fc.uint8Array({ minLength: 1, maxLength: 40 }), (x, y) => {
        const text = encodeShare({ x, y });
        expect(decodeShare(text)).toEqual({ x, y });
        expect(decodeShare(`  ${text.toUpperCase()} `)).toEqual({ x, y });
      }),
    );
    for (const bad of ['', 'VBPS1-0-00', 'VBPS1-256-00', 'VBPS1-3-0', 'VBPS1-3-zz', 'VBPS2-3-00', '3-00']) expect(decodeShare(bad)).toBeNull();
  });
});

/** Test helper: Lagrange interpolation of the points at any x (generalises combine, which evaluates at 0). */
function interpolateAt(at: number, points: { x: number; y: Uint8Array }[]): Uint8Array {
  const out = new Uint8Array(points[0].y.length);
  for (let i = 0; i < out.length; i++) {
    let value = 0;
    points.forEach((p, j) => {
      let w = 1;
      points.forEach((q, m) => {
        if (m !== j) w = gfMul(w, gfDiv(gfAdd(at, q.x), gfAdd(p.x, q.x)));
      });
      value = gfAdd(value, gfMul(w, p.y[i]));
    });
    out[i] = value;
  }
  return out;
}

describe('X25519 hybrid sealing', () => {
  it('opens with the recipient’s private key only, and only under the same authenticated data', () => {
    const pair = generateKeyPair();
    expect(pair.publicKey).toHaveLength(32);
    expect(publicKeyOf(pair.privateKey)).toEqual(pair.publicKey);
    const sealed = sealTo(pair.publicKey, 'bid-1', Buffer.from('{"unitPrice":"7.7777"}'));
    expect(sealed.ciphertext.toString('latin1')).not.toContain('7.7777');
    expect(openWith(pair.privateKey, 'bid-1', sealed).toString()).toBe('{"unitPrice":"7.7777"}');
    expect(() => openWith(pair.privateKey, 'bid-2', sealed)).toThrow();
    expect(() => openWith(generateKeyPair().privateKey, 'bid-1', sealed)).toThrow();
    // a fresh ephemeral key each time: sealing the same text twice gives unrelated ciphertexts
    const again = sealTo(pair.publicKey, 'bid-1', Buffer.from('{"unitPrice":"7.7777"}'));
    expect(again.ephemeralPublicKey.equals(sealed.ephemeralPublicKey)).toBe(false);
  });

  it('a private key split 3 of 5 is rebuilt from any 3 shares and opens the seal; 2 shares give a key that does not', () => {
    const pair = generateKeyPair();
    const sealed = sealTo(pair.publicKey, 'bid-1', Buffer.from('secret'));
    const shares = split(pair.privateKey, { shares: 5, threshold: 3 });
    const rebuilt = combine([shares[4], shares[1], shares[2]]);
    expect(publicKeyOf(rebuilt)).toEqual(pair.publicKey);
    expect(openWith(rebuilt, 'bid-1', sealed).toString()).toBe('secret');
    const partial = combine([shares[0], shares[3]]);
    expect(publicKeyOf(partial)).not.toEqual(pair.publicKey);
    expect(() => openWith(partial, 'bid-1', sealed)).toThrow();
  });
});
