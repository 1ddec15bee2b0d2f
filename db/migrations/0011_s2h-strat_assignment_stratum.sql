ALTER TABLE "assignments" ADD COLUMN "stratum_factor" text;--> statement-breakpoint
ALTER TABLE "assignments" ADD COLUMN "stratum" text;