import Type from 'typebox';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseEnv } from './env.ts';

const schema = Type.Object({
  PORT: Type.Integer({ minimum: 1, maximum: 65535, default: 3000 }),
  DATABASE_URL: Type.String({ minLength: 1 }),
  ALLOW_PRIVATE: Type.Boolean({ default: false }),
  LOG_LEVEL: Type.Union([Type.Literal('info'), Type.Literal('debug')], { default: 'info' }),
});

describe('parseEnv', () => {
  it('applies defaults and converts strings', () => {
    const config = parseEnv(schema, { DATABASE_URL: 'postgres://x', ALLOW_PRIVATE: 'true' });
    expect(config).toEqual({
      PORT: 3000,
      DATABASE_URL: 'postgres://x',
      ALLOW_PRIVATE: true,
      LOG_LEVEL: 'info',
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('treats empty strings as unset and ignores unknown variables', () => {
    const config = parseEnv(schema, { DATABASE_URL: 'postgres://x', PORT: '', HOME: '/root' });
    expect(config.PORT).toBe(3000);
    expect(config).not.toHaveProperty('HOME');
  });

  it('lists every problem with the variable name', () => {
    let caught: unknown;
    try {
      parseEnv(schema, { PORT: 'eighty', LOG_LEVEL: 'loud' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const message = (caught as ConfigError).message;
    expect(message).toContain('DATABASE_URL');
    expect(message).toContain('PORT');
    expect(message).toContain('LOG_LEVEL');
  });
});
