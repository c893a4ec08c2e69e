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
  // credit
  recordCreditEvent: ['REGULATOR', 'PLATFORM_ADMIN'],
  fileCommitmentLetter: ['MANUFACTURER', 'DISTRIBUTOR'],
  fileCreditRepair: ['MANUFACTURER', 'DISTRIBUTOR'],
  decideCreditRepair: ['REGULATOR', 'PLATFORM_ADMIN'],
  adoptCreditPolicy: ['REGULATOR', 'PLATFORM_ADMIN'],
  creditRating: 'ANY',
  creditRatingHistory: 'ANY',
  creditEvents: ['REGULATOR', 'PLATFORM_ADMIN', 'MANUFACTURER', 'DISTRIBUTOR'],
  creditRepairs: ['REGULATOR', 'PLATFORM_ADMIN', 'MANUFACTURER', 'DISTRIBUTOR'],
  creditRiskNotice: 'ANY',
  creditDisclosures: 'PUBLIC',
  // listing
  applyForListing: ['MANUFACTURER'],
  reviewListingApplication: ['REGULATOR', 'PLATFORM_ADMIN', 'MANUFACTURER'],
  withdrawListing: ['MANUFACTURER', 'REGULATOR', 'PLATFORM_ADMIN'],
  suspendListing: ['REGULATOR', 'PLATFORM_ADMIN'],
  reinstateListing: ['REGULATOR', 'PLATFORM_ADMIN'],
  listings: 'ANY',
  listing: 'ANY',
  listingApplications: ['REGULATOR', 'PLATFORM_ADMIN', 'MANUFACTURER'],
  listingPriceInForce: 'ANY',
  linkageNotices: ['REGULATOR', 'PLATFORM_ADMIN', 'MANUFACTURER'],
  recordReferencePrice: ['REGULATOR', 'PLATFORM_ADMIN'],
  importReferencePrices: ['REGULATOR', 'PLATFORM_ADMIN'],
  referencePrices: ['REGULATOR', 'PLATFORM_ADMIN', 'MANUFACTURER'],
  // orders
  orders: 'ANY',
  order: 'ANY',
  distributorAppointments: 'ANY',
  offPlatformPurchases: 'ANY',
  appointDistributor: ['MANUFACTURER', 'PLATFORM_ADMIN'],
  placeOrder: ['HOSPITAL'],
  confirmOrder: ['DISTRIBUTOR'],
  rejectOrder: ['DISTRIBUTOR'],
  cancelOrder: ['HOSPITAL'],
  shipOrder: ['DISTRIBUTOR'],
  receiveShipment: ['HOSPITAL'],
  returnGoods: ['HOSPITAL'],
  submitInvoice: ['HOSPITAL', 'DISTRIBUTOR'],
  reportOffPlatformPurchase: ['HOSPITAL'],
};
