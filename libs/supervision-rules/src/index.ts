export * from './rules';
export * from './case-workflow';
export * from './ocds/ocds-mapping';
