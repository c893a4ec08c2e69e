import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { Db } from '../platform/database/db';
import { RequestContext } from '../platform/context/request-context';
import { byKeys } from '../platform/graphql/loaders';
import { CreditEvent } from './credit-event.entity';
import { CreditNotice, CreditNoticeStatement } from './credit-notice.entity';

/**
 * The credit context's reads of what hangs below a notice or an event: one statement per field for any number
 * of parents, batched per request through the request's DataLoaders. The parent rows were already scoped by
 * the query that returned them; these read children of those parents only.
 */
@Injectable()
export class CreditRepository {
  constructor(private readonly db: Db) {}

  /** Replies and the appeal of each notice, oldest first. */
  statementsOf(ctx: RequestContext, noticeId: string): Promise<CreditNoticeStatement[]> {
    return ctx.loaders
      .children<string, CreditNoticeStatement>(
        'credit.noticeStatements',
        (ids) => this.db.manager.find(CreditNoticeStatement, { where: { noticeId: In([...ids]) }, order: { filedAt: 'ASC', id: 'ASC' } }),
        (s) => s.noticeId,
      )
      .load(noticeId);
  }

  eventOf(ctx: RequestContext, eventId: string): Promise<CreditEvent | null> {
    return ctx.loaders
      .get<string, CreditEvent>('credit.event', async (ids) => byKeys(ids, await this.db.manager.find(CreditEvent, { where: { id: In([...ids]) } }), (e) => e.id))
      .load(eventId);
  }

  /** The notice of each event (at most one: unique per event), or null for events recorded before due process. */
  noticeOfEvent(ctx: RequestContext, eventId: string): Promise<CreditNotice | null> {
    return ctx.loaders
      .get<string, CreditNotice>('credit.noticeOfEvent', async (ids) => byKeys(ids, await this.db.manager.find(CreditNotice, { where: { eventId: In([...ids]) } }), (n) => n.eventId))
      .load(eventId);
  }
}
