import { createBullBoard } from "@bull-board/api";
import type { ControllerHandlerReturnType } from "@bull-board/api/typings/app";
import { BullMQAdapter } from "@bull-board/api/bullMQAdapter";
import { FastifyAdapter as BullBoardAdapter } from "@bull-board/fastify";
import type { NestFastifyApplication } from "@nestjs/platform-fastify";
import type { Queue } from "bullmq";
import { isDependencyDown } from "./error.filter";

export const QUEUE_BOARD_PATH = "/queues";

/**
 * What the queue board answers when one of its handlers throws. Bull Board answers 500 to all of
 * it, but what its API throws on hostile input is the request's fault: a value it decodes once more
 * (`activeQueue=%25` → "URI malformed"), JSON it parses from a parameter, arguments Redis refuses.
 * Those are 400s, Redis being down a 503; anything else stays a 500 (a bug).
 */
function queueBoardError(error: Error & { statusCode?: number }): ControllerHandlerReturnType {
  const message = String(error.message ?? error)
    .split("\n")[0]
    .slice(0, 300);
  if (typeof error.statusCode === "number" && error.statusCode >= 400 && error.statusCode < 500)
    return answer(error.statusCode, "invalid_request", message);
  if (isDependencyDown(error)) return answer(503, "unavailable", "Redis is unavailable; retry shortly");
  if (
    error instanceof URIError ||
    error instanceof SyntaxError ||
    error instanceof RangeError ||
    /^ERR\b/.test(message)
  )
    return answer(400, "invalid_request", `the queue board cannot use this request: ${message}`);
  return answer(500, "internal", "the queue board failed");
}

/** Bull Board's type lists fewer statuses than its Fastify adapter sends (any). */
const answer = (status: number, error: string, message: string) =>
  ({ status, body: { error, message } }) as unknown as ControllerHandlerReturnType;

/** Bull Board for inspecting the events and reaper queues (behind the token like /v1). */
export async function mountQueueBoard(app: NestFastifyApplication, queues: Queue[]): Promise<void> {
  const serverAdapter = new BullBoardAdapter();
  serverAdapter.setBasePath(QUEUE_BOARD_PATH);
  createBullBoard({
    queues: queues.map((q) => new BullMQAdapter(q)),
    serverAdapter,
    options: { uiConfig: { boardTitle: "Pulse queues" } },
  });
  // After createBullBoard, which sets its own (every error a 500).
  serverAdapter.setErrorHandler(queueBoardError);
  await app.register(serverAdapter.registerPlugin() as never, { prefix: QUEUE_BOARD_PATH });
}
