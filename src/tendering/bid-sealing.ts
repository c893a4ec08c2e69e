import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'crypto';
import { openWith, sealTo } from '@libs/sealing';
import { canonicalJson } from '../platform/audit/canonical-json';

/** Everything a bid commits to; the commitment hashes its canonical JSON with the receipt's salt. */
export interface BidDocument {
  bidId: string;
  roundId: string;
  lotId: string;
  manufacturerId: string;
  productId: string;
  unitPrice: string;
  supplyCapacity: number;
  acceptsRevival: boolean;
  regionPreferences: string[];
}

export interface SealedPrice {
  ciphertext: Buffer;
  iv: Buffer;
  tag: Buffer;
}

/** The canonical text the commitment covers: canonical JSON of the bid document, then the salt. */
export function commitmentOf(document: BidDocument, salt: string): string {
  return createHash('sha256').update(canonicalJson(document)).update(salt).digest('hex');
}

export function newSalt(): string {
  return randomBytes(16).toString('hex');
}

/**
 * DEMO_SINGLE_KEY rounds (demo and tests only): AES-256-GCM with the configured key over the price and the salt (the salt stays secret too: a 4-decimal price is easy to guess
 * from a commitment whose salt is known). The bid id is authenticated data, so a ciphertext cannot be
 * moved to another bid.
 */
export function sealPrice(key: Buffer, bidId: string, unitPrice: string, salt: string): SealedPrice {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(bidId, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(JSON.stringify({ unitPrice, salt }), 'utf8'), cipher.final()]);
  return { ciphertext, iv, tag: cipher.getAuthTag() };
}

export function unsealPrice(key: Buffer, bidId: string, sealed: SealedPrice): { unitPrice: string; salt: string } {
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.iv);
  decipher.setAAD(Buffer.from(bidId, 'utf8'));
  decipher.setAuthTag(sealed.tag);
  const text = Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]).toString('utf8');
  return JSON.parse(text) as { unitPrice: string; salt: string };
}

/** What is stored of a sealed price: the demo seal, or the hybrid seal with its ephemeral public key. */
export interface StoredSeal {
  sealedPrice: Buffer;
  sealIv: Buffer;
  sealTag: Buffer;
  sealEphemeralKey: Buffer | null;
}

/**
 * COMMITTEE rounds: the price and salt sealed to the round's X25519 public key (ephemeral-static exchange,
 * HKDF-SHA256, AES-256-GCM, the bid id as authenticated data). Nothing the server keeps opens it again:
 * only the round's private key, which exists again only when k committee members bring their shares.
 */
export function sealPriceToRound(roundPublicKey: Buffer, bidId: string, unitPrice: string, salt: string): StoredSeal {
  const sealed = sealTo(roundPublicKey, bidId, Buffer.from(JSON.stringify({ unitPrice, salt }), 'utf8'));
  return { sealedPrice: sealed.ciphertext, sealIv: sealed.iv, sealTag: sealed.tag, sealEphemeralKey: sealed.ephemeralPublicKey };
}

/** The key that opens a round's bids at opening: the demo key, or the committee's rebuilt private key. */
export type OpeningKey = { mode: 'DEMO_SINGLE_KEY'; key: Buffer } | { mode: 'COMMITTEE'; privateKey: Uint8Array };

export function unsealStored(openingKey: OpeningKey, bidId: string, seal: StoredSeal): { unitPrice: string; salt: string } {
  if (openingKey.mode === 'DEMO_SINGLE_KEY') {
    if (seal.sealEphemeralKey) throw new Error('a committee seal cannot be opened with the demo key');
    return unsealPrice(openingKey.key, bidId, { ciphertext: seal.sealedPrice, iv: seal.sealIv, tag: seal.sealTag });
  }
  if (!seal.sealEphemeralKey) throw new Error('a demo seal cannot be opened with a committee key');
  const text = openWith(openingKey.privateKey, bidId, { ephemeralPublicKey: seal.sealEphemeralKey, iv: seal.sealIv, ciphertext: seal.sealedPrice, tag: seal.sealTag });
  return JSON.parse(text.toString('utf8')) as { unitPrice: string; salt: string };
}
