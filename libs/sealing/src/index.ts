export * from './gf256';
export * from './shamir';
export * from './x25519-seal';
