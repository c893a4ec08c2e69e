import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'crypto';
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
 * AES-256-GCM over the price and the salt (the salt stays secret too: a 4-decimal price is easy to guess
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
