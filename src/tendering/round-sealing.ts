import { createHash } from 'crypto';
import { EntityManager } from 'typeorm';
import { generateKeyPair, split } from '@libs/sealing';
import { AuditService } from '../platform/audit/audit.service';
import { RequestContext } from '../platform/context/request-context';
import { Round } from './round.entity';
import { OpeningCommitteeMember } from './opening-committee.entity';
import { TenderingErrors } from './tendering.errors';

/** The digest kept of a share (domain-separated by round and index), to check a submitted share alone. */
export function shareDigest(roundId: string, x: number, y: Uint8Array): string {
  return createHash('sha256').update(`vbp/opening-share/v1|${roundId}|${x}|`).update(y).digest('hex');
}

/** Hex fingerprint of a round's public key for audit entries and people comparing notes. */
export function keyFingerprint(publicKey: Buffer): string {
  return createHash('sha256').update(publicKey).digest('hex').slice(0, 16);
}

/**
 * When a COMMITTEE round's bidding opens: make the round's X25519 key pair, split the private key k of n
 * among the designated members (Shamir over GF(256)), keep the public key and each member's share until
 * they fetch it once, and wipe the private key. It never reaches disk, the database or a log: it lives in
 * this function's memory for the split only (the trust assumption documented in docs/operations.md).
 */
export async function createRoundKey(em: EntityManager, audit: AuditService, ctx: RequestContext, round: Round, now: Date): Promise<void> {
  const members = await em.find(OpeningCommitteeMember, { where: { roundId: round.id }, order: { shareIndex: 'ASC' } });
  if (!members.length || !round.openingThreshold) throw TenderingErrors.committeeMissing();
  const pair = generateKeyPair();
  try {
    const shares = split(pair.privateKey, { shares: members.length, threshold: round.openingThreshold });
    for (const [i, member] of members.entries()) {
      const share = shares[i];
      if (share.x !== member.shareIndex) throw new Error('committee share indices are not 1..n');
      await em.update(OpeningCommitteeMember, { id: member.id }, { shareDigest: shareDigest(round.id, share.x, share.y), undeliveredShare: Buffer.from(share.y), deliveredAt: null, submittedShare: null, submittedAt: null });
      share.y.fill(0);
    }
  } finally {
    pair.privateKey.fill(0);
  }
  round.sealingPublicKey = pair.publicKey;
  round.sealingKeyCreatedAt = now;
  await em.update(Round, { id: round.id }, { sealingPublicKey: pair.publicKey, sealingKeyCreatedAt: now });
  await audit.record(em, ctx, {
    action: 'round.sealing-key-created',
    entityType: 'round',
    entityId: round.id,
    data: { publicKeyFingerprint: keyFingerprint(pair.publicKey), threshold: round.openingThreshold, members: members.map((m) => ({ userId: m.userId, shareIndex: m.shareIndex })) },
  });
}
