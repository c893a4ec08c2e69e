import { EntityManager } from 'typeorm';
import { RequestContext } from '../platform/context/request-context';
import { AppError, notFound } from '../platform/errors/app-error';
import { pathWithin, requireUser } from '../platform/auth/scope';
import { Round } from './round.entity';

/**
 * Who may see and manage a round. Regulators manage rounds created in their region subtree; hospitals see
 * published rounds covering them; manufacturers and others see published rounds. Out of scope reads as
 * NOT_FOUND, so ids of other regions' drafts leak nothing.
 */
export function canManage(ctx: RequestContext, round: Round): boolean {
  const user = requireUser(ctx);
  if (user.role === 'PLATFORM_ADMIN') return true;
  return user.role === 'REGULATOR' && pathWithin(round.ownerRegionPath, user.regionPath);
}

export function coversHospital(round: Round, hospitalRegionPath: string): string | null {
  const i = round.coveredRegionPaths.findIndex((p) => pathWithin(hospitalRegionPath, p));
  return i < 0 ? null : round.coveredRegionCodes[i];
}

export function canSee(ctx: RequestContext, round: Round): boolean {
  const user = requireUser(ctx);
  if (canManage(ctx, round)) return true;
  if (round.state === 'DRAFT') return false;
  if (user.role === 'REGULATOR' || user.role === 'SETTLEMENT_OFFICE') {
    return round.coveredRegionPaths.some((p) => pathWithin(p, user.regionPath) || pathWithin(user.regionPath, p));
  }
  if (user.role === 'HOSPITAL') return coversHospital(round, user.regionPath) !== null;
  return true;
}

/** Locks the round row (the aggregate root) for the rest of the transaction. */
export async function lockRound(em: EntityManager, roundId: string, mode: 'update' | 'share'): Promise<Round> {
  const round = await em
    .createQueryBuilder(Round, 'r')
    .setLock(mode === 'update' ? 'pessimistic_write' : 'pessimistic_read')
    .where('r.id = :roundId', { roundId })
    .getOne();
  if (!round) throw notFound('Round', 'roundId');
  return round;
}

export async function lockManagedRound(em: EntityManager, ctx: RequestContext, roundId: string): Promise<Round> {
  const round = await lockRound(em, roundId, 'update');
  if (!canManage(ctx, round)) {
    if (canSee(ctx, round)) throw new AppError('FORBIDDEN', 'Only a regulator of the round’s region manages it');
    throw notFound('Round', 'roundId');
  }
  return round;
}
