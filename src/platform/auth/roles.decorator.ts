import { SetMetadata } from '@nestjs/common';
import { Role } from './roles';

export const ROLES_KEY = 'vbp:roles';
export const PUBLIC_KEY = 'vbp:public';

/** Who may call: every resolver (class or method) must say, or the guard denies. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);
/** Any logged-in user, whatever the role. */
export const AnyRole = () => SetMetadata(ROLES_KEY, ['PLATFORM_ADMIN', 'REGULATOR', 'HOSPITAL', 'MANUFACTURER', 'DISTRIBUTOR', 'SETTLEMENT_OFFICE']);
/** Readable without login (public transparency data, login itself). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);
