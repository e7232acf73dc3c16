export * from './delivery.ts';
export * from './job-producer.ts';
export * from './queue-names.ts';
export * from './redis-connections.ts';
