import { logger } from '~/server/lib/logger';

/**
 * A pull-based response body of newline-terminated lines: the next line (and so the next database page behind the
 * generator) is read only when the client has taken the previous bytes, and a closed download stops the generator.
 * Shared by every JSONL download (benchmark runs, datasets, the trainer's dataset link).
 */
export function lineStreamBody(lines: AsyncGenerator<string, unknown, undefined>, failure: { message: string; context: Record<string, unknown> }): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await lines.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(`${next.value}\n`));
      } catch (err) {
        logger.error(failure.message, { ...failure.context, error: err });
        controller.error(err);
      }
    },
    async cancel() {
      await lines.return(undefined);
    },
  });
}
