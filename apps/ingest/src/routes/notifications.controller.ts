import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Put } from "@nestjs/common";
import {
  channelCreateBody,
  channelIdParams,
  type ChannelJson,
  type ChannelListJson,
  notificationSettingsBody,
  type NotificationSettingsJson,
  notificationTestBody,
  type NotificationTestResultJson,
} from "@pulse/core/api";
import { redactSecrets } from "@pulse/core";
import { deliverNotificationJob } from "@pulse/queues";
import {
  ChannelNameTakenError,
  channelToJson,
  createChannel,
  createTestDeliveries,
  deleteChannel,
  findChannel,
  getNotificationSettings,
  InvalidTimeZoneError,
  listChannels,
  putNotificationSettings,
  readDeliveries,
} from "@pulse/sessions";
import { ApiError, badRequest, notFound } from "../http/api-error";
import { parseOr400, requireJsonObject } from "../http/validate";
import { INGEST_DEPS, type IngestDeps } from "../deps";

/** How long a test waits for its deliveries: under the CLI's 10 s request timeout, so it hears the answer. */
const TEST_WAIT_MS = 8_000;
// A test is rare and short: reading its few rows this often costs little and answers soon after the receiver.
const TEST_POLL_MS = 25;

type TestResult = NotificationTestResultJson["results"][number];

/** The channels (docs/notifications.md), their shared settings and test sends. URLs and tokens only leave masked. */
@Controller("v1/notifications")
export class NotificationsController {
  constructor(@Inject(INGEST_DEPS) private readonly deps: IngestDeps) {}

  @Get("channels")
  async list(): Promise<ChannelListJson> {
    return { channels: (await listChannels(this.deps.prisma)).map(channelToJson) };
  }

  @Post("channels")
  async create(@Body() body: unknown): Promise<ChannelJson> {
    const params = parseOr400(channelCreateBody, requireJsonObject(body));
    try {
      return channelToJson(await createChannel(this.deps.prisma, params));
    } catch (error) {
      if (error instanceof ChannelNameTakenError) throw new ApiError(409, "conflict", `name: ${error.message}`);
      throw error;
    }
  }

  @Delete("channels/:id")
  async remove(@Param("id") id: string): Promise<ChannelJson> {
    parseOr400(channelIdParams, { id });
    const removed = await deleteChannel(this.deps.prisma, id);
    if (!removed) throw notFound(`no notification channel with id "${id.slice(0, 100)}"`);
    return channelToJson(removed);
  }

  @Get("settings")
  settings(): Promise<NotificationSettingsJson> {
    return getNotificationSettings(this.deps.prisma);
  }

  @Put("settings")
  async updateSettings(@Body() body: unknown): Promise<NotificationSettingsJson> {
    const params = parseOr400(notificationSettingsBody, requireJsonObject(body));
    try {
      return await putNotificationSettings(this.deps.prisma, params);
    } catch (error) {
      if (error instanceof InvalidTimeZoneError) throw badRequest(`quiet_hours.time_zone: ${error.message}`);
      throw error;
    }
  }

  /**
   * One test delivery per enabled channel (or to the one named, enabled or not), sent by the
   * delivery worker like any notification; answers once each is delivered or failed, or after
   * TEST_WAIT_MS with those still on their way as pending.
   */
  @Post("test")
  @HttpCode(200)
  async test(@Body() body: unknown): Promise<NotificationTestResultJson> {
    const { channel: wanted } = parseOr400(notificationTestBody, body === undefined ? {} : requireJsonObject(body));
    let channels;
    if (wanted !== undefined) {
      const found = await findChannel(this.deps.prisma, wanted);
      if (!found) throw notFound(`no notification channel with id or name "${wanted}"`);
      channels = [found];
    } else channels = (await listChannels(this.deps.prisma)).filter((channel) => channel.enabled);
    const deliveries = await createTestDeliveries(this.deps.prisma, channels);
    await this.deps.notificationsQueue.addBulk(
      deliveries.map((delivery) => ({
        name: deliverNotificationJob.name,
        data: { delivery_id: delivery.id },
        // Sent once: a test's answer is its result, and a retry minutes later would only notify for nothing.
        // Nor is a failed test a dead letter (doctor would count it): the answer and the channel say it failed.
        opts: { ...deliverNotificationJob.options, attempts: 1, removeOnFail: true, jobId: delivery.id },
      })),
    );
    const byId = new Map(channels.map((channel) => [channel.id, channel]));
    const results = new Map<string, TestResult>();
    // Real time, not the API's clock (tests may fix that one): this is how long the request waits.
    const deadline = Date.now() + TEST_WAIT_MS;
    for (;;) {
      for (const row of await readDeliveries(
        this.deps.prisma,
        deliveries.filter((d) => !results.has(d.id)).map((d) => d.id),
      )) {
        const channel = byId.get(row.channelId)!;
        let status: TestResult["status"] | null =
          row.status === "delivered" || row.status === "failed" ? row.status : null;
        let error = row.lastError;
        // A worker that gave up on the job without marking its row: the job's own failure says why.
        if (status === null && (await this.deps.notificationsQueue.getJobState(row.id)) === "failed") {
          status = "failed";
          error ??= (await this.deps.notificationsQueue.getJob(row.id))?.failedReason ?? "the delivery failed";
        }
        if (status !== null) results.set(row.id, result(channel, status, error));
      }
      if (results.size === deliveries.length || Date.now() >= deadline) break;
      await new Promise((resolve) => setTimeout(resolve, TEST_POLL_MS));
    }
    return {
      results: deliveries.map(
        (d) =>
          results.get(d.id) ??
          result(byId.get(d.channelId)!, "pending", "no answer yet; the delivery goes on in the background"),
      ),
    };
  }
}

/** Errors are the worker's (written without secrets); the channel's URL and token are cut out again all the same. */
function result(
  channel: { id: string; name: string; url: string; token: string | null },
  status: TestResult["status"],
  error: string | null,
): TestResult {
  const text = status === "delivered" || error === null ? null : redactSecrets(error, [channel.url, channel.token]);
  return { channel: channel.id, name: channel.name, status, error: text };
}
