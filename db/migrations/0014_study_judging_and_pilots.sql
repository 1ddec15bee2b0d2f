CREATE TABLE "study_pilots" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"study_id" uuid NOT NULL,
	"status" "benchmark_run_status" DEFAULT 'queued' NOT NULL,
	"config" jsonb NOT NULL,
	"error" text,
	"created_by_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "study_judge_items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"run_id" uuid NOT NULL,
	"participant_id" uuid NOT NULL,
	"status" "benchmark_item_status" DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"final_document" text,
	"document_source" text,
	"failure" jsonb,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	CONSTRAINT "study_judge_items_runId_participantId_unique" UNIQUE("run_id","participant_id")
);
--> statement-breakpoint
CREATE TABLE "study_judge_runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"study_id" uuid NOT NULL,
	"pilot_id" uuid,
	"status" "benchmark_run_status" DEFAULT 'queued' NOT NULL,
	"config" jsonb NOT NULL,
	"error" text,
	"created_by_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "study_judge_scores" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"item_id" uuid NOT NULL,
	"participant_id" uuid NOT NULL,
	"judge" text NOT NULL,
	"prompt_version" text NOT NULL,
	"metric" text NOT NULL,
	"value" double precision NOT NULL,
	"rationale" text,
	"details" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "study_judge_scores_participantId_judge_metric_unique" UNIQUE("participant_id","judge","metric")
);
--> statement-breakpoint
CREATE TABLE "study_judge_usage" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"run_id" uuid NOT NULL,
	"item_id" uuid,
	"prompt_tokens" integer NOT NULL,
	"completion_tokens" integer NOT NULL,
	"estimated_cost_usd" double precision NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "participants" ADD COLUMN "pilot_id" uuid;--> statement-breakpoint
ALTER TABLE "study_pilots" ADD CONSTRAINT "study_pilots_study_id_studies_id_fk" FOREIGN KEY ("study_id") REFERENCES "public"."studies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "study_pilots" ADD CONSTRAINT "study_pilots_created_by_id_users_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "study_judge_items" ADD CONSTRAINT "study_judge_items_run_id_study_judge_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."study_judge_runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "study_judge_items" ADD CONSTRAINT "study_judge_items_participant_id_participants_id_fk" FOREIGN KEY ("participant_id") REFERENCES "public"."participants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "study_judge_runs" ADD CONSTRAINT "study_judge_runs_study_id_studies_id_fk" FOREIGN KEY ("study_id") REFERENCES "public"."studies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "study_judge_runs" ADD CONSTRAINT "study_judge_runs_pilot_id_study_pilots_id_fk" FOREIGN KEY ("pilot_id") REFERENCES "public"."study_pilots"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "study_judge_runs" ADD CONSTRAINT "study_judge_runs_created_by_id_users_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "study_judge_scores" ADD CONSTRAINT "study_judge_scores_item_id_study_judge_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."study_judge_items"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "study_judge_scores" ADD CONSTRAINT "study_judge_scores_participant_id_participants_id_fk" FOREIGN KEY ("participant_id") REFERENCES "public"."participants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "study_judge_usage" ADD CONSTRAINT "study_judge_usage_run_id_study_judge_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."study_judge_runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "study_judge_usage" ADD CONSTRAINT "study_judge_usage_item_id_study_judge_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."study_judge_items"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "study_pilots_study_id_index" ON "study_pilots" USING btree ("study_id");--> statement-breakpoint
CREATE INDEX "study_judge_items_run_id_status_index" ON "study_judge_items" USING btree ("run_id","status");--> statement-breakpoint
CREATE INDEX "study_judge_runs_study_id_index" ON "study_judge_runs" USING btree ("study_id");--> statement-breakpoint
CREATE INDEX "study_judge_scores_item_id_index" ON "study_judge_scores" USING btree ("item_id");--> statement-breakpoint
CREATE INDEX "study_judge_usage_run_id_index" ON "study_judge_usage" USING btree ("run_id");--> statement-breakpoint
ALTER TABLE "participants" ADD CONSTRAINT "participants_pilot_id_study_pilots_id_fk" FOREIGN KEY ("pilot_id") REFERENCES "public"."study_pilots"("id") ON DELETE cascade ON UPDATE no action;