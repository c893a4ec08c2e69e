import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { CN_CALENDAR_2025_2027, shanghaiDateOf, WorkingDayCalendar } from '@libs/calendar';
import { Db } from '../platform/database/db';
import { AuditService } from '../platform/audit/audit.service';
import { Clock } from '../platform/clock/clock';
import { RequestContext } from '../platform/context/request-context';
import { requireUser } from '../platform/auth/scope';
import { AppError, notFound } from '../platform/errors/app-error';
import { CREDIT_CHECKS, CreditChecks } from '../platform/ports/context-ports';
import { Product, Variety } from '../catalog/products/product.entity';
import { Organisation } from '../catalog/organisations/organisation.entity';
import { CostDocumentRequest, CostInvestigation, CostInvestigationState, COST_INVESTIGATION_STATES } from './cost-investigation.entity';
import { ConcludeCostInvestigationInput, OpenCostInvestigationInput, RequestCostDocumentsInput, SubmitCostDocumentsInput } from './dto/cost-investigation.inputs';

const invalid = (field: string, message: string) => new AppError('VALIDATION_FAILED', message, { field });

/**
 * 价格成本调查 (issue 17, item 3): a regulator opens an investigation on a product or a variety, asks
 * manufacturers for cost documents with a deadline in working days, records findings, and concludes with a
 * price decision (the highest justified unit price, on record for the price reviews), a credit event (through
 * the CREDIT_CHECKS port: a credit notice to the manufacturer, with due process) or no action. Audited.
 */
@Injectable()
export class CostInvestigationsService {
  private readonly calendar = new WorkingDayCalendar(CN_CALENDAR_2025_2027);

  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    @Inject(CREDIT_CHECKS) private readonly credit: CreditChecks,
  ) {}

  open(ctx: RequestContext, input: OpenCostInvestigationInput): Promise<CostInvestigation> {
    const user = requireUser(ctx);
    if (!input.productId === !input.varietyId) throw invalid('input.productId', '调查对象为一个产品或一个品种（二选一）');
    if (!input.reason?.trim()) throw invalid('input.reason', '须说明立案理由');
    return this.db.transaction(async (em) => {
      let varietyId = input.varietyId ?? null;
      if (input.productId) {
        const product = await em.findOne(Product, { where: { id: input.productId } });
        if (!product) throw notFound('Product', 'input.productId');
        varietyId = product.varietyId ?? null;
      } else if (!(await em.findOne(Variety, { where: { id: varietyId! } }))) {
        throw notFound('Variety', 'input.varietyId');
      }
      const row = em.create(CostInvestigation, {
        productId: input.productId ?? null, varietyId, manufacturerIds: [], state: 'OPEN', reason: input.reason.trim(), openedBy: user.id, openedAt: this.clock.now(),
        findings: null, findingsRecordedAt: null, outcome: null, decidedUnitPrice: null, conclusion: null, creditEventId: null, concludedBy: null, concludedAt: null,
      });
      await em.save(row);
      await this.audit.record(em, ctx, { action: 'cost-investigation.opened', entityType: 'cost_investigation', entityId: row.id, data: { productId: row.productId, varietyId, reason: row.reason } });
      return row;
    });
  }

  requestDocuments(ctx: RequestContext, input: RequestCostDocumentsInput): Promise<CostDocumentRequest> {
    const user = requireUser(ctx);
    return this.db.transaction(async (em) => {
      const inv = await this.locked(em, input.investigationId);
      if (inv.state !== 'OPEN') throw new AppError('INVALID_STATE', 'Documents are requested while the investigation is open', { field: 'input.investigationId' });
      let manufacturerId = input.manufacturerId ?? null;
      const product = inv.productId ? await em.findOneOrFail(Product, { where: { id: inv.productId } }) : null;
      if (!manufacturerId) {
        if (!product) throw invalid('input.manufacturerId', '品种调查须指明被调查企业');
        manufacturerId = product.manufacturerId;
      }
      const manufacturer = await em.findOne(Organisation, { where: { id: manufacturerId } });
      if (!manufacturer || manufacturer.kind !== 'MANUFACTURER') throw invalid('input.manufacturerId', '不是已登记的生产企业');
      if (product && product.manufacturerId !== manufacturerId) throw invalid('input.manufacturerId', '被调查产品属于其他企业');
      if (!product && !(await em.findOne(Product, { where: { varietyId: inv.varietyId!, manufacturerId } }))) throw invalid('input.manufacturerId', '该企业没有该品种的产品');
      const now = this.clock.now();
      const request = em.create(CostDocumentRequest, {
        investigationId: inv.id, manufacturerId, items: input.items.map((i) => i.trim()), state: 'REQUESTED',
        deadline: this.calendar.addWorkingDays(now, input.workingDays), requestedAt: now, requestedBy: user.id, statement: null, documents: [], submittedAt: null,
      });
      await em.save(request);
      if (!inv.manufacturerIds.includes(manufacturerId)) await em.update(CostInvestigation, { id: inv.id }, { manufacturerIds: [...inv.manufacturerIds, manufacturerId] });
      await this.audit.record(em, ctx, { action: 'cost-investigation.documents-requested', entityType: 'cost_investigation', entityId: inv.id, data: { requestId: request.id, manufacturerId, items: request.items, deadline: request.deadline.toISOString() } });
      return request;
    });
  }

  submitDocuments(ctx: RequestContext, input: SubmitCostDocumentsInput): Promise<CostDocumentRequest> {
    const user = requireUser(ctx);
    return this.db.transaction(async (em) => {
      const found = await em.findOne(CostDocumentRequest, { where: { id: input.requestId } });
      if (!found || found.manufacturerId !== user.organisationId) throw notFound('Cost document request', 'input.requestId');
      const inv = await this.locked(em, found.investigationId);
      const request = await em.findOneOrFail(CostDocumentRequest, { where: { id: found.id } });
      if (request.state !== 'REQUESTED' || inv.state === 'CONCLUDED') throw new AppError('INVALID_STATE', 'The documents were submitted already or the investigation is concluded', { field: 'input.requestId' });
      const now = this.clock.now();
      if (now.getTime() >= request.deadline.getTime()) throw new AppError('COST_DOCUMENTS_OVERDUE', '提交成本资料的期限已过', { field: 'input.requestId', deadline: request.deadline.toISOString() });
      request.state = 'SUBMITTED';
      request.statement = input.statement.trim();
      request.documents = input.documents.map((d) => ({ documentRef: d.documentRef.trim(), description: d.description?.trim() || null }));
      request.submittedAt = now;
      await em.save(request);
      await this.audit.record(em, ctx, { action: 'cost-investigation.documents-submitted', entityType: 'cost_investigation', entityId: inv.id, data: { requestId: request.id, documents: request.documents.map((d) => d.documentRef) } });
      return request;
    });
  }

  recordFindings(ctx: RequestContext, investigationId: string, findings: string): Promise<CostInvestigation> {
    if (!findings?.trim()) throw invalid('findings', '调查结论不能为空');
    return this.db.transaction(async (em) => {
      const inv = await this.locked(em, investigationId);
      if (inv.state === 'CONCLUDED') throw new AppError('INVALID_STATE', 'The investigation is concluded', { field: 'investigationId' });
      inv.findings = findings.trim();
      inv.findingsRecordedAt = this.clock.now();
      inv.state = 'FINDINGS_RECORDED';
      await em.save(inv);
      await this.audit.record(em, ctx, { action: 'cost-investigation.findings-recorded', entityType: 'cost_investigation', entityId: inv.id, data: { findings: inv.findings } });
      return inv;
    });
  }

  conclude(ctx: RequestContext, input: ConcludeCostInvestigationInput): Promise<CostInvestigation> {
    const user = requireUser(ctx);
    return this.db.transaction(async (em) => {
      const inv = await this.locked(em, input.investigationId);
      if (inv.state !== 'FINDINGS_RECORDED') throw new AppError('INVALID_STATE', inv.state === 'CONCLUDED' ? 'The investigation is concluded already' : 'Record the findings first', { field: 'input.investigationId' });
      const now = this.clock.now();
      let creditEventId: string | null = null;
      let decided: string | null = null;
      if (input.outcome === 'PRICE_DECISION') {
        if (!input.decidedUnitPrice) throw invalid('input.decidedUnitPrice', '价格决定须给出核定单价');
        decided = input.decidedUnitPrice;
      } else if (input.decidedUnitPrice) {
        throw invalid('input.decidedUnitPrice', 'Only a PRICE_DECISION names a price');
      }
      if (input.outcome === 'CREDIT_EVENT') {
        const manufacturerId = input.manufacturerId ?? (inv.manufacturerIds.length === 1 ? inv.manufacturerIds[0] : null);
        if (!manufacturerId || !inv.manufacturerIds.includes(manufacturerId)) throw invalid('input.manufacturerId', '须指明被调查（已要求提供资料）的企业');
        const productIds = inv.productId ? [inv.productId] : (await em.find(Product, { where: { varietyId: inv.varietyId!, manufacturerId } })).map((p) => p.id);
        // due process applies: the event is a credit notice to the manufacturer until a regulator decides it
        const { eventId } = await this.credit.recordEvent(em, ctx, {
          organisationId: manufacturerId, behaviour: input.behaviour ?? 'UNFAIR_PRICE', amountFen: null, occurredOn: shanghaiDateOf(now),
          evidence: `价格成本调查 ${inv.id}：${inv.findings ?? ''}`.slice(0, 4000), productIds, source: 'REGULATOR',
        });
        creditEventId = eventId;
      }
      inv.state = 'CONCLUDED';
      inv.outcome = input.outcome as CostInvestigation['outcome'];
      inv.decidedUnitPrice = decided;
      inv.conclusion = input.conclusion.trim();
      inv.creditEventId = creditEventId;
      inv.concludedBy = user.id;
      inv.concludedAt = now;
      await em.save(inv);
      await this.audit.record(em, ctx, { action: 'cost-investigation.concluded', entityType: 'cost_investigation', entityId: inv.id, data: { outcome: inv.outcome, decidedUnitPrice: decided, creditEventId, conclusion: inv.conclusion } });
      return em.findOneOrFail(CostInvestigation, { where: { id: inv.id } });
    });
  }

  /** Regulators: every investigation; a manufacturer: those that asked it for documents. */
  async list(ctx: RequestContext, state: CostInvestigationState | null): Promise<CostInvestigation[]> {
    const user = requireUser(ctx);
    if (state && !(COST_INVESTIGATION_STATES as readonly string[]).includes(state)) throw invalid('state', 'Unknown state');
    const qb = this.db.manager.createQueryBuilder(CostInvestigation, 'i').orderBy('i.opened_at', 'DESC').addOrderBy('i.id').take(500);
    if (state) qb.andWhere('i.state = :state', { state });
    if (user.role === 'MANUFACTURER') qb.andWhere(':org = ANY(i.manufacturer_ids)', { org: user.organisationId });
    return qb.getMany();
  }

  async get(ctx: RequestContext, id: string): Promise<CostInvestigation> {
    const user = requireUser(ctx);
    const inv = /^[0-9a-f-]{36}$/i.test(id) ? await this.db.manager.findOne(CostInvestigation, { where: { id } }) : null;
    if (!inv || (user.role === 'MANUFACTURER' && !inv.manufacturerIds.includes(user.organisationId))) throw notFound('Cost investigation', 'id');
    return inv;
  }

  private async locked(em: EntityManager, id: string): Promise<CostInvestigation> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) throw notFound('Cost investigation', 'input.investigationId');
    const inv = await em.createQueryBuilder(CostInvestigation, 'i').setLock('pessimistic_write').where('i.id = :id', { id }).getOne();
    if (!inv) throw notFound('Cost investigation', 'input.investigationId');
    return inv;
  }
}
