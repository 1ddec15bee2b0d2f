ALTER TABLE "study_versions" ADD COLUMN "draft_preview" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "participants" ADD COLUMN "preview_arm_key" text;