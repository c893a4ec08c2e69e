import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { Db } from '../platform/database/db';
import { RequestContext } from '../platform/context/request-context';
import { AlertCaseEntry } from './alert.entity';

/** The supervision context's reads below an alert, batched per request (see OrdersRepository). */
@Injectable()
export class AlertsRepository {
  constructor(private readonly db: Db) {}

  caseEntriesOf(ctx: RequestContext, alertId: string): Promise<AlertCaseEntry[]> {
    return ctx.loaders
      .children<string, AlertCaseEntry>('alerts.caseEntries', (ids) => this.db.manager.find(AlertCaseEntry, { where: { alertId: In([...ids]) }, order: { at: 'ASC' } }), (e) => e.alertId)
      .load(alertId);
  }
}
