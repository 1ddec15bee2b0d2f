CREATE TABLE "web_processes" (
	"id" uuid PRIMARY KEY NOT NULL,
	"hostname" text NOT NULL,
	"pid" integer NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"heartbeat_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "owner_process_id" uuid;--> statement-breakpoint
ALTER TABLE "jobs" ADD COLUMN "lease" integer DEFAULT 0 NOT NULL;