import { BadRequestException, Controller, Get, Header, Query } from '@nestjs/common';
import { AuditCheckpointService } from './audit-checkpoint.service';

const MAX_LIMIT = 1000;

/**
 * Public, no login: the signed audit checkpoints and the key that signs them, so that anyone can keep
 * copies and later hold the platform's audit chain against them (verifyAuditChain's `checkpoint`).
 */
@Controller('audit/checkpoints')
export class AuditCheckpointsController {
  constructor(private readonly checkpoints: AuditCheckpointService) {}

  /** GET /audit/checkpoints?since=<position>&limit=<n>: the newest `limit` (≤ 1000) checkpoints after `since`, oldest first. */
  @Get()
  list(@Query('since') since?: string, @Query('limit') limit?: string) {
    const sincePosition = since === undefined ? 0 : Number(since);
    const count = limit === undefined ? MAX_LIMIT : Number(limit);
    if (!Number.isSafeInteger(sincePosition) || sincePosition < 0) throw new BadRequestException({ code: 'VALIDATION_FAILED', field: 'since', message: 'since 必须是非负整数' });
    if (!Number.isSafeInteger(count) || count < 1 || count > MAX_LIMIT) throw new BadRequestException({ code: 'VALIDATION_FAILED', field: 'limit', message: `limit 必须在 1 到 ${MAX_LIMIT} 之间` });
    const { keys } = this.checkpoints;
    return {
      algorithm: 'Ed25519',
      keyId: keys.keyId,
      publicKey: keys.publicKeyRaw,
      publicKeyPem: keys.publicKeyPem,
      signedFields: ['algorithm', 'at', 'format', 'hash', 'keyId', 'position', 'reason'],
      checkpoints: this.checkpoints.list({ sincePosition, limit: count }),
    };
  }

  /** GET /audit/checkpoints/public-key: the verification key as PEM (SPKI). */
  @Get('public-key')
  @Header('Content-Type', 'application/x-pem-file')
  publicKey() {
    return this.checkpoints.keys.publicKeyPem;
  }
}
