import { createCipheriv, createDecipheriv, createPrivateKey, createPublicKey, diffieHellman, generateKeyPairSync, hkdfSync, KeyObject, randomBytes } from 'crypto';

/**
 * Hybrid public-key sealing with Node's built-in crypto only: an ephemeral-static X25519 exchange per
 * message, HKDF-SHA256 over the shared secret (salted with both public keys), AES-256-GCM over the message
 * with caller-chosen authenticated data. Only the holder of the recipient's private key can open it; the
 * sender keeps nothing that opens it again.
 */
export interface KeyPair {
  /** 32 raw bytes */
  publicKey: Buffer;
  /** 32 raw bytes: wipe it (fill(0)) as soon as it is no longer needed */
  privateKey: Buffer;
}

export interface Sealed {
  ephemeralPublicKey: Buffer;
  iv: Buffer;
  ciphertext: Buffer;
  tag: Buffer;
}

// DER headers of X25519 keys: PKCS#8 private and SPKI public, each followed by the 32 raw bytes
const PKCS8_PREFIX = Buffer.from('302e020100300506032b656e04220420', 'hex');
const SPKI_PREFIX = Buffer.from('302a300506032b656e032100', 'hex');
const INFO = Buffer.from('vbp/seal/x25519-hkdf-sha256-aes256gcm/v1', 'utf8');

function privateKeyObject(raw: Uint8Array): KeyObject {
  if (raw.length !== 32) throw new RangeError('an X25519 private key is 32 bytes');
  const der = Buffer.concat([PKCS8_PREFIX, Buffer.from(raw)]);
  try {
    return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  } finally {
    der.fill(0);
  }
}

function publicKeyObject(raw: Uint8Array): KeyObject {
  if (raw.length !== 32) throw new RangeError('an X25519 public key is 32 bytes');
  return createPublicKey({ key: Buffer.concat([SPKI_PREFIX, Buffer.from(raw)]), format: 'der', type: 'spki' });
}

function rawPublic(key: KeyObject): Buffer {
  return (key.export({ format: 'der', type: 'spki' }) as Buffer).subarray(SPKI_PREFIX.length);
}

export function generateKeyPair(): KeyPair {
  const { publicKey, privateKey } = generateKeyPairSync('x25519');
  const der = privateKey.export({ format: 'der', type: 'pkcs8' }) as Buffer;
  const raw = Buffer.from(der.subarray(PKCS8_PREFIX.length));
  der.fill(0);
  return { publicKey: Buffer.from(rawPublic(publicKey)), privateKey: raw };
}

/** The public key that belongs to a raw private key (used to check a rebuilt key). */
export function publicKeyOf(privateKey: Uint8Array): Buffer {
  return Buffer.from(rawPublic(createPublicKey(privateKeyObject(privateKey))));
}

function derive(shared: Buffer, ephemeralPublicKey: Buffer, recipientPublicKey: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', shared, Buffer.concat([ephemeralPublicKey, recipientPublicKey]), INFO, 32));
}

export function sealTo(recipientPublicKey: Uint8Array, aad: string, plaintext: Buffer): Sealed {
  const recipient = Buffer.from(recipientPublicKey);
  const ephemeral = generateKeyPairSync('x25519');
  const ephemeralPublicKey = Buffer.from(rawPublic(ephemeral.publicKey));
  const shared = diffieHellman({ privateKey: ephemeral.privateKey, publicKey: publicKeyObject(recipient) });
  const key = derive(shared, ephemeralPublicKey, recipient);
  shared.fill(0);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  key.fill(0);
  return { ephemeralPublicKey, iv, ciphertext, tag: cipher.getAuthTag() };
}

/** Throws when the key is not the recipient's, the data was changed or the authenticated data differs. */
export function openWith(privateKey: Uint8Array, aad: string, sealed: Sealed): Buffer {
  const recipientPrivate = privateKeyObject(privateKey);
  const recipientPublic = rawPublic(createPublicKey(recipientPrivate));
  const shared = diffieHellman({ privateKey: recipientPrivate, publicKey: publicKeyObject(sealed.ephemeralPublicKey) });
  const key = derive(shared, Buffer.from(sealed.ephemeralPublicKey), Buffer.from(recipientPublic));
  shared.fill(0);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, sealed.iv);
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(sealed.tag);
    return Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]);
  } finally {
    key.fill(0);
  }
}
