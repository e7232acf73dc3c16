export * from './api-keys-table.ts';
export * from './customers-table.ts';
export * from './delivery-attempts-table.ts';
export * from './enums.ts';
export * from './jobs-table.ts';
export * from './monthly-usage-table.ts';
export * from './webhook-signing-secrets-table.ts';
