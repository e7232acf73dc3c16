export * from './common-env.ts';
export * from './env.ts';
export * from './logger.ts';
export * from './shutdown.ts';
