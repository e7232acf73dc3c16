import Type from 'typebox';

/** Variables every NotifyKit process reads; apps spread these into their own env schema. */
export const commonEnvProperties = {
  NODE_ENV: Type.Enum(['development', 'production', 'test'], { default: 'development' }),
  LOG_LEVEL: Type.Enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
    default: 'info',
  }),
};
