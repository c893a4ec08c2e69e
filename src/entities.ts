import { AuditEntry } from './platform/audit/audit-entry.entity';
import { IdempotencyRecord } from './platform/idempotency/idempotency-record.entity';
import { Region } from './catalog/regions/region.entity';
import { Organisation } from './catalog/organisations/organisation.entity';
import { RefreshToken, User } from './catalog/users/user.entity';
import { Product, Variety, VarietySpec } from './catalog/products/product.entity';
import { MonitoringRule } from './supervision/monitoring-rule.entity';
import { MonitoringRun } from './supervision/monitoring-run.entity';
import { Alert, AlertCaseEntry } from './supervision/alert.entity';

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
  MonitoringRule,
  MonitoringRun,
  Alert,
  AlertCaseEntry,
];
