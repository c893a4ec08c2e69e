import { Args, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Roles } from '../platform/auth/roles.decorator';
import { Ctx } from '../platform/auth/current-context.decorator';
import { RequestContext } from '../platform/context/request-context';
import { CostDocumentRequest, CostInvestigation, CostInvestigationState, CostInvestigationStateEnum } from './cost-investigation.entity';
import { CostInvestigationsService } from './cost-investigations.service';
import { ListingRepository } from './listing.repository';
import { ConcludeCostInvestigationInput, OpenCostInvestigationInput, RequestCostDocumentsInput, SubmitCostDocumentsInput } from './dto/cost-investigation.inputs';

@Resolver(() => CostInvestigation)
export class CostInvestigationsResolver {
  constructor(
    private readonly investigations: CostInvestigationsService,
    private readonly reads: ListingRepository,
  ) {}

  @Roles('REGULATOR', 'PLATFORM_ADMIN')
  @Mutation(() => CostInvestigation, { description: 'Open a cost investigation (价格成本调查) on a product or a variety' })
  openCostInvestigation(@Ctx() ctx: RequestContext, @Args('input') input: OpenCostInvestigationInput) {
    return this.investigations.open(ctx, input);
  }

  @Roles('REGULATOR', 'PLATFORM_ADMIN')
  @Mutation(() => CostDocumentRequest, { description: 'Ask a manufacturer for cost documents, due in working days' })
  requestCostDocuments(@Ctx() ctx: RequestContext, @Args('input') input: RequestCostDocumentsInput) {
    return this.investigations.requestDocuments(ctx, input);
  }

  @Roles('MANUFACTURER')
  @Mutation(() => CostDocumentRequest, { description: 'Submit the requested cost documents before the deadline' })
  submitCostDocuments(@Ctx() ctx: RequestContext, @Args('input') input: SubmitCostDocumentsInput) {
    return this.investigations.submitDocuments(ctx, input);
  }

  @Roles('REGULATOR', 'PLATFORM_ADMIN')
  @Mutation(() => CostInvestigation, { description: 'Record the findings of a cost investigation' })
  recordCostFindings(@Ctx() ctx: RequestContext, @Args('investigationId', { type: () => ID }) investigationId: string, @Args('findings', { type: () => String }) findings: string) {
    return this.investigations.recordFindings(ctx, investigationId, findings);
  }

  @Roles('REGULATOR', 'PLATFORM_ADMIN')
  @Mutation(() => CostInvestigation, { description: 'Conclude with a price decision, a credit event (a credit notice, due process) or no action' })
  concludeCostInvestigation(@Ctx() ctx: RequestContext, @Args('input') input: ConcludeCostInvestigationInput) {
    return this.investigations.conclude(ctx, input);
  }

  @Roles('REGULATOR', 'PLATFORM_ADMIN', 'MANUFACTURER')
  @Query(() => [CostInvestigation], { description: 'Newest first (at most 500); a manufacturer sees those that asked it for documents' })
  costInvestigations(@Ctx() ctx: RequestContext, @Args('state', { type: () => CostInvestigationStateEnum, nullable: true }) state?: CostInvestigationState | null) {
    return this.investigations.list(ctx, state ?? null);
  }

  @Roles('REGULATOR', 'PLATFORM_ADMIN', 'MANUFACTURER')
  @Query(() => CostInvestigation)
  costInvestigation(@Ctx() ctx: RequestContext, @Args('id', { type: () => ID }) id: string) {
    return this.investigations.get(ctx, id);
  }

  @ResolveField(() => [CostDocumentRequest], { description: 'Document requests (a manufacturer sees its own)' })
  documentRequests(@Ctx() ctx: RequestContext, @Parent() inv: CostInvestigation) {
    return this.reads.documentRequestsOf(ctx, inv.id);
  }
}
