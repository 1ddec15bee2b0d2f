CREATE TABLE "participant_metrics" (
	"participant_id" uuid PRIMARY KEY NOT NULL,
	"study_id" uuid NOT NULL,
	"turns" integer NOT NULL,
	"assistant_replies" integer NOT NULL,
	"tokens_read" integer NOT NULL,
	"tokens_typed" integer NOT NULL,
	"total_time_sec" double precision,
	"active_time_sec" double precision,
	"model_wait_sec" double precision,
	"algorithm" text NOT NULL,
	"source_seen_at" timestamp with time zone NOT NULL,
	"computed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "participant_metrics" ADD CONSTRAINT "participant_metrics_participant_id_participants_id_fk" FOREIGN KEY ("participant_id") REFERENCES "public"."participants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "participant_metrics" ADD CONSTRAINT "participant_metrics_study_id_studies_id_fk" FOREIGN KEY ("study_id") REFERENCES "public"."studies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "participant_metrics_study_id_index" ON "participant_metrics" USING btree ("study_id");