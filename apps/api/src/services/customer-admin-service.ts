import { parseId } from '@notifykit/core';
import type {
  ApiKeysRepository,
  CustomerPatch,
  CustomerRecord,
  CustomersRepository,
  NewCustomer,
  PageRequest,
} from '@notifykit/db';
import { generateApiKey } from '../auth/api-key-material.ts';
import { badRequest, notFound } from '../http/api-error.ts';
import type {
  ApiKeyView,
  CreatedApiKey,
  CreatedCustomer,
  CustomerList,
  CustomerView,
} from './customer-admin-schemas.ts';
import { toApiKeyView, toCustomerView } from './customer-admin-views.ts';

/** 404 sentence for an unknown or malformed customer id. */
export const CUSTOMER_NOT_FOUND = 'Customer not found';
/** 404 sentence for a key that does not exist or belongs to another customer. */
export const API_KEY_NOT_FOUND = 'API key not found';
/** 400 sentence for an update that changes nothing (most likely a mistake worth reporting). */
export const EMPTY_UPDATE =
  'Nothing to update: give at least one of name, email, plan, isActive, monthlyQuota, rateLimitPerMinute';

/**
 * Everything an operator can do to customers and their keys. The admin routes and the
 * `notifykit-admin` CLI both call this one module, so the rules live in one place. Inputs are
 * validated by the callers against customer-admin-schemas.ts; failures throw ApiError.
 */
export interface CustomerAdminService {
  /** Creates a customer with its first API key; the plaintext key is returned only here. */
  createCustomer(input: NewCustomer): Promise<CreatedCustomer>;
  listCustomers(page: PageRequest): Promise<CustomerList>;
  getCustomer(customerId: string): Promise<CustomerView>;
  updateCustomer(customerId: string, patch: CustomerPatch): Promise<CustomerView>;
  /** Issues another key (rotation without downtime); the plaintext is returned only here. */
  createApiKey(customerId: string): Promise<CreatedApiKey>;
  listApiKeys(customerId: string): Promise<ApiKeyView[]>;
  /** Revokes one key; revoking an already revoked key answers the same record again. */
  revokeApiKey(customerId: string, keyId: string): Promise<ApiKeyView>;
}

/** What the service needs: repositories, plus a hook to drop cached auth for a customer. */
export interface CustomerAdminServiceDeps {
  customers: CustomersRepository;
  apiKeys: ApiKeysRepository;
  /**
   * Called after any change that affects authentication or limits (plan, overrides,
   * activation, key revocation), so this process stops serving a cached view of the customer.
   */
  onCustomerChanged?: (customerId: string) => void;
}

/** Builds the operator service over the given repositories. */
export function createCustomerAdminService(deps: CustomerAdminServiceDeps): CustomerAdminService {
  const changed = (customerId: string) => deps.onCustomerChanged?.(customerId);

  // A malformed id cannot exist, so it is answered like an unknown one without a query.
  const findCustomer = async (customerId: string): Promise<CustomerRecord> => {
    const customer = parseId(customerId, 'cus') ? await deps.customers.findById(customerId) : null;
    if (!customer) throw notFound(CUSTOMER_NOT_FOUND);
    return customer;
  };

  return {
    async createCustomer(input) {
      const key = generateApiKey();
      const created = await deps.customers.createWithApiKey(input, {
        keyHash: key.keyHash,
        lastFour: key.lastFour,
      });
      return {
        customer: toCustomerView(created.customer),
        apiKey: key.plaintext,
        key: toApiKeyView(created.apiKey),
      };
    },

    async listCustomers(page) {
      const { rows, total } = await deps.customers.list(page);
      return {
        data: rows.map(toCustomerView),
        pagination: {
          page: page.page,
          limit: page.limit,
          total,
          totalPages: Math.ceil(total / page.limit),
        },
      };
    },

    async getCustomer(customerId) {
      return toCustomerView(await findCustomer(customerId));
    },

    async updateCustomer(customerId, patch) {
      if (Object.values(patch).every((value) => value === undefined)) {
        throw badRequest(EMPTY_UPDATE);
      }
      const updated = parseId(customerId, 'cus')
        ? await deps.customers.update(customerId, patch)
        : null;
      if (!updated) throw notFound(CUSTOMER_NOT_FOUND);
      changed(customerId);
      return toCustomerView(updated);
    },

    async createApiKey(customerId) {
      const customer = await findCustomer(customerId);
      const key = generateApiKey();
      const record = await deps.apiKeys.create(customer.id, {
        keyHash: key.keyHash,
        lastFour: key.lastFour,
      });
      return { apiKey: key.plaintext, key: toApiKeyView(record) };
    },

    async listApiKeys(customerId) {
      const customer = await findCustomer(customerId);
      const keys = await deps.apiKeys.listForCustomer(customer.id);
      return keys.map(toApiKeyView);
    },

    async revokeApiKey(customerId, keyId) {
      const customer = await findCustomer(customerId);
      const revoked = parseId(keyId, 'key') ? await deps.apiKeys.revoke(customer.id, keyId) : null;
      if (!revoked) throw notFound(API_KEY_NOT_FOUND);
      changed(customer.id);
      return toApiKeyView(revoked);
    },
  };
}
