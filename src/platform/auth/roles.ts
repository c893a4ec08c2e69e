export const ROLES = ['PLATFORM_ADMIN', 'REGULATOR', 'HOSPITAL', 'MANUFACTURER', 'DISTRIBUTOR', 'SETTLEMENT_OFFICE'] as const;
export type Role = (typeof ROLES)[number];
