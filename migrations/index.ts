/**
 * Every migration in order. Migrations are listed explicitly (not globbed) so the app, jest and the CLI load
 * the same set; `npm run migration:generate -- Name` prints the line to add here. Never edit a landed one.
 */
import type { MigrationInterface } from 'typeorm';
import { Initial1795333311479 } from './1795333311479-Initial';
import { CreditRating1795334800467 } from './1795334800467-CreditRating';
import { Tendering1795335075432 } from './1795335075432-Tendering';
import { Supervision1795335157212 } from './1795335157212-Supervision';
import { Listing1795335173918 } from './1795335173918-Listing';
import { PaginationIndexes1795336158283 } from './1795336158283-PaginationIndexes';
import { Settlement1795336376601 } from './1795336376601-Settlement';
import { Orders1795337000000 } from './1795337000000-Orders';
import { AuditChainAfterCommit1795338159198 } from './1795338159198-AuditChainAfterCommit';
import { PublicRoundResult1795338170664 } from './1795338170664-PublicRoundResult';
import { SettlementCandidates1795339326601 } from './1795339326601-SettlementCandidates';
import { PreVbpPrice1796017416507 } from './1796017416507-PreVbpPrice';
import { PageIndexes1796019654866 } from './1796019654866-PageIndexes';
import { LoginThrottleTokenFamilies1796400000000 } from './1796400000000-LoginThrottleTokenFamilies';
import { SealingCommittee1796600000000 } from './1796600000000-SealingCommittee';
import { PlatformClock1796700000000 } from './1796700000000-PlatformClock';
import { StateChecks1796800000000 } from './1796800000000-StateChecks';
import { OrganisationCode1796800000001 } from './1796800000001-OrganisationCode';
import { OcdsEvents1796900000000 } from './1796900000000-OcdsEvents';
import { PriceGovernance1797000000000 } from './1797000000000-PriceGovernance';
import { SettlementApproval1797100000000 } from './1797100000000-SettlementApproval';
import { FundAllotments1797100000001 } from './1797100000001-FundAllotments';
import { PaymentStandards1797200000000 } from './1797200000000-PaymentStandards';
import { PurchaseAbovePaymentStandard1797300000000 } from './1797300000000-PurchaseAbovePaymentStandard';
import { CreditDueProcess1797300001000 } from './1797300001000-CreditDueProcess';
import { CostInvestigation1797300002000 } from './1797300002000-CostInvestigation';
import { BankFiles1797400000000 } from './1797400000000-BankFiles';
import { RetainedSavingsAccrual1797500000000 } from './1797500000000-RetainedSavingsAccrual';
import { PayeePolicy1797500000001 } from './1797500000001-PayeePolicy';
import { AllotmentAdvance1797500000002 } from './1797500000002-AllotmentAdvance';
import { ExternalAwards1797600000000 } from './1797600000000-ExternalAwards';
import { AgreementYears1797700000000 } from './1797700000000-AgreementYears';
import { ObjectionOutcomes1797700000001 } from './1797700000001-ObjectionOutcomes';
import { SupplySubstitutions1797700000002 } from './1797700000002-SupplySubstitutions';
import { Renewals1797700000003 } from './1797700000003-Renewals';
import { ProductClasses1797800000000 } from './1797800000000-ProductClasses';
import { InsuranceClaimsKpiTargets1797800000001 } from './1797800000001-InsuranceClaimsKpiTargets';
import { ChangeFeed1798100000000 } from './1798100000000-ChangeFeed';
import { ChangeFeedPaymentReturns1798200000000 } from './1798200000000-ChangeFeedPaymentReturns';
import { ChildReadIndexes1798300000000 } from './1798300000000-ChildReadIndexes';
import { OrderPartiesPlanned1798400000000 } from './1798400000000-OrderPartiesPlanned';
import { BankExceptionOpenIndexes1798400000001 } from './1798400000001-BankExceptionOpenIndexes';
import { RenewalCancel1798400000002 } from './1798400000002-RenewalCancel';

export const ALL_MIGRATIONS: (new () => MigrationInterface)[] = [
  Initial1795333311479,
  CreditRating1795334800467,
  Tendering1795335075432,
  Supervision1795335157212,
  Listing1795335173918,
  PaginationIndexes1795336158283,
  Settlement1795336376601,
  Orders1795337000000,
  AuditChainAfterCommit1795338159198,
  PublicRoundResult1795338170664,
  SettlementCandidates1795339326601,
  PreVbpPrice1796017416507,
  PageIndexes1796019654866,
  LoginThrottleTokenFamilies1796400000000,
  SealingCommittee1796600000000,
  PlatformClock1796700000000,
  StateChecks1796800000000,
  OrganisationCode1796800000001,
  OcdsEvents1796900000000,
  PriceGovernance1797000000000,
  SettlementApproval1797100000000,
  FundAllotments1797100000001,
  PaymentStandards1797200000000,
  PurchaseAbovePaymentStandard1797300000000,
  CreditDueProcess1797300001000,
  CostInvestigation1797300002000,
  BankFiles1797400000000,
  RetainedSavingsAccrual1797500000000,
  PayeePolicy1797500000001,
  AllotmentAdvance1797500000002,
  ExternalAwards1797600000000,
  AgreementYears1797700000000,
  ObjectionOutcomes1797700000001,
  SupplySubstitutions1797700000002,
  Renewals1797700000003,
  ProductClasses1797800000000,
  InsuranceClaimsKpiTargets1797800000001,
  ChangeFeed1798100000000,
  ChangeFeedPaymentReturns1798200000000,
  ChildReadIndexes1798300000000,
  OrderPartiesPlanned1798400000000,
  BankExceptionOpenIndexes1798400000001,
  RenewalCancel1798400000002,
];
