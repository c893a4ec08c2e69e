import { AuditEntry } from './platform/audit/audit-entry.entity';
import { IdempotencyRecord } from './platform/idempotency/idempotency-record.entity';
import { PlatformSetting } from './platform/clock/platform-setting.entity';
import { Region } from './catalog/regions/region.entity';
import { Organisation } from './catalog/organisations/organisation.entity';
import { LoginThrottle, RefreshToken, User } from './catalog/users/user.entity';
import { Product, Variety, VarietySpec } from './catalog/products/product.entity';
import { CreditEvent, CreditPolicyAdoption } from './credit/credit-event.entity';
import { CreditRating } from './credit/credit-rating.entity';
import { CreditRepair } from './credit/credit-repair.entity';
import { CreditNotice, CreditNoticeStatement } from './credit/credit-notice.entity';
import { CostDocumentRequest, CostInvestigation } from './listing/cost-investigation.entity';
import { CommitmentLetter } from './credit/commitment-letter.entity';
import { Listing, ListingApplication, ListingApplicationReview, ListingPricePeriod } from './listing/listing.entity';
import { LinkageNotice, ReferencePrice, ReferencePriceImport } from './listing/reference-price.entity';
import { PaymentStandard } from './listing/payment-standard.entity';
import { Lot, LotSpec, Round, RuleSetVersion } from './tendering/round.entity';
import { Demand, DemandBaseline } from './tendering/demand.entity';
import { ExternalAwardBatch, ExternalAwardVersion } from './tendering/external-award.entity';
import { Bid } from './tendering/bid.entity';
import { OpeningCommitteeMember } from './tendering/opening-committee.entity';
import { BidResult, RoundResult } from './tendering/result.entity';
import { Objection } from './tendering/objection.entity';
import { ResultRevision } from './tendering/result-revision.entity';
import { Renewal, RenewalDemand, RenewalOffer } from './tendering/renewal.entity';
import { PrepaymentDue, SupplyFailure, VolumeAgreement } from './agreements/agreement.entity';
import { AgreementYear } from './agreements/agreement-year.entity';
import { SupplySubstitution } from './agreements/supply-substitution.entity';
import { LedgerAccount, LedgerJournal, LedgerPosting } from './settlement/ledger.entity';
import { LineConfirmation, LineDispute, PayeeAccount } from './settlement/payee-account.entity';
import { BankException, BankStatement, BankStatementEntry } from './settlement/bank-statement.entity';
import { AllotmentAdvance, AllotmentHold, FundAllotment } from './settlement/fund-allotment.entity';
import { BatchPayable, HospitalScoreRecord, PaymentInstruction, PrepaymentPosting, SettledLine, SettlementBatch, SettlementCandidate } from './settlement/settlement-batch.entity';
import { RetainedSavingsAccrual } from './settlement/retained-savings.entity';
import { RegionSettlementPolicy } from './settlement/region-policy.entity';
import { DistributorAppointment } from './orders/distributor-appointment.entity';
import { OrderLine, PurchaseOrder } from './orders/purchase-order.entity';
import { Receipt, ReceiptLine, Shipment, ShipmentLine } from './orders/shipment.entity';
import { GoodsReturn, GoodsReturnLine } from './orders/goods-return.entity';
import { Invoice, InvoiceLine } from './orders/invoice.entity';
import { ManufacturerInvoice, ManufacturerInvoiceLine } from './orders/manufacturer-invoice.entity';
import { OffPlatformPurchase } from './orders/off-platform-purchase.entity';
import { MonitoringRule } from './supervision/monitoring-rule.entity';
import { MonitoringRun } from './supervision/monitoring-run.entity';
import { Alert, AlertCaseEntry } from './supervision/alert.entity';
import { BusinessEvent, WebhookDelivery, WebhookSubscription } from './platform/events/business-event.entity';
import { InsuranceClaimImport, InsuranceClaimLine } from './supervision/insurance-claim.entity';
import { KpiTarget } from './supervision/kpi-target.entity';

/**
 * Every entity, listed explicitly rather than globbed, so ts-node, jest and the CLIs load the same set.
 * Each bounded context adds its own line.
 */
export const ALL_ENTITIES = [
  AuditEntry,
  IdempotencyRecord,
  BusinessEvent,
  WebhookSubscription,
  WebhookDelivery,
  PlatformSetting,
  Region,
  Organisation,
  User,
  RefreshToken,
  LoginThrottle,
  Variety,
  VarietySpec,
  Product,
  CreditEvent,
  CreditPolicyAdoption,
  CreditRating,
  CreditRepair,
  CreditNotice,
  CreditNoticeStatement,
  CostInvestigation,
  CostDocumentRequest,
  CommitmentLetter,
  Listing,
  ListingPricePeriod,
  ListingApplication,
  ListingApplicationReview,
  ReferencePrice,
  ReferencePriceImport,
  LinkageNotice,
  PaymentStandard,
  RuleSetVersion,
  Round,
  Lot,
  LotSpec,
  Demand,
  DemandBaseline,
  ExternalAwardBatch,
  ExternalAwardVersion,
  Bid,
  OpeningCommitteeMember,
  RoundResult,
  BidResult,
  Objection,
  ResultRevision,
  Renewal,
  RenewalOffer,
  RenewalDemand,
  VolumeAgreement,
  AgreementYear,
  SupplySubstitution,
  PrepaymentDue,
  SupplyFailure,
  LedgerAccount,
  LedgerJournal,
  LedgerPosting,
  SettlementBatch,
  SettlementCandidate,
  BankStatement,
  BankStatementEntry,
  BankException,
  PayeeAccount,
  LineConfirmation,
  LineDispute,
  FundAllotment,
  AllotmentHold,
  AllotmentAdvance,
  RetainedSavingsAccrual,
  RegionSettlementPolicy,
  SettledLine,
  BatchPayable,
  PaymentInstruction,
  PrepaymentPosting,
  HospitalScoreRecord,
  DistributorAppointment,
  PurchaseOrder,
  OrderLine,
  Shipment,
  ShipmentLine,
  Receipt,
  ReceiptLine,
  GoodsReturn,
  GoodsReturnLine,
  Invoice,
  InvoiceLine,
  ManufacturerInvoice,
  ManufacturerInvoiceLine,
  OffPlatformPurchase,
  MonitoringRule,
  MonitoringRun,
  Alert,
  AlertCaseEntry,
  InsuranceClaimImport,
  InsuranceClaimLine,
  KpiTarget,
];
