CREATE TYPE "public"."attempt_status" AS ENUM('success', 'failed');--> statement-breakpoint
CREATE TYPE "public"."job_status" AS ENUM('pending', 'processing', 'completed', 'failed');--> statement-breakpoint
CREATE TYPE "public"."job_type" AS ENUM('email', 'webhook');--> statement-breakpoint
CREATE TYPE "public"."plan" AS ENUM('free', 'indie', 'startup', 'enterprise');--> statement-breakpoint
CREATE TABLE "api_keys" (
	"id" text PRIMARY KEY NOT NULL,
	"customer_id" text NOT NULL,
	"key_hash" text NOT NULL,
	"last_four" text NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp (3) with time zone,
	"last_used_at" timestamp (3) with time zone,
	CONSTRAINT "api_keys_key_hash_unique" UNIQUE("key_hash"),
	CONSTRAINT "api_keys_key_hash_check" CHECK ("api_keys"."key_hash" ~ '^[0-9a-f]{64}$')
);
--> statement-breakpoint
CREATE TABLE "customers" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"email" text NOT NULL,
	"plan" "plan" DEFAULT 'free' NOT NULL,
	"is_active" boolean DEFAULT true NOT NULL,
	"monthly_quota" integer,
	"monthly_quota_unlimited" boolean DEFAULT false NOT NULL,
	"rate_limit_per_minute" integer,
	"rate_limit_unlimited" boolean DEFAULT false NOT NULL,
	"sendgrid_key_ciphertext" text,
	"sendgrid_key_last_four" text,
	"sendgrid_key_updated_at" timestamp (3) with time zone,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "customers_monthly_quota_check" CHECK ("customers"."monthly_quota" >= 0),
	CONSTRAINT "customers_monthly_quota_override_check" CHECK (NOT ("customers"."monthly_quota_unlimited" AND "customers"."monthly_quota" IS NOT NULL)),
	CONSTRAINT "customers_rate_limit_per_minute_check" CHECK ("customers"."rate_limit_per_minute" >= 0),
	CONSTRAINT "customers_rate_limit_override_check" CHECK (NOT ("customers"."rate_limit_unlimited" AND "customers"."rate_limit_per_minute" IS NOT NULL)),
	CONSTRAINT "customers_sendgrid_key_check" CHECK (("customers"."sendgrid_key_ciphertext" IS NULL) = ("customers"."sendgrid_key_last_four" IS NULL)
        AND ("customers"."sendgrid_key_ciphertext" IS NULL) = ("customers"."sendgrid_key_updated_at" IS NULL))
);
--> statement-breakpoint
CREATE TABLE "delivery_attempts" (
	"id" text PRIMARY KEY NOT NULL,
	"job_id" text NOT NULL,
	"customer_id" text NOT NULL,
	"attempt_number" integer NOT NULL,
	"status" "attempt_status" NOT NULL,
	"status_code" integer,
	"duration_ms" integer NOT NULL,
	"error_message" text,
	"response_prefix" text,
	"provider_message_id" text,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "delivery_attempts_attempt_number_check" CHECK ("delivery_attempts"."attempt_number" >= 1),
	CONSTRAINT "delivery_attempts_duration_ms_check" CHECK ("delivery_attempts"."duration_ms" >= 0)
);
--> statement-breakpoint
CREATE TABLE "jobs" (
	"id" text PRIMARY KEY NOT NULL,
	"customer_id" text NOT NULL,
	"type" "job_type" NOT NULL,
	"status" "job_status" DEFAULT 'pending' NOT NULL,
	"priority" smallint DEFAULT 5 NOT NULL,
	"payload" jsonb NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"max_attempts" integer DEFAULT 3 NOT NULL,
	"attempt_sequence" integer DEFAULT 0 NOT NULL,
	"error_message" text,
	"idempotency_key" text,
	"request_fingerprint" text,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp (3) with time zone,
	"completed_at" timestamp (3) with time zone,
	"next_attempt_at" timestamp (3) with time zone,
	CONSTRAINT "jobs_priority_check" CHECK ("jobs"."priority" IN (1, 5, 10)),
	CONSTRAINT "jobs_attempts_check" CHECK ("jobs"."attempts" >= 0 AND "jobs"."attempts" <= "jobs"."attempt_sequence"),
	CONSTRAINT "jobs_max_attempts_check" CHECK ("jobs"."max_attempts" >= 1),
	CONSTRAINT "jobs_idempotency_check" CHECK ("jobs"."idempotency_key" IS NULL OR "jobs"."request_fingerprint" IS NOT NULL)
);
--> statement-breakpoint
CREATE TABLE "monthly_usage" (
	"customer_id" text NOT NULL,
	"period" text NOT NULL,
	"email_count" integer DEFAULT 0 NOT NULL,
	"webhook_count" integer DEFAULT 0 NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "monthly_usage_pk" PRIMARY KEY("customer_id","period"),
	CONSTRAINT "monthly_usage_period_check" CHECK ("monthly_usage"."period" ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
	CONSTRAINT "monthly_usage_counts_check" CHECK ("monthly_usage"."email_count" >= 0 AND "monthly_usage"."webhook_count" >= 0)
);
--> statement-breakpoint
CREATE TABLE "webhook_signing_secrets" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "webhook_signing_secrets_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"customer_id" text NOT NULL,
	"secret_ciphertext" text NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp (3) with time zone
);
--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "delivery_attempts" ADD CONSTRAINT "delivery_attempts_job_id_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."jobs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "delivery_attempts" ADD CONSTRAINT "delivery_attempts_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "jobs" ADD CONSTRAINT "jobs_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "monthly_usage" ADD CONSTRAINT "monthly_usage_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_signing_secrets" ADD CONSTRAINT "webhook_signing_secrets_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "api_keys_customer_created_idx" ON "api_keys" USING btree ("customer_id","created_at" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "customers_created_at_idx" ON "customers" USING btree ("created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE UNIQUE INDEX "delivery_attempts_job_attempt_unique" ON "delivery_attempts" USING btree ("job_id","attempt_number");--> statement-breakpoint
CREATE UNIQUE INDEX "jobs_customer_idempotency_key_unique" ON "jobs" USING btree ("customer_id","idempotency_key") WHERE "jobs"."idempotency_key" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "jobs_customer_created_idx" ON "jobs" USING btree ("customer_id","created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "jobs_customer_status_created_idx" ON "jobs" USING btree ("customer_id","status","created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "jobs_customer_type_created_idx" ON "jobs" USING btree ("customer_id","type","created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "jobs_customer_type_status_created_idx" ON "jobs" USING btree ("customer_id","type","status","created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "jobs_sweeper_idx" ON "jobs" USING btree ("status",coalesce("next_attempt_at", "updated_at")) WHERE "jobs"."status" IN ('pending', 'processing');--> statement-breakpoint
CREATE UNIQUE INDEX "webhook_signing_secrets_current_unique" ON "webhook_signing_secrets" USING btree ("customer_id") WHERE "webhook_signing_secrets"."expires_at" IS NULL;--> statement-breakpoint
CREATE INDEX "webhook_signing_secrets_customer_idx" ON "webhook_signing_secrets" USING btree ("customer_id","created_at" DESC NULLS FIRST);