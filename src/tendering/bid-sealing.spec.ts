import { randomBytes } from 'crypto';
import { combine, generateKeyPair, split } from '@libs/sealing';
import { BidDocument, commitmentOf, newSalt, sealPrice, sealPriceToRound, unsealPrice, unsealStored } from './bid-sealing';

const key = randomBytes(32);
const doc: BidDocument = {
  bidId: 'b1', roundId: 'r1', lotId: 'l1', manufacturerId: 'm1', productId: 'p1',
  unitPrice: '0.5000', supplyCapacity: 1000, acceptsRevival: true, regionPreferences: ['410100'],
};

describe('bid sealing', () => {
  it('round-trips the price and salt, and the ciphertext does not contain the price', () => {
    const salt = newSalt();
    const sealed = sealPrice(key, 'b1', '7.7777', salt);
    expect(sealed.ciphertext.toString('latin1')).not.toContain('7.7777');
    expect(unsealPrice(key, 'b1', sealed)).toEqual({ unitPrice: '7.7777', salt });
  });

  it('refuses a ciphertext moved to another bid or sealed with another key', () => {
    const sealed = sealPrice(key, 'b1', '1.0000', newSalt());
    expect(() => unsealPrice(key, 'b2', sealed)).toThrow();
    expect(() => unsealPrice(randomBytes(32), 'b1', sealed)).toThrow();
  });

  it('commits to every field: changing the price or the salt changes the commitment; key order does not', () => {
    const salt = newSalt();
    const c = commitmentOf(doc, salt);
    expect(c).toMatch(/^[0-9a-f]{64}$/);
    expect(commitmentOf({ ...doc, unitPrice: '0.5001' }, salt)).not.toBe(c);
    expect(commitmentOf(doc, newSalt())).not.toBe(c);
    const reordered = Object.fromEntries(Object.entries(doc).reverse()) as unknown as BidDocument;
    expect(commitmentOf(reordered, salt)).toBe(c);
  });

  it('COMMITTEE: sealed to the round key, opened only by the key rebuilt from k shares; demo and committee seals do not mix', () => {
    const pair = generateKeyPair();
    const salt = newSalt();
    const sealed = sealPriceToRound(pair.publicKey, 'b1', '7.7777', salt);
    expect(sealed.sealEphemeralKey).toHaveLength(32);
    expect(sealed.sealedPrice.toString('latin1')).not.toContain('7.7777');
    const shares = split(pair.privateKey, { shares: 5, threshold: 3 });
    expect(unsealStored({ mode: 'COMMITTEE', privateKey: combine(shares.slice(2)) }, 'b1', sealed)).toEqual({ unitPrice: '7.7777', salt });
    expect(() => unsealStored({ mode: 'COMMITTEE', privateKey: combine(shares.slice(3)) }, 'b1', sealed)).toThrow();
    expect(() => unsealStored({ mode: 'COMMITTEE', privateKey: pair.privateKey }, 'b2', sealed)).toThrow();
    expect(() => unsealStored({ mode: 'DEMO_SINGLE_KEY', key }, 'b1', sealed)).toThrow();
    const demo = sealPrice(key, 'b1', '1.0000', salt);
    const stored = { sealedPrice: demo.ciphertext, sealIv: demo.iv, sealTag: demo.tag, sealEphemeralKey: null };
    expect(unsealStored({ mode: 'DEMO_SINGLE_KEY', key }, 'b1', stored).unitPrice).toBe('1.0000');
    expect(() => unsealStored({ mode: 'COMMITTEE', privateKey: pair.privateKey }, 'b1', stored)).toThrow();
  });
});
