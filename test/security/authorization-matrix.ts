/**
 * Who may call each operation of schema.gql — the one table the security suite checks the API against.
 * 'PUBLIC' = anyone, no login; 'ANY' = any logged-in role; otherwise the roles allowed. A new operation
 * must be added here, or the suite fails: deny by default is checked, not assumed.
 */
export type Role = 'PLATFORM_ADMIN' | 'REGULATOR' | 'HOSPITAL' | 'MANUFACTURER' | 'DISTRIBUTOR' | 'SETTLEMENT_OFFICE';
export type Allowed = 'PUBLIC' | 'ANY' | Role[];

export const ROLE_USERS: Record<Role, string> = {
  PLATFORM_ADMIN: 'admin',
  REGULATOR: 'reg-henan',
  HOSPITAL: 'hosp-zz-1',
  MANUFACTURER: 'mfr-alpha',
  DISTRIBUTOR: 'dist-zy',
  SETTLEMENT_OFFICE: 'settle-henan',
};

export const AUTHORIZATION_MATRIX: Record<string, Allowed> = {
  // platform and catalog
  login: 'PUBLIC',
  refreshAccessToken: 'PUBLIC',
  regions: 'PUBLIC',
  region: 'PUBLIC',
  me: 'ANY',
  organisations: 'ANY',
  organisation: 'ANY',
  products: 'ANY',
  product: 'ANY',
  varieties: 'ANY',
  variety: 'ANY',
  createOrganisation: ['PLATFORM_ADMIN'],
  updateOrganisation: ['PLATFORM_ADMIN'],
  createUser: ['PLATFORM_ADMIN'],
  createRegion: ['PLATFORM_ADMIN'],
  createVariety: ['PLATFORM_ADMIN', 'REGULATOR'],
  registerDrug: ['MANUFACTURER', 'PLATFORM_ADMIN'],
  registerConsumable: ['MANUFACTURER', 'PLATFORM_ADMIN'],
  verifyAuditChain: ['PLATFORM_ADMIN', 'REGULATOR'],
  // settlement
  startSettlementBatch: ['SETTLEMENT_OFFICE'],
  importBankResults: ['SETTLEMENT_OFFICE'],
  postDuePrepayments: ['SETTLEMENT_OFFICE'],
  setHospitalScore: ['REGULATOR'],
  settlementBatch: ['SETTLEMENT_OFFICE', 'REGULATOR', 'PLATFORM_ADMIN'],
  settlementBatches: ['SETTLEMENT_OFFICE', 'REGULATOR', 'PLATFORM_ADMIN'],
  paymentInstructions: ['SETTLEMENT_OFFICE', 'REGULATOR', 'MANUFACTURER', 'PLATFORM_ADMIN'],
  paymentInstructionFile: ['SETTLEMENT_OFFICE', 'PLATFORM_ADMIN'],
  payableLines: ['SETTLEMENT_OFFICE', 'REGULATOR', 'HOSPITAL', 'MANUFACTURER', 'PLATFORM_ADMIN'],
  payableAgeing: ['SETTLEMENT_OFFICE', 'REGULATOR', 'HOSPITAL', 'MANUFACTURER', 'PLATFORM_ADMIN'],
  ledgerAccounts: ['SETTLEMENT_OFFICE', 'REGULATOR', 'HOSPITAL', 'MANUFACTURER', 'PLATFORM_ADMIN'],
  prepayments: ['SETTLEMENT_OFFICE', 'REGULATOR', 'HOSPITAL', 'PLATFORM_ADMIN'],
  ledgerReconciliation: ['SETTLEMENT_OFFICE', 'REGULATOR', 'PLATFORM_ADMIN'],
  retainedSavings: ['SETTLEMENT_OFFICE', 'REGULATOR', 'HOSPITAL', 'PLATFORM_ADMIN'],
};
