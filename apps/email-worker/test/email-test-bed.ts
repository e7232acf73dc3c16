import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import {
  createSecretBox,
  type EmailPayload,
  type PlanName,
  parseEncryptionKeys,
  type SecretBox,
} from '@notifykit/core';
import {
  type ClaimedJob,
  type CustomerRecord,
  type CustomersRepository,
  createCustomersRepository,
  createDatabase,
  createJobLifecycleRepository,
  createJobsRepository,
  type DatabaseConnection,
  type JobLifecycleRepository,
  type JobsRepository,
  migrateDatabase,
} from '@notifykit/db';
import { createLogger, type Logger } from '@notifykit/runtime';
import { type SendGridServer, startSendGridServer, useTestDatabase } from '@notifykit/testing';
import { afterAll, afterEach, beforeAll } from 'vitest';

/** The operator's SendGrid key in tests. */
export const OPERATOR_KEY = 'SG.operator-test-key';
/** The sender every test worker is configured with. */
export const DEFAULT_FROM = 'NotifyKit <no-reply@notifykit.test>';

/** A logger that writes JSON lines into memory, for asserting on (and searching) what was logged. */
export interface CapturedLogger {
  logger: Logger;
  readonly lines: string[];
  /** Parsed lines whose `msg` equals `message`. */
  withMessage(message: string): Record<string, unknown>[];
}

/** Builds a {@link CapturedLogger} through the same createLogger (with redaction) the apps use. */
export function captureLogger(level = 'debug'): CapturedLogger {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line) lines.push(line);
      done();
    },
  });
  return {
    logger: createLogger({ name: 'email-worker-test', level, destination }),
    lines,
    withMessage: (message) =>
      lines
        .map((line) => JSON.parse(line) as Record<string, unknown>)
        .filter((line) => line.msg === message),
  };
}

/** Everything a test of the email worker needs: a migrated database, repositories, a SendGrid. */
export interface EmailTestBed {
  readonly database: DatabaseConnection;
  readonly databaseUrl: string;
  readonly customers: CustomersRepository;
  readonly jobs: JobsRepository;
  readonly lifecycle: JobLifecycleRepository;
  readonly secretBox: SecretBox;
  /** The ENCRYPTION_KEYS value the secret box was built from. */
  readonly encryptionKeys: string;
  readonly sendgrid: SendGridServer;
  /** A customer on `plan`, with a stored (encrypted) SendGrid key when `sendgridKey` is given. */
  createCustomer(plan: PlanName, sendgridKey?: string): Promise<CustomerRecord>;
  /** Inserts a pending email job for `customer` and returns its id. */
  createEmailJob(customer: CustomerRecord, payload?: Partial<EmailPayload>): Promise<string>;
  /** Claims a pending job the way the runner does. */
  claim(jobId: string): Promise<ClaimedJob>;
}

/** A payload with a recipient, subject and HTML body that are easy to recognise. */
export function emailPayload(overrides: Partial<EmailPayload> = {}): EmailPayload {
  return {
    to: 'reader@example.com',
    subject: 'Your order has shipped',
    body: '<h1>Good news</h1><p>Your order is on its way.</p>',
    from: null,
    ...overrides,
  };
}

/** Registers hooks giving the test file a database, repositories and a local SendGrid server. */
export function useEmailTestBed(): EmailTestBed {
  const testDatabase = useTestDatabase({ migrate: migrateDatabase });
  const encryptionKeys = `test1:${randomBytes(32).toString('base64')}`;
  const secretBox = createSecretBox(parseEncryptionKeys(encryptionKeys));
  let database: DatabaseConnection | undefined;
  let sendgrid: SendGridServer | undefined;
  // Every key a customer stored is one the local SendGrid accepts, like real SendGrid accounts.
  const acceptedKeys = new Set([OPERATOR_KEY]);

  beforeAll(async () => {
    database = createDatabase(testDatabase.url, { max: 5 });
    sendgrid = await startSendGridServer({ apiKeys: [OPERATOR_KEY] });
  });
  afterEach(() => {
    sendgrid?.clear();
    sendgrid?.setApiKeys([...acceptedKeys]);
  });
  afterAll(async () => {
    await sendgrid?.close();
    await database?.close();
  });

  const db = () => {
    if (!database) throw new Error('the test bed is only available inside tests and hooks');
    return database;
  };
  const server = () => {
    if (!sendgrid) throw new Error('the test bed is only available inside tests and hooks');
    return sendgrid;
  };

  return {
    get database() {
      return db();
    },
    get databaseUrl() {
      return testDatabase.url;
    },
    get customers() {
      return createCustomersRepository(db().db);
    },
    get jobs() {
      return createJobsRepository(db().db);
    },
    get lifecycle() {
      return createJobLifecycleRepository(db().db);
    },
    secretBox,
    encryptionKeys,
    get sendgrid() {
      return server();
    },
    async createCustomer(plan, sendgridKey) {
      const customers = createCustomersRepository(db().db);
      const customer = await customers.create({
        name: `${plan} customer`,
        email: `${randomBytes(4).toString('hex')}@customer.test`,
        plan,
      });
      if (sendgridKey !== undefined) {
        acceptedKeys.add(sendgridKey);
        server().setApiKeys([...acceptedKeys]);
        await customers.setSendgridKey(customer.id, {
          ciphertext: secretBox.encrypt(sendgridKey),
          lastFour: sendgridKey.slice(-4),
        });
      }
      return customer;
    },
    async createEmailJob(customer, payload = {}) {
      const inserted = await createJobsRepository(db().db).insert({
        customerId: customer.id,
        type: 'email',
        payload: { ...emailPayload(payload) },
      });
      return inserted.job.id;
    },
    async claim(jobId) {
      const claimed = await createJobLifecycleRepository(db().db).claimJob(jobId);
      if (!claimed) throw new Error(`job ${jobId} could not be claimed`);
      return claimed;
    },
  };
}
