import { Buffer } from 'node:buffer';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import {
  generateSigningSecret,
  notifyKitSignature,
  SIGNING_SECRET_PREFIX,
  signNotifyKit,
  signStandardWebhooks,
  standardWebhooksKey,
  webhookDeliveryHeaders,
} from './webhook-signing.ts';

interface Delivery {
  body: string;
  timestampHeader: string;
  signatureHeader: string;
}

const HEX_DIGEST = /^[0-9a-f]{64}$/;

function hmacHex(secret: string, text: string): string {
  return createHmac('sha256', secret).update(text).digest('hex');
}

function constantTimeHexEqual(expected: string, given: string): boolean {
  if (!HEX_DIGEST.test(given)) return false;
  return timingSafeEqual(Buffer.from(expected, 'hex'), Buffer.from(given, 'hex'));
}

function parseSignatureHeader(header: string): { t: string[]; v1: string[] } {
  const parsed = { t: [] as string[], v1: [] as string[] };
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq === -1) continue;
    const key = part.slice(0, eq).trim();
    if (key === 't' || key === 'v1') parsed[key].push(part.slice(eq + 1).trim());
  }
  return parsed;
}

function timestampAcceptable(
  delivery: Delivery,
  t: string | undefined,
  nowSeconds: number,
): boolean {
  if (t === undefined || t !== delivery.timestampHeader || !/^\d+$/.test(t)) return false;
  const age = nowSeconds - Number(t);
  return age >= 0 && age <= 300;
}

// Written from CONTRACT §6 alone: t must equal the timestamp header, the age must be 0–300 s,
// and the lowercase hex digest of HMAC-SHA256("<t>.<body>") keyed with the whole secret string
// is compared in constant time against the v1 entries of the header.
function verifyPerContract(delivery: Delivery, secret: string, nowSeconds: number): boolean {
  const { t, v1 } = parseSignatureHeader(delivery.signatureHeader);
  if (t.length !== 1 || !timestampAcceptable(delivery, t[0], nowSeconds)) return false;
  const expected = hmacHex(secret, `${delivery.timestampHeader}.${delivery.body}`);
  return v1.some((given) => constantTimeHexEqual(expected, given));
}

// The official SDK's parser keeps only the last v1 entry it meets; modelled here to pin down
// which secret such a verifier sees during a rotation overlap.
function verifyLastV1Only(delivery: Delivery, secret: string, nowSeconds: number): boolean {
  const { t, v1 } = parseSignatureHeader(delivery.signatureHeader);
  const last = v1.at(-1);
  if (last === undefined || !timestampAcceptable(delivery, t.at(-1), nowSeconds)) return false;
  return constantTimeHexEqual(
    hmacHex(secret, `${delivery.timestampHeader}.${delivery.body}`),
    last,
  );
}

function deliveryOf(headers: ReturnType<typeof signNotifyKit>, body: string): Delivery {
  return {
    body,
    timestampHeader: headers['X-Webhook-Timestamp'],
    signatureHeader: headers['X-Webhook-Signature'],
  };
}

const SPEC_SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const OLD = 'whsec_b2xkIHNlY3JldCBvbGQgc2VjcmV0IG9sZCBzZWNyZXQ=';
const NEW = 'whsec_bmV3IHNlY3JldCBuZXcgc2VjcmV0IG5ldyBzZWNyZXQ=';
const BODY = '{"event":"user.created","id":42}';
const TS = 1_700_000_000;

describe('NotifyKit signature, one secret', () => {
  const headers = signNotifyKit({ secret: SPEC_SECRET, timestampSeconds: TS, body: BODY });

  it('matches a digest computed with openssl', () => {
    // printf '%s' '1700000000.{"event":"user.created","id":42}' | openssl dgst -sha256 -hmac <secret>
    expect(headers).toEqual({
      'X-Webhook-Timestamp': '1700000000',
      'X-Webhook-Signature':
        't=1700000000,v1=0499e0e8684f3f3c39fb67ff9d484aa7ee54f267879f82311ba1ae856ad23734',
    });
    expect(notifyKitSignature(SPEC_SECRET, TS, BODY)).toBe(
      '0499e0e8684f3f3c39fb67ff9d484aa7ee54f267879f82311ba1ae856ad23734',
    );
  });

  it('is accepted by a verifier built from the contract, from age 0 to 300 s', () => {
    const delivery = deliveryOf(headers, BODY);
    expect(verifyPerContract(delivery, SPEC_SECRET, TS)).toBe(true);
    expect(verifyPerContract(delivery, SPEC_SECRET, TS + 300)).toBe(true);
    expect(verifyLastV1Only(delivery, SPEC_SECRET, TS + 1)).toBe(true);
  });

  it('is refused when too old, from the future, tampered with or checked with another secret', () => {
    const delivery = deliveryOf(headers, BODY);
    expect(verifyPerContract(delivery, SPEC_SECRET, TS + 301)).toBe(false);
    expect(verifyPerContract(delivery, SPEC_SECRET, TS - 1)).toBe(false);
    expect(verifyPerContract({ ...delivery, body: `${BODY} ` }, SPEC_SECRET, TS)).toBe(false);
    expect(
      verifyPerContract({ ...delivery, timestampHeader: String(TS + 1) }, SPEC_SECRET, TS + 1),
    ).toBe(false);
    expect(verifyPerContract(delivery, NEW, TS)).toBe(false);
  });

  it('keys the HMAC with the whole secret string, prefix included', () => {
    const withoutPrefix = SPEC_SECRET.slice(SIGNING_SECRET_PREFIX.length);
    expect(notifyKitSignature(withoutPrefix, TS, BODY)).not.toBe(
      notifyKitSignature(SPEC_SECRET, TS, BODY),
    );
  });

  it('signs an empty body (GET and DELETE deliveries)', () => {
    const empty = signNotifyKit({ secret: SPEC_SECRET, timestampSeconds: TS, body: '' });
    expect(verifyPerContract(deliveryOf(empty, ''), SPEC_SECRET, TS)).toBe(true);
    expect(empty['X-Webhook-Signature']).toBe(`t=${TS},v1=${hmacHex(SPEC_SECRET, `${TS}.`)}`);
  });

  it('signs UTF-8 bodies byte for byte', () => {
    const body = '{"name":"Zoë 😀"}';
    const signed = signNotifyKit({ secret: SPEC_SECRET, timestampSeconds: TS, body });
    expect(verifyPerContract(deliveryOf(signed, body), SPEC_SECRET, TS)).toBe(true);
  });

  it('changes with every timestamp, so each attempt gets its own', () => {
    const later = signNotifyKit({ secret: SPEC_SECRET, timestampSeconds: TS + 60, body: BODY });
    expect(later['X-Webhook-Signature']).not.toBe(headers['X-Webhook-Signature']);
    expect(later['X-Webhook-Signature'].startsWith(`t=${TS + 60},`)).toBe(true);
  });
});

describe('NotifyKit signature during a rotation overlap', () => {
  const headers = signNotifyKit({ secret: [NEW, OLD], timestampSeconds: TS, body: BODY });
  const delivery = deliveryOf(headers, BODY);

  it('carries one v1 entry per secret, oldest first and newest last', () => {
    expect(headers['X-Webhook-Signature']).toBe(
      `t=${TS},v1=${hmacHex(OLD, `${TS}.${BODY}`)},v1=${hmacHex(NEW, `${TS}.${BODY}`)}`,
    );
  });

  it('is accepted by the contract verifier with each secret', () => {
    expect(verifyPerContract(delivery, OLD, TS)).toBe(true);
    expect(verifyPerContract(delivery, NEW, TS)).toBe(true);
    expect(verifyPerContract(delivery, SPEC_SECRET, TS)).toBe(false);
  });

  it('lets a last-v1-wins verifier (the SDK) see the newest secret', () => {
    expect(verifyLastV1Only(delivery, NEW, TS)).toBe(true);
    expect(verifyLastV1Only(delivery, OLD, TS)).toBe(false);
  });

  it('writes a repeated secret once', () => {
    const deduped = signNotifyKit({ secret: [NEW, NEW], timestampSeconds: TS, body: BODY });
    expect(parseSignatureHeader(deduped['X-Webhook-Signature']).v1).toHaveLength(1);
  });

  it('equals the single-secret header when given a one-element list', () => {
    expect(signNotifyKit({ secret: [NEW], timestampSeconds: TS, body: BODY })).toEqual(
      signNotifyKit({ secret: NEW, timestampSeconds: TS, body: BODY }),
    );
  });
});

describe('NotifyKit signature input checks', () => {
  it.each([-1, 1.5, Number.NaN, 2 ** 53])('refuses the timestamp %s', (ts) => {
    expect(() => signNotifyKit({ secret: NEW, timestampSeconds: ts, body: BODY })).toThrow(
      RangeError,
    );
  });

  it('refuses missing or empty secrets', () => {
    expect(() => signNotifyKit({ secret: [], timestampSeconds: TS, body: BODY })).toThrow(
      TypeError,
    );
    expect(() => signNotifyKit({ secret: '', timestampSeconds: TS, body: BODY })).toThrow(
      TypeError,
    );
    expect(() => signNotifyKit({ secret: [NEW, ''], timestampSeconds: TS, body: BODY })).toThrow(
      TypeError,
    );
  });
});

describe('Standard Webhooks signature', () => {
  it('reproduces the published test vector (also checked with openssl)', () => {
    expect(
      signStandardWebhooks({
        msgId: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
        timestampSeconds: 1614265330,
        body: '{"test": 2432232314}',
        secrets: [SPEC_SECRET],
      }),
    ).toEqual({
      'webhook-id': 'msg_p5jXN8AQM9LWM0D4loKWxJek',
      'webhook-timestamp': '1614265330',
      'webhook-signature': 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    });
  });

  it('agrees with the standardwebhooks library’s own signer', () => {
    const ts = new Date(TS * 1000);
    const ours = signStandardWebhooks({
      msgId: 'job_x',
      timestampSeconds: TS,
      body: BODY,
      secrets: [NEW],
    });
    expect(ours['webhook-signature']).toBe(new Webhook(NEW).sign('job_x', ts, BODY));
  });

  it('is verified by the standardwebhooks library with each secret of an overlap', () => {
    const nowSeconds = Math.floor(Date.now() / 1000);
    const headers = signStandardWebhooks({
      msgId: 'job_0000000000abcdefghjkmnpqrstv',
      timestampSeconds: nowSeconds,
      body: BODY,
      secrets: [NEW, OLD],
    });
    const signatures = headers['webhook-signature'].split(' ');
    expect(signatures).toHaveLength(2);
    for (const signature of signatures) expect(signature).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
    expect(new Webhook(NEW).verify(BODY, { ...headers })).toEqual(JSON.parse(BODY));
    expect(new Webhook(OLD).verify(BODY, { ...headers })).toEqual(JSON.parse(BODY));
    expect(() => new Webhook(SPEC_SECRET).verify(BODY, { ...headers })).toThrow();
    expect(() => new Webhook(NEW).verify(`${BODY} `, { ...headers })).toThrow();
  });

  it('lists the newest secret first', () => {
    const headers = signStandardWebhooks({
      msgId: 'm',
      timestampSeconds: TS,
      body: BODY,
      secrets: [NEW, OLD],
    });
    const [first, second] = headers['webhook-signature'].split(' ');
    expect(first).toBe(
      signStandardWebhooks({ msgId: 'm', timestampSeconds: TS, body: BODY, secrets: [NEW] })[
        'webhook-signature'
      ],
    );
    expect(second).toBe(
      signStandardWebhooks({ msgId: 'm', timestampSeconds: TS, body: BODY, secrets: [OLD] })[
        'webhook-signature'
      ],
    );
  });

  it('decodes the part after whsec_ as the key, and accepts the bare base64 too', () => {
    expect(standardWebhooksKey(SPEC_SECRET)).toEqual(
      Buffer.from('MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'base64'),
    );
    expect(standardWebhooksKey(SPEC_SECRET)).toHaveLength(24);
    const bare = signStandardWebhooks({
      msgId: 'm',
      timestampSeconds: TS,
      body: BODY,
      secrets: ['MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'],
    });
    const prefixed = signStandardWebhooks({
      msgId: 'm',
      timestampSeconds: TS,
      body: BODY,
      secrets: [SPEC_SECRET],
    });
    expect(bare).toEqual(prefixed);
  });

  it.each(['whsec_', 'whsec_not base64!', 'whsec_abc', 'whsec_YQ', 'whsec_YQ=', '€'])(
    'refuses the secret %j, which has no valid base64 key',
    (secret) => {
      expect(() =>
        signStandardWebhooks({ msgId: 'm', timestampSeconds: TS, body: BODY, secrets: [secret] }),
      ).toThrow(TypeError);
    },
  );

  it('refuses an empty message id, no secrets and bad timestamps', () => {
    expect(() =>
      signStandardWebhooks({ msgId: '', timestampSeconds: TS, body: BODY, secrets: [NEW] }),
    ).toThrow(TypeError);
    expect(() =>
      signStandardWebhooks({ msgId: 'm', timestampSeconds: TS, body: BODY, secrets: [] }),
    ).toThrow(TypeError);
    expect(() =>
      signStandardWebhooks({ msgId: 'm', timestampSeconds: -5, body: BODY, secrets: [NEW] }),
    ).toThrow(RangeError);
  });
});

describe('webhookDeliveryHeaders', () => {
  it('sends only the webhook id when the customer has no secret', () => {
    expect(
      webhookDeliveryHeaders({ jobId: 'job_1', timestampSeconds: TS, body: BODY, secrets: [] }),
    ).toEqual({
      'webhook-id': 'job_1',
    });
  });

  it('sends both schemes with one timestamp when the customer has secrets', () => {
    const headers = webhookDeliveryHeaders({
      jobId: 'job_1',
      timestampSeconds: TS,
      body: BODY,
      secrets: [NEW, OLD],
    });
    expect(Object.keys(headers).sort()).toEqual([
      'X-Webhook-Signature',
      'X-Webhook-Timestamp',
      'webhook-id',
      'webhook-signature',
      'webhook-timestamp',
    ]);
    expect(headers['webhook-id']).toBe('job_1');
    expect(headers['webhook-timestamp']).toBe(String(TS));
    expect(headers['X-Webhook-Timestamp']).toBe(String(TS));
    expect(headers).toEqual({
      ...signStandardWebhooks({
        msgId: 'job_1',
        timestampSeconds: TS,
        body: BODY,
        secrets: [NEW, OLD],
      }),
      ...signNotifyKit({ secret: [NEW, OLD], timestampSeconds: TS, body: BODY }),
    });
  });
});

describe('generateSigningSecret', () => {
  it('is whsec_ followed by the base64 of 32 random bytes', () => {
    const secret = generateSigningSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(standardWebhooksKey(secret)).toHaveLength(32);
  });

  it('never repeats', () => {
    const secrets = new Set(Array.from({ length: 1000 }, generateSigningSecret));
    expect(secrets.size).toBe(1000);
  });

  it('works with both schemes and the standardwebhooks library', () => {
    const secret = generateSigningSecret();
    const nowSeconds = Math.floor(Date.now() / 1000);
    const headers = webhookDeliveryHeaders({
      jobId: 'job_1',
      timestampSeconds: nowSeconds,
      body: BODY,
      secrets: [secret],
    });
    expect(new Webhook(secret).verify(BODY, headers)).toEqual(JSON.parse(BODY));
    const delivery = {
      body: BODY,
      timestampHeader: headers['X-Webhook-Timestamp'] ?? '',
      signatureHeader: headers['X-Webhook-Signature'] ?? '',
    };
    expect(verifyPerContract(delivery, secret, nowSeconds)).toBe(true);
  });
});
