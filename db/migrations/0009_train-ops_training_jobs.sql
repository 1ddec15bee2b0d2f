CREATE TYPE "public"."training_event_kind" AS ENUM('status', 'provider', 'callback', 'log');--> statement-breakpoint
CREATE TYPE "public"."training_job_status" AS ENUM('preparing', 'submitted', 'running', 'succeeded', 'failed', 'cancelled');--> statement-breakpoint
CREATE TYPE "public"."training_method" AS ENUM('sft', 'dpo');--> statement-breakpoint
CREATE TYPE "public"."training_provider" AS ENUM('openai', 'webhook');--> statement-breakpoint
CREATE TABLE "trained_model_runs" (
	"trained_model_id" uuid NOT NULL,
	"run_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "trained_model_runs_trainedModelId_runId_unique" UNIQUE("trained_model_id","run_id")
);
--> statement-breakpoint
CREATE TABLE "trained_models" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"job_id" uuid NOT NULL,
	"label" text NOT NULL,
	"connection_id" uuid,
	"model" text NOT NULL,
	"base_connection_id" uuid,
	"base_model" text NOT NULL,
	"registered_by_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "trained_models_jobId_unique" UNIQUE("job_id")
);
--> statement-breakpoint
CREATE TABLE "training_callback_nonces" (
	"job_id" uuid NOT NULL,
	"nonce" text NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "training_callback_nonces_jobId_nonce_unique" UNIQUE("job_id","nonce")
);
--> statement-breakpoint
CREATE TABLE "training_download_tokens" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"job_id" uuid NOT NULL,
	"token_hash" text NOT NULL,
	"purpose" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	"downloads" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "training_download_tokens_tokenHash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
CREATE TABLE "training_job_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"job_id" uuid NOT NULL,
	"kind" "training_event_kind" NOT NULL,
	"level" text DEFAULT 'info' NOT NULL,
	"message" text NOT NULL,
	"data" jsonb,
	"provider_event_id" text,
	"occurred_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "training_job_events_jobId_providerEventId_unique" UNIQUE("job_id","provider_event_id")
);
--> statement-breakpoint
CREATE TABLE "training_jobs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"dataset_id" uuid NOT NULL,
	"dataset_version" integer,
	"dataset_name" text NOT NULL,
	"export_format" text NOT NULL,
	"method" "training_method" NOT NULL,
	"base_model" text NOT NULL,
	"hyperparameters" jsonb NOT NULL,
	"provider" "training_provider" NOT NULL,
	"connection_id" uuid,
	"webhook_url" text,
	"status" "training_job_status" DEFAULT 'preparing' NOT NULL,
	"status_reason" text,
	"provider_status" text,
	"provider_job_id" text,
	"provider_file_id" text,
	"provider_validation_file_id" text,
	"fine_tuned_model" text,
	"result_endpoint" jsonb,
	"progress" double precision,
	"trained_tokens" integer,
	"cost_usd" double precision,
	"seed" integer,
	"step_seq" integer DEFAULT 0 NOT NULL,
	"last_provider_event_id" text,
	"idle_polls" integer DEFAULT 0 NOT NULL,
	"cancel_requested_at" timestamp with time zone,
	"created_by_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"submitted_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "trained_model_runs" ADD CONSTRAINT "trained_model_runs_trained_model_id_trained_models_id_fk" FOREIGN KEY ("trained_model_id") REFERENCES "public"."trained_models"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trained_model_runs" ADD CONSTRAINT "trained_model_runs_run_id_benchmark_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."benchmark_runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trained_models" ADD CONSTRAINT "trained_models_job_id_training_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."training_jobs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trained_models" ADD CONSTRAINT "trained_models_connection_id_llm_connections_id_fk" FOREIGN KEY ("connection_id") REFERENCES "public"."llm_connections"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trained_models" ADD CONSTRAINT "trained_models_base_connection_id_llm_connections_id_fk" FOREIGN KEY ("base_connection_id") REFERENCES "public"."llm_connections"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trained_models" ADD CONSTRAINT "trained_models_registered_by_id_users_id_fk" FOREIGN KEY ("registered_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_callback_nonces" ADD CONSTRAINT "training_callback_nonces_job_id_training_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."training_jobs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_download_tokens" ADD CONSTRAINT "training_download_tokens_job_id_training_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."training_jobs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_job_events" ADD CONSTRAINT "training_job_events_job_id_training_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."training_jobs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_jobs" ADD CONSTRAINT "training_jobs_connection_id_llm_connections_id_fk" FOREIGN KEY ("connection_id") REFERENCES "public"."llm_connections"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_jobs" ADD CONSTRAINT "training_jobs_created_by_id_users_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "training_job_events_job_id_created_at_index" ON "training_job_events" USING btree ("job_id","created_at");--> statement-breakpoint
CREATE INDEX "training_jobs_dataset_id_index" ON "training_jobs" USING btree ("dataset_id");--> statement-breakpoint
CREATE INDEX "training_jobs_status_index" ON "training_jobs" USING btree ("status");