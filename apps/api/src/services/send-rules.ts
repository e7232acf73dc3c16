import {
  type AllowedDestinations,
  type EmailSendRequest,
  emailRequestProblems,
  type FieldProblem,
  MISSING_SENDGRID_KEY_MESSAGE,
  type PlanLimits,
  type WebhookSendRequest,
  webhookRequestProblems,
} from '@notifykit/core';
import type { CustomerRecord } from '@notifykit/db';
import type { ApiEnv } from '../env.ts';
import { ApiError, badRequest } from '../http/api-error.ts';

/** Client-facing sentences of the send and retry rules (CONTRACT §3–4; exact strings). */
export const SEND_RULE_MESSAGES = {
  customFromRequiresPaidPlan: 'Custom from addresses require a paid plan',
  sendgridKeyMissing: MISSING_SENDGRID_KEY_MESSAGE,
} as const;

function assertNoProblems(problems: FieldProblem[]): void {
  const [first] = problems;
  if (first) throw badRequest(first.message, problems);
}

/** True when the customer's plan sends email with their own SendGrid key and none is stored. */
export function isEmailKeyMissing(
  customer: Pick<CustomerRecord, 'sendgridKey'>,
  limits: PlanLimits,
): boolean {
  return limits.emailKeySource === 'customer' && customer.sendgridKey === null;
}

/** The 400 for {@link isEmailKeyMissing}; shared by send and retry. */
export function emailKeyMissingError(): ApiError {
  return new ApiError(400, SEND_RULE_MESSAGES.sendgridKeyMissing);
}

/** What a schema-valid email request must also satisfy: content rules, then plan rules. */
export function assertEmailSendable(
  request: EmailSendRequest,
  customer: Pick<CustomerRecord, 'sendgridKey'>,
  limits: PlanLimits,
): void {
  assertNoProblems(emailRequestProblems(request));
  if (request.from !== undefined && !limits.customFromAllowed) {
    throw badRequest(SEND_RULE_MESSAGES.customFromRequiresPaidPlan, [
      { field: 'from', message: SEND_RULE_MESSAGES.customFromRequiresPaidPlan },
    ]);
  }
  if (isEmailKeyMissing(customer, limits)) throw emailKeyMissingError();
}

/** What a schema-valid webhook request must also satisfy under the operator's settings. */
export function assertWebhookSendable(
  request: WebhookSendRequest,
  env: Pick<ApiEnv, 'WEBHOOK_ALLOW_HTTP' | 'WEBHOOK_ALLOW_PRIVATE' | 'WEBHOOK_PAYLOAD_MAX_BYTES'>,
  allowed: AllowedDestinations,
): void {
  assertNoProblems(
    webhookRequestProblems(request, {
      allowHttp: env.WEBHOOK_ALLOW_HTTP,
      allowPrivate: env.WEBHOOK_ALLOW_PRIVATE,
      allowed,
      maxPayloadBytes: env.WEBHOOK_PAYLOAD_MAX_BYTES,
    }),
  );
}
