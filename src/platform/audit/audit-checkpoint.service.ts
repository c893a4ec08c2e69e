import { BeforeApplicationShutdown, Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { Clock } from '../clock/clock';
import { Db } from '../database/db';
import { logger } from '../logging/logger';
import { AuditService, ChainVerification } from './audit.service';
import {
  AuditCheckpoint,
  checkpointKeys,
  CheckpointKeys,
  checkpointSignatureValid,
  readCheckpointDir,
  signCheckpoint,
  writeCheckpointFile,
} from './audit-checkpoints';

/**
 * Audit actions after whose chaining a checkpoint is taken at once: a round's opening (开标: `round.open`)
 * and a settlement batch's completion. Everything else is covered by the periodic checkpoint.
 */
export const CHECKPOINT_ACTIONS: ReadonlySet<string> = new Set(['round.open', 'settlement.batch.prepared', 'settlement.batch.approved']);

/**
 * Takes signed checkpoints of the audit chain head and writes them outside PostgreSQL (see
 * audit-checkpoints.ts): every AUDIT_CHECKPOINT_INTERVAL_SECONDS when the head moved, and right after a
 * round opening or a settlement batch completion is linked into the chain.
 */
@Injectable()
export class AuditCheckpointService implements OnModuleInit, BeforeApplicationShutdown {
  readonly keys: CheckpointKeys;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly db: Db,
    private readonly audit: AuditService,
  ) {
    this.keys = checkpointKeys(config.auditSigningKey);
  }

  get dir(): string {
    return this.config.auditCheckpointDir;
  }

  onModuleInit() {
    if (!this.db.dataSource.isInitialized) return;
    this.audit.onChained((linked) => {
      const trigger = linked.find((entry) => CHECKPOINT_ACTIONS.has(entry.action));
      if (trigger) void this.checkpoint(trigger.action).catch((error) => logger.error({ err: error }, 'audit checkpoint failed'));
    });
    const seconds = this.config.auditCheckpointIntervalSeconds;
    if (seconds > 0 && this.config.mode === 'server') {
      this.timer = setInterval(() => void this.checkpoint('INTERVAL', { skipUnchanged: true }).catch((error) => logger.error({ err: error }, 'audit checkpoint failed')), seconds * 1000);
      this.timer.unref();
    }
  }

  async beforeApplicationShutdown() {
    if (this.timer) clearInterval(this.timer);
    await this.running.catch(() => undefined);
  }

  /**
   * Signs the current chain head and writes it as a checkpoint file; null when the chain is empty, or when
   * asked to skip an unchanged head. One at a time in this process.
   */
  checkpoint(reason: string, options: { skipUnchanged?: boolean } = {}): Promise<AuditCheckpoint | null> {
    const next = this.running.catch(() => undefined).then(async () => {
      await this.audit.chainPending({ wait: true }); // everything committed so far is in the head signed
      const head = await this.audit.head();
      if (!head) return null;
      if (options.skipUnchanged) {
        const latest = this.stored().at(-1)?.checkpoint;
        if (latest && latest.position === head.position && latest.hash === head.hash) return null;
      }
      const checkpoint = signCheckpoint(this.keys, head, this.clock.now(), reason);
      const file = writeCheckpointFile(this.dir, checkpoint);
      logger.info({ position: checkpoint.position, reason, file }, 'audit checkpoint written');
      return checkpoint;
    });
    this.running = next;
    return next;
  }

  private stored() {
    return readCheckpointDir(this.dir);
  }

  /** Every well-formed checkpoint in the directory, oldest position first (for the public listing). */
  list(options: { sincePosition?: number; limit?: number } = {}): AuditCheckpoint[] {
    const all = this.stored()
      .map((s) => s.checkpoint)
      .filter((c): c is AuditCheckpoint => !!c && c.position > (options.sincePosition ?? 0));
    return options.limit ? all.slice(-options.limit) : all;
  }

  /**
   * Verifies the chain against the checkpoints of the directory and the one given (a copy a third party
   * kept): every signature must check with this server's public key, then the chain must still hold each.
   */
  async verify(given?: AuditCheckpoint | null): Promise<ChainVerification> {
    const failed = (reasonCode: 'CHECKPOINT_SIGNATURE_INVALID' | 'CHECKPOINT_INVALID', reason: string, position: number | null): ChainVerification => ({
      ok: false,
      checkedEntries: 0,
      firstBrokenSeq: null,
      reason,
      reasonCode,
      checkpointPosition: position,
    });
    const checkpoints: AuditCheckpoint[] = [];
    for (const { file, checkpoint } of this.stored()) {
      if (!checkpoint) return failed('CHECKPOINT_INVALID', `checkpoint file ${file} is not a well-formed checkpoint`, null);
      checkpoints.push(checkpoint);
    }
    if (given) checkpoints.push(given);
    for (const checkpoint of checkpoints) {
      if (!checkpointSignatureValid(checkpoint, this.keys.publicKey)) {
        return failed('CHECKPOINT_SIGNATURE_INVALID', `the checkpoint at position ${checkpoint.position} (${checkpoint.at}) does not carry a valid signature of this platform's key ${this.keys.keyId}`, checkpoint.position);
      }
    }
    return this.audit.verifyChain({ checkpoints });
  }
}
