import { AuditEntry } from './platform/audit/audit-entry.entity';
import { IdempotencyRecord } from './platform/idempotency/idempotency-record.entity';
import { Region } from './catalog/regions/region.entity';
import { Organisation } from './catalog/organisations/organisation.entity';
import { RefreshToken, User } from './catalog/users/user.entity';
import { Product, Variety, VarietySpec } from './catalog/products/product.entity';
import { LedgerAccount, LedgerJournal, LedgerPosting } from './settlement/ledger.entity';
import { BatchPayable, HospitalScoreRecord, PaymentInstruction, PrepaymentPosting, SettledLine, SettlementBatch } from './settlement/settlement-batch.entity';

/**
 * Every entity, listed explicitly rather than globbed, so ts-node, jest and the CLIs load the same set.
 * Each bounded context adds its own line.
 */
export const ALL_ENTITIES = [
  AuditEntry,
  IdempotencyRecord,
  Region,
  Organisation,
  User,
  RefreshToken,
  Variety,
  VarietySpec,
  Product,
  LedgerAccount,
  LedgerJournal,
  LedgerPosting,
  SettlementBatch,
  SettledLine,
  BatchPayable,
  PaymentInstruction,
  PrepaymentPosting,
  HospitalScoreRecord,
];
