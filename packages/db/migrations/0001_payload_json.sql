-- CONTRACT §6: a webhook body is the exact JSON serialization of the customer's payload. jsonb
-- re-orders object keys (shortest first), json keeps the text as the API wrote it.
ALTER TABLE "jobs" ALTER COLUMN "payload" SET DATA TYPE json;
