import { Args, ID, Query, Resolver } from '@nestjs/graphql';
import { Public } from '../platform/auth/roles.decorator';
import { PublicationService } from './publication.service';

@Resolver()
export class PublicationResolver {
  constructor(private readonly publication: PublicationService) {}

  @Public()
  @Query(() => String, { description: 'OCDS 1.1.5 release package (JSON text) of the public rounds, or of the given ones' })
  ocdsReleasePackage(@Args('roundIds', { type: () => [ID], nullable: true }) roundIds?: string[] | null) {
    return this.publication.ocdsPackage(roundIds ?? null);
  }
}
