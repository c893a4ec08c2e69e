export * from './order-states';
export * from './sla-policy';
export * from './three-way-match';
export * from './order-limits';
