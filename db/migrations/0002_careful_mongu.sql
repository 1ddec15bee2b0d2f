CREATE TYPE "public"."job_status" AS ENUM('queued', 'active', 'completed', 'failed', 'cancelled');--> statement-breakpoint
CREATE TABLE "job_groups" (
	"key" text PRIMARY KEY NOT NULL,
	"concurrency" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "jobs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"payload" jsonb NOT NULL,
	"key" text,
	"group_key" text,
	"status" "job_status" DEFAULT 'queued' NOT NULL,
	"priority" integer DEFAULT 0 NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"max_attempts" integer DEFAULT 5 NOT NULL,
	"run_after" timestamp with time zone DEFAULT now() NOT NULL,
	"locked_by" text,
	"locked_until" timestamp with time zone,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	CONSTRAINT "jobs_key_unique" UNIQUE("key")
);
--> statement-breakpoint
CREATE INDEX "jobs_status_kind_run_after_index" ON "jobs" USING btree ("status","kind","run_after");--> statement-breakpoint
CREATE INDEX "jobs_group_key_status_index" ON "jobs" USING btree ("group_key","status");