import { Controller, Get, Header, NotFoundException, Param } from '@nestjs/common';
import { PublicationService } from './publication.service';
import { RoundDocument } from './round-documents';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The public documents OCDS releases link to, as HTML pages (no login; only rounds whose results are public). */
@Controller('public/rounds')
export class PublicationController {
  constructor(private readonly publication: PublicationService) {}

  @Get(':roundId/notice')
  @Header('Content-Type', 'text/html; charset=utf-8')
  notice(@Param('roundId') roundId: string) {
    return this.render(roundId, { kind: 'notice' });
  }

  @Get(':roundId/publicity')
  @Header('Content-Type', 'text/html; charset=utf-8')
  publicity(@Param('roundId') roundId: string) {
    return this.render(roundId, { kind: 'publicity' });
  }

  @Get(':roundId/agreements/:agreementId')
  @Header('Content-Type', 'text/html; charset=utf-8')
  agreement(@Param('roundId') roundId: string, @Param('agreementId') agreementId: string) {
    return this.render(roundId, { kind: 'agreement', agreementId });
  }

  private async render(roundId: string, doc: RoundDocument): Promise<string> {
    if (!UUID.test(roundId) || (doc.kind === 'agreement' && !UUID.test(doc.agreementId))) throw new NotFoundException('没有这份公开文件');
    const html = await this.publication.roundDocument(roundId, doc);
    if (!html) throw new NotFoundException('没有这份公开文件');
    return html;
  }
}
