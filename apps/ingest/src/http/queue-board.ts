import { createBullBoard } from "@bull-board/api";
import { BullMQAdapter } from "@bull-board/api/bullMQAdapter";
import { FastifyAdapter as BullBoardAdapter } from "@bull-board/fastify";
import type { NestFastifyApplication } from "@nestjs/platform-fastify";
import type { Queue } from "bullmq";

export const QUEUE_BOARD_PATH = "/queues";

/** Bull Board for inspecting the events and reaper queues (behind the token like /v1). */
export async function mountQueueBoard(app: NestFastifyApplication, queues: Queue[]): Promise<void> {
  const serverAdapter = new BullBoardAdapter();
  serverAdapter.setBasePath(QUEUE_BOARD_PATH);
  createBullBoard({ queues: queues.map((q) => new BullMQAdapter(q)), serverAdapter, options: { uiConfig: { boardTitle: "Pulse queues" } } });
  await app.register(serverAdapter.registerPlugin() as never, { prefix: QUEUE_BOARD_PATH });
}
