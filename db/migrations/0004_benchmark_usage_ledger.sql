CREATE TABLE "benchmark_usage" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"run_id" uuid NOT NULL,
	"item_id" uuid,
	"prompt_tokens" integer NOT NULL,
	"completion_tokens" integer NOT NULL,
	"estimated_cost_usd" double precision NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "benchmark_usage" ADD CONSTRAINT "benchmark_usage_run_id_benchmark_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."benchmark_runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "benchmark_usage" ADD CONSTRAINT "benchmark_usage_item_id_benchmark_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."benchmark_items"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "benchmark_usage_run_id_index" ON "benchmark_usage" USING btree ("run_id");--> statement-breakpoint
-- Carry the totals of existing runs over into the ledger before the run-row counters go.
INSERT INTO "benchmark_usage" ("run_id", "prompt_tokens", "completion_tokens", "estimated_cost_usd")
SELECT "id", "prompt_tokens", "completion_tokens", "estimated_cost_usd" FROM "benchmark_runs"
WHERE "prompt_tokens" > 0 OR "completion_tokens" > 0 OR "estimated_cost_usd" > 0;--> statement-breakpoint
ALTER TABLE "benchmark_runs" DROP COLUMN "prompt_tokens";--> statement-breakpoint
ALTER TABLE "benchmark_runs" DROP COLUMN "completion_tokens";--> statement-breakpoint
ALTER TABLE "benchmark_runs" DROP COLUMN "estimated_cost_usd";