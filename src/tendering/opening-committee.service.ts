import { Injectable } from '@nestjs/common';
import { EntityManager, IsNull, Not } from 'typeorm';
import { combine, decodeShare, encodeShare, publicKeyOf } from '@libs/sealing';
import { Db } from '../platform/database/db';
import { AuditService } from '../platform/audit/audit.service';
import { Clock } from '../platform/clock/clock';
import { logger } from '../platform/logging/logger';
import { RequestContext } from '../platform/context/request-context';
import { AppError, notFound } from '../platform/errors/app-error';
import { requireUser } from '../platform/auth/scope';
import { UsersService } from '../catalog/users/users.service';
import { Round } from './round.entity';
import { OpeningCommitteeMember } from './opening-committee.entity';
import { OpeningCommitteeInput } from './dto/round.inputs';
import { OpeningCommittee, OpeningKeyShare, OpeningProgress } from './dto/opening-committee.types';
import { canManage, canSee, lockManagedRound, lockRound } from './round-access';
import { refusalOf } from './round-state-machine';
import { shareDigest } from './round-sealing';
import { RoundsService } from './rounds.service';
import { OpeningService } from './opening.service';
import { TenderingErrors } from './tendering.errors';

/**
 * The opening committee (开标委员会) of a COMMITTEE round: designated by a regulator of the round before
 * bidding opens; each member fetches their key share once; after the bid deadline each submits it, and the
 * k-th submission rebuilds the round's private key in memory, checks it against the stored public key, opens
 * the round in the same transaction and wipes every submitted share.
 */
@Injectable()
export class OpeningCommitteeService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly users: UsersService,
    private readonly rounds: RoundsService,
    private readonly opening: OpeningService,
  ) {}

  async designate(ctx: RequestContext, roundId: string, input: OpeningCommitteeInput): Promise<OpeningCommittee> {
    const ids = input.memberUserIds;
    ids.forEach((id, i) => {
      if (ids.indexOf(id) !== i) throw TenderingErrors.invalid(`input.memberUserIds[${i}]`, '同一成员不能重复指定');
    });
    if (input.threshold > ids.length) throw TenderingErrors.invalid('input.threshold', '开标所需分片数不能超过委员会人数');
    return this.db.transaction(async (em) => {
      const round = await lockManagedRound(em, ctx, roundId);
      if (round.sealingMode !== 'COMMITTEE') throw new AppError('INVALID_STATE', '本轮使用演示用单一密钥封存，不设开标委员会');
      if (round.state !== 'DRAFT' && round.state !== 'DEMAND_REPORTING') throw new AppError('INVALID_STATE', '投标开始后不能再指定或更换开标委员会');
      const users = new Map((await this.users.findByIds(em, ids)).map((u) => [u.id, u]));
      ids.forEach((id, i) => {
        const user = users.get(id);
        if (!user || user.role !== 'REGULATOR' || !user.active) throw TenderingErrors.invalid(`input.memberUserIds[${i}]`, '开标委员会成员须为在用的医保监管部门用户');
      });
      const now = this.clock.now();
      await em.delete(OpeningCommitteeMember, { roundId: round.id });
      await em.insert(
        OpeningCommitteeMember,
        ids.map((userId, i) => ({ roundId: round.id, userId, shareIndex: i + 1, designatedAt: now, shareDigest: null, undeliveredShare: null, deliveredAt: null, submittedShare: null, submittedAt: null })),
      );
      round.openingThreshold = input.threshold;
      await em.update(Round, { id: round.id }, { openingThreshold: input.threshold });
      await this.audit.record(em, ctx, {
        action: 'round.opening-committee-designated',
        entityType: 'round',
        entityId: round.id,
        data: { threshold: input.threshold, members: ids.map((userId, i) => ({ userId, username: users.get(userId)!.username, shareIndex: i + 1 })) },
      });
      return this.view(em, round);
    });
  }

  private async view(em: EntityManager, round: Round): Promise<OpeningCommittee> {
    const members = await em.find(OpeningCommitteeMember, { where: { roundId: round.id }, order: { shareIndex: 'ASC' } });
    const users = new Map((await this.users.findByIds(em, members.map((m) => m.userId))).map((u) => [u.id, u]));
    return {
      roundId: round.id,
      threshold: round.openingThreshold ?? 0,
      memberCount: members.length,
      submittedCount: members.filter((m) => m.submittedAt).length,
      publicKey: round.sealingPublicKey ? round.sealingPublicKey.toString('hex') : null,
      keyCreatedAt: round.sealingKeyCreatedAt,
      members: members.map((m) => ({
        userId: m.userId,
        username: users.get(m.userId)?.username ?? '',
        displayName: users.get(m.userId)?.displayName ?? '',
        shareIndex: m.shareIndex,
        deliveredAt: m.deliveredAt,
        submittedAt: m.submittedAt,
      })),
    };
  }

  /** Regulators managing the round, and its committee members, see who holds shares and who submitted. */
  async committee(ctx: RequestContext, roundId: string): Promise<OpeningCommittee> {
    const user = requireUser(ctx);
    const round = await this.db.manager.findOne(Round, { where: { id: roundId } });
    if (!round || !canSee(ctx, round)) throw notFound('Round', 'roundId');
    if (!canManage(ctx, round) && !(await this.db.manager.exists(OpeningCommitteeMember, { where: { roundId, userId: user.id } }))) {
      throw new AppError('FORBIDDEN', '只有管理本轮的监管部门和开标委员会成员可查看开标委员会');
    }
    return this.view(this.db.manager, round);
  }

  /** The member's own row, locked; NOT_FOUND for a round the caller cannot see, else not-a-member. */
  private async lockOwnMembership(em: EntityManager, ctx: RequestContext, round: Round): Promise<OpeningCommitteeMember> {
    const user = requireUser(ctx);
    const member = await em
      .createQueryBuilder(OpeningCommitteeMember, 'm')
      .setLock('pessimistic_write')
      .where('m.round_id = :roundId AND m.user_id = :userId', { roundId: round.id, userId: user.id })
      .getOne();
    if (member) return member;
    if (!canSee(ctx, round)) throw notFound('Round', 'roundId');
    throw TenderingErrors.notCommitteeMember();
  }

  /** Hands the member their share exactly once; the server keeps only the share's digest afterwards. */
  async deliverShare(ctx: RequestContext, roundId: string): Promise<OpeningKeyShare> {
    return this.db.transaction(async (em) => {
      const round = await em.findOne(Round, { where: { id: roundId } });
      if (!round) throw notFound('Round', 'roundId');
      const member = await this.lockOwnMembership(em, ctx, round);
      if (!member.shareDigest || !round.sealingPublicKey) throw TenderingErrors.keyNotReady();
      if (!member.undeliveredShare) throw TenderingErrors.shareAlreadyDelivered();
      const share = encodeShare({ x: member.shareIndex, y: member.undeliveredShare });
      member.undeliveredShare.fill(0);
      await em.update(OpeningCommitteeMember, { id: member.id }, { undeliveredShare: null, deliveredAt: this.clock.now() });
      const memberCount = await em.count(OpeningCommitteeMember, { where: { roundId } });
      await this.audit.record(em, ctx, { action: 'opening-share.delivered', entityType: 'round', entityId: round.id, data: { shareIndex: member.shareIndex } });
      return { roundId, shareIndex: member.shareIndex, share, threshold: round.openingThreshold!, memberCount, publicKey: round.sealingPublicKey.toString('hex') };
    });
  }

  /**
   * A member brings their share after the deadline. Each share is checked alone against its digest (a wrong
   * one is refused, and the refusal audited in its own transaction); the k-th opens the round.
   */
  async submitShare(ctx: RequestContext, roundId: string, shareText: string): Promise<OpeningProgress> {
    try {
      return await this.db.transaction((em) => this.submitLocked(em, ctx, roundId, shareText));
    } catch (error) {
      if (error instanceof AppError && error.extensions.code === 'OPENING_SHARE_INVALID') {
        await this.db
          .transaction((em) => this.audit.record(em, ctx, { action: 'opening-share.refused', entityType: 'round', entityId: roundId, data: { reason: 'OPENING_SHARE_INVALID' } }))
          .catch((auditError) => logger.error({ err: auditError, roundId }, 'could not audit a refused opening share'));
      }
      throw error;
    }
  }

  private async submitLocked(em: EntityManager, ctx: RequestContext, roundId: string, shareText: string): Promise<OpeningProgress> {
    const round = await lockRound(em, roundId, 'update');
    const member = await this.lockOwnMembership(em, ctx, round);
    if (round.sealingMode !== 'COMMITTEE') throw new AppError('INVALID_STATE', '本轮不由开标委员会开标');
    if (round.state !== 'BIDDING') throw new AppError('INVALID_STATE', `本轮处于 ${round.state} 状态，不接受密钥分片`);
    const refusal = refusalOf('open', round.state, round, this.clock.now());
    if (refusal) throw TenderingErrors.refused(refusal);
    if (member.submittedAt) throw TenderingErrors.shareDuplicate();
    const share = decodeShare(shareText);
    if (!share) throw TenderingErrors.invalid('share', '密钥分片格式应为 VBPS1-<序号>-<十六进制>');
    if (share.x !== member.shareIndex || !member.shareDigest || shareDigest(round.id, share.x, share.y) !== member.shareDigest) throw TenderingErrors.shareInvalid();
    const now = this.clock.now();
    await em.update(OpeningCommitteeMember, { id: member.id }, { submittedShare: Buffer.from(share.y), submittedAt: now });
    await this.audit.record(em, ctx, { action: 'opening-share.submitted', entityType: 'round', entityId: round.id, data: { shareIndex: member.shareIndex } });
    const submitted = await em.find(OpeningCommitteeMember, { where: { roundId: round.id, submittedShare: Not(IsNull()) }, order: { shareIndex: 'ASC' } });
    const threshold = round.openingThreshold!;
    let opened = false;
    if (submitted.length >= threshold) {
      const privateKey = combine(submitted.map((m) => ({ x: m.shareIndex, y: new Uint8Array(m.submittedShare!) })));
      try {
        if (!round.sealingPublicKey || !publicKeyOf(privateKey).equals(round.sealingPublicKey)) throw TenderingErrors.shareInvalid();
        await this.opening.openLocked(
          em,
          ctx,
          round,
          (r, data) => this.rounds.transition(em, ctx, r, 'open', { ...data, openedByCommittee: submitted.map((m) => m.shareIndex) }),
          privateKey,
        );
      } finally {
        privateKey.fill(0);
        submitted.forEach((m) => m.submittedShare!.fill(0));
      }
      // the shares served their one purpose; the key they rebuild exists nowhere any more
      await em.update(OpeningCommitteeMember, { roundId: round.id }, { submittedShare: null, undeliveredShare: null });
      opened = true;
    }
    return { roundId: round.id, submittedCount: submitted.length, threshold, opened, roundState: round.state };
  }

}
