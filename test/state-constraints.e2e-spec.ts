import { WEBHOOK_DELIVERY_STATES } from '../src/platform/events/business-event.entity';
import { readFileSync } from 'fs';
import { join } from 'path';
import { ADMIN_URL_ENV, adminQuery, createDatabaseFromTemplate, databaseUrl } from '@test/harness';
import { ORDER_STATES } from '@libs/order-rules';
import { CASE_STATES } from '@libs/supervision-rules';
import { AGREEMENT_STATES, SUPPLY_FAILURE_STATES } from '../src/agreements/agreement.entity';
import { AGREEMENT_YEAR_STATES } from '../src/agreements/agreement-year.entity';
import { RENEWAL_OFFER_STATES, RENEWAL_STATES } from '../src/tendering/renewal.entity';
import { CREDIT_REPAIR_STATES } from '../src/credit/credit-repair.entity';
import { CREDIT_NOTICE_STATES } from '../src/credit/credit-notice.entity';
import { COST_INVESTIGATION_STATES, COST_REQUEST_STATES } from '../src/listing/cost-investigation.entity';
import { APPLICATION_STATES, LISTING_STATES } from '../src/listing/listing.entity';
import { LINKAGE_NOTICE_STATES } from '../src/listing/reference-price.entity';
import { INVOICE_STATES } from '../src/orders/invoice.entity';
import { SUPPLY_INVOICE_STATES } from '../src/orders/manufacturer-invoice.entity';
import { SHIPMENT_STATES } from '../src/orders/shipment.entity';
import { DISPUTE_STATES, PAYEE_ACCOUNT_STATES } from '../src/settlement/payee-account.entity';
import { BANK_EXCEPTION_STATES } from '../src/settlement/bank-statement.entity';
import { BATCH_STATES, INSTRUCTION_STATES } from '../src/settlement/settlement-batch.entity';
import { MONITORING_RUN_STATES } from '../src/supervision/monitoring-run.entity';
import { BID_STATES } from '../src/tendering/bid.entity';
import { OBJECTION_STATES } from '../src/tendering/objection.entity';
import { ROUND_STATES } from '../src/tendering/round.entity';

/**
 * Every workflow state column of the migrated database, the const array its entity declares, and the GraphQL
 * enum written from that array. The CHECK constraints come from the migrations (never edited once landed), the
 * enums from the constants: a state added to a constant without a migration, or a new state column without a
 * CHECK and a constant, fails here.
 */
const STATE_COLUMNS: Record<string, { values: readonly string[]; graphqlEnum: string }> = {
  'tender_round.state': { values: ROUND_STATES, graphqlEnum: 'RoundState' },
  'tender_bid.state': { values: BID_STATES, graphqlEnum: 'BidState' },
  'tender_objection.state': { values: OBJECTION_STATES, graphqlEnum: 'ObjectionState' },
  'volume_agreement.state': { values: AGREEMENT_STATES, graphqlEnum: 'AgreementState' },
  'supply_failure.state': { values: SUPPLY_FAILURE_STATES, graphqlEnum: 'SupplyFailureState' },
  'agreement_year.state': { values: AGREEMENT_YEAR_STATES, graphqlEnum: 'AgreementYearState' },
  'tender_renewal.state': { values: RENEWAL_STATES, graphqlEnum: 'RenewalState' },
  'tender_renewal_offer.state': { values: RENEWAL_OFFER_STATES, graphqlEnum: 'RenewalOfferState' },
  'listing.state': { values: LISTING_STATES, graphqlEnum: 'ListingState' },
  'listing_price_history.state': { values: LISTING_STATES, graphqlEnum: 'ListingState' },
  'listing_application.state': { values: APPLICATION_STATES, graphqlEnum: 'ListingApplicationState' },
  'linkage_notice.state': { values: LINKAGE_NOTICE_STATES, graphqlEnum: 'LinkageNoticeState' },
  'credit_repair.state': { values: CREDIT_REPAIR_STATES, graphqlEnum: 'CreditRepairState' },
  'credit_notice.state': { values: CREDIT_NOTICE_STATES, graphqlEnum: 'CreditNoticeState' },
  'cost_investigation.state': { values: COST_INVESTIGATION_STATES, graphqlEnum: 'CostInvestigationState' },
  'cost_document_request.state': { values: COST_REQUEST_STATES, graphqlEnum: 'CostDocumentRequestState' },
  'purchase_order.state': { values: ORDER_STATES, graphqlEnum: 'OrderState' },
  'shipment.state': { values: SHIPMENT_STATES, graphqlEnum: 'ShipmentState' },
  'invoice.state': { values: INVOICE_STATES, graphqlEnum: 'InvoiceState' },
  'manufacturer_invoice.state': { values: SUPPLY_INVOICE_STATES, graphqlEnum: 'ManufacturerInvoiceState' },
  'settlement_batch.state': { values: BATCH_STATES, graphqlEnum: 'SettlementBatchState' },
  'payment_instruction.state': { values: INSTRUCTION_STATES, graphqlEnum: 'PaymentInstructionState' },
  'payee_account.state': { values: PAYEE_ACCOUNT_STATES, graphqlEnum: 'PayeeAccountState' },
  'webhook_delivery.state': { values: WEBHOOK_DELIVERY_STATES, graphqlEnum: 'WebhookDeliveryState' },
  'line_dispute.state': { values: DISPUTE_STATES, graphqlEnum: 'LineDisputeState' },
  'bank_exception.state': { values: BANK_EXCEPTION_STATES, graphqlEnum: 'BankExceptionState' },
  'monitoring_run.state': { values: MONITORING_RUN_STATES, graphqlEnum: 'MonitoringRunState' },
  'alert.state': { values: CASE_STATES, graphqlEnum: 'AlertCaseState' },
  'alert_case_entry.from_state': { values: CASE_STATES, graphqlEnum: 'AlertCaseState' },
  'alert_case_entry.to_state': { values: CASE_STATES, graphqlEnum: 'AlertCaseState' },
};

/** `CHECK ((state = ANY (ARRAY['A'::text, 'B'::text])))` → { column: 'state', values: ['A', 'B'] } */
function parseInCheck(definition: string): { column: string; values: string[] } | null {
  const match = /^CHECK \(\((\w+) = ANY \(ARRAY\[(.*)\]\)\)\)$/.exec(definition);
  if (!match) return null;
  const values = [...match[2].matchAll(/'([^']*)'::text/g)].map((m) => m[1]);
  return { column: match[1], values };
}

function enumValues(schema: string, name: string): string[] | null {
  const match = new RegExp(`^enum ${name} \\{([^}]*)\\}`, 'm').exec(schema);
  if (!match) return null;
  return match[1]
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => /^[A-Z][A-Z0-9_]*$/.test(line));
}

describe('workflow states: database CHECKs, constants and GraphQL enums are one set', () => {
  let url: string;
  let name: string;
  beforeAll(async () => {
    ({ name, url } = await createDatabaseFromTemplate(false));
  });
  afterAll(() => adminQuery(process.env[ADMIN_URL_ENV]!, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));

  it('every state column of the migrated database has a CHECK listing exactly its constant', async () => {
    expect(url).toBe(databaseUrl(process.env[ADMIN_URL_ENV]!, name));
    const columns = await adminQuery<{ key: string }>(
      url,
      `SELECT c.table_name || '.' || c.column_name AS key
         FROM information_schema.columns c
         JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
        WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'
          AND (c.column_name = 'state' OR c.column_name LIKE '%\\_state') ORDER BY 1`,
    );
    expect(columns.map((c) => c.key).sort()).toEqual(Object.keys(STATE_COLUMNS).sort());

    const checks = await adminQuery<{ table: string; definition: string }>(
      url,
      `SELECT c.conrelid::regclass::text AS table, pg_get_constraintdef(c.oid) AS definition
         FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
        WHERE c.contype = 'c' AND n.nspname = 'public'`,
    );
    const found: Record<string, string[]> = {};
    for (const check of checks) {
      const parsed = parseInCheck(check.definition);
      if (parsed && `${check.table}.${parsed.column}` in STATE_COLUMNS) found[`${check.table}.${parsed.column}`] = parsed.values;
    }
    const expected = Object.fromEntries(Object.entries(STATE_COLUMNS).map(([key, { values }]) => [key, [...values]]));
    expect(found).toEqual(expected);
  });

  it('schema.gql serves each state set as the enum written from the same constant', () => {
    const schema = readFileSync(join(__dirname, '..', 'schema.gql'), 'utf8');
    for (const { values, graphqlEnum } of Object.values(STATE_COLUMNS)) {
      expect({ graphqlEnum, values: enumValues(schema, graphqlEnum)?.sort() }).toEqual({ graphqlEnum, values: [...values].sort() });
    }
    // no workflow state is served as a bare String any more
    expect(schema).not.toMatch(/^\s+(state|fromState|toState)(\(.*\))?: String/m);
  });
});
