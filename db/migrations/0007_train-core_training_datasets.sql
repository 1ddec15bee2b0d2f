CREATE TYPE "public"."reward_evaluation_source" AS ENUM('dataset', 'api');--> statement-breakpoint
CREATE TYPE "public"."reward_evaluation_status" AS ENUM('scoring', 'scored', 'failed', 'cancelled');--> statement-breakpoint
CREATE TYPE "public"."training_conversation_status" AS ENUM('pending', 'running', 'completed', 'failed', 'cancelled');--> statement-breakpoint
CREATE TYPE "public"."training_dataset_source" AS ENUM('synthetic', 'human_study');--> statement-breakpoint
CREATE TYPE "public"."training_dataset_status" AS ENUM('queued', 'generating', 'ready', 'failed', 'cancelled');--> statement-breakpoint
CREATE TYPE "public"."training_split" AS ENUM('train', 'eval');--> statement-breakpoint
CREATE TABLE "reward_candidates" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"evaluation_id" uuid NOT NULL,
	"idx" integer NOT NULL,
	"content" text NOT NULL,
	"origin" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"mean" double precision,
	"std" double precision,
	"components" jsonb,
	"scored_at" timestamp with time zone,
	CONSTRAINT "reward_candidates_evaluationId_idx_unique" UNIQUE("evaluation_id","idx")
);
--> statement-breakpoint
CREATE TABLE "reward_evaluations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"source" "reward_evaluation_source" NOT NULL,
	"dataset_id" uuid,
	"conversation_id" uuid,
	"turn_index" integer,
	"prefix" jsonb NOT NULL,
	"task" jsonb NOT NULL,
	"settings" jsonb NOT NULL,
	"seed" text NOT NULL,
	"status" "reward_evaluation_status" DEFAULT 'scoring' NOT NULL,
	"error" text,
	"is_demo" boolean DEFAULT false NOT NULL,
	"created_by_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	CONSTRAINT "reward_evaluations_conversationId_turnIndex_unique" UNIQUE("conversation_id","turn_index")
);
--> statement-breakpoint
CREATE TABLE "reward_samples" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"evaluation_id" uuid NOT NULL,
	"candidate_id" uuid NOT NULL,
	"sample_index" integer NOT NULL,
	"continuation" jsonb NOT NULL,
	"ended_by" text NOT NULL,
	"reward" double precision NOT NULL,
	"components" jsonb NOT NULL,
	"usage" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "reward_samples_candidateId_sampleIndex_unique" UNIQUE("candidate_id","sample_index")
);
--> statement-breakpoint
CREATE TABLE "training_conversations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"dataset_id" uuid NOT NULL,
	"idx" integer NOT NULL,
	"split" "training_split" DEFAULT 'train' NOT NULL,
	"status" "training_conversation_status" DEFAULT 'pending' NOT NULL,
	"task_id" uuid,
	"source_ref" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"messages" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"end_reason" text,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	CONSTRAINT "training_conversations_datasetId_idx_unique" UNIQUE("dataset_id","idx")
);
--> statement-breakpoint
CREATE TABLE "training_datasets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"version" integer NOT NULL,
	"source_kind" "training_dataset_source" NOT NULL,
	"status" "training_dataset_status" DEFAULT 'queued' NOT NULL,
	"settings" jsonb NOT NULL,
	"seed" text NOT NULL,
	"split_seed" text NOT NULL,
	"eval_ratio" double precision DEFAULT 0.1 NOT NULL,
	"counts" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"is_demo" boolean DEFAULT false NOT NULL,
	"error" text,
	"app_version" text NOT NULL,
	"created_by_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	CONSTRAINT "training_datasets_name_version_unique" UNIQUE("name","version")
);
--> statement-breakpoint
CREATE TABLE "training_turns" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"dataset_id" uuid NOT NULL,
	"conversation_id" uuid NOT NULL,
	"turn_index" integer NOT NULL,
	"prompt" jsonb NOT NULL,
	"evaluation_id" uuid,
	"chosen_candidate_id" uuid,
	"completion" text NOT NULL,
	"rejected_candidate_id" uuid,
	"rejected_completion" text,
	"chosen_mr" double precision,
	"rejected_mr" double precision,
	"ratings" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "training_turns_conversationId_turnIndex_unique" UNIQUE("conversation_id","turn_index")
);
--> statement-breakpoint
ALTER TABLE "reward_candidates" ADD CONSTRAINT "reward_candidates_evaluation_id_reward_evaluations_id_fk" FOREIGN KEY ("evaluation_id") REFERENCES "public"."reward_evaluations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reward_evaluations" ADD CONSTRAINT "reward_evaluations_dataset_id_training_datasets_id_fk" FOREIGN KEY ("dataset_id") REFERENCES "public"."training_datasets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reward_evaluations" ADD CONSTRAINT "reward_evaluations_conversation_id_training_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."training_conversations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reward_evaluations" ADD CONSTRAINT "reward_evaluations_created_by_id_users_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reward_samples" ADD CONSTRAINT "reward_samples_evaluation_id_reward_evaluations_id_fk" FOREIGN KEY ("evaluation_id") REFERENCES "public"."reward_evaluations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reward_samples" ADD CONSTRAINT "reward_samples_candidate_id_reward_candidates_id_fk" FOREIGN KEY ("candidate_id") REFERENCES "public"."reward_candidates"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_conversations" ADD CONSTRAINT "training_conversations_dataset_id_training_datasets_id_fk" FOREIGN KEY ("dataset_id") REFERENCES "public"."training_datasets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_datasets" ADD CONSTRAINT "training_datasets_created_by_id_users_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_turns" ADD CONSTRAINT "training_turns_dataset_id_training_datasets_id_fk" FOREIGN KEY ("dataset_id") REFERENCES "public"."training_datasets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_turns" ADD CONSTRAINT "training_turns_conversation_id_training_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."training_conversations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_turns" ADD CONSTRAINT "training_turns_evaluation_id_reward_evaluations_id_fk" FOREIGN KEY ("evaluation_id") REFERENCES "public"."reward_evaluations"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_turns" ADD CONSTRAINT "training_turns_chosen_candidate_id_reward_candidates_id_fk" FOREIGN KEY ("chosen_candidate_id") REFERENCES "public"."reward_candidates"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_turns" ADD CONSTRAINT "training_turns_rejected_candidate_id_reward_candidates_id_fk" FOREIGN KEY ("rejected_candidate_id") REFERENCES "public"."reward_candidates"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "reward_evaluations_dataset_id_index" ON "reward_evaluations" USING btree ("dataset_id");--> statement-breakpoint
CREATE INDEX "reward_evaluations_created_at_index" ON "reward_evaluations" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "reward_samples_evaluation_id_index" ON "reward_samples" USING btree ("evaluation_id");--> statement-breakpoint
CREATE INDEX "training_conversations_dataset_id_status_index" ON "training_conversations" USING btree ("dataset_id","status");--> statement-breakpoint
CREATE INDEX "training_datasets_created_at_index" ON "training_datasets" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "training_turns_dataset_id_index" ON "training_turns" USING btree ("dataset_id");