import { QUEUE_NAMES } from "@pulse/queues";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { waitFor } from "../../../../test/env";
import { startStack, type StackOptions, type TestStack } from "../../../../test/stack";
import { assertBuilt, fixture, Sandbox } from "./cli-process";
import { DummyAgent } from "./dummy-agent";
import { closeRestartedIngests, getJson, restartIngest } from "./ingest-control";
import type { LineProcess } from "./line-process";

/**
 * What every watcher integration test sets up: the real stack (ingest and workers, in process), a
 * sandbox (HOME, PULSE_HOME) per test, dummy agents killed after each test, any ingest restarted
 * during an outage closed at the end. Call `useWatchFixture()` at the top of a test file: it
 * registers the Jest hooks.
 */
export interface WatchFixture {
  /** The running stack (set once the file's beforeAll has run). */
  readonly stack: TestStack;
  /** This test's sandbox (a new one per test). */
  readonly sandbox: Sandbox;
  /** `<prefix>-<n>`, n counting up across the file: session ids that never collide. */
  id(prefix: string): string;
  /** A dummy Claude Code in this test's sandbox, its hooks posting to `url` (default: the stack). */
  startAgent(env?: Record<string, string>, url?: string): DummyAgent;
  /** Kills `process` after this test if it still runs (e.g. a DummyCodex). */
  track<T extends LineProcess>(process: T): T;
  /** Kills this pid after this test (a process the test learnt of, e.g. a shared server). */
  trackPid(pid: number): void;
  /** A captured Claude Code hook payload (test/fixtures/claude-code/<name>.json) for `sessionId`. */
  payload(name: string, sessionId: string, extra?: Record<string, unknown>): Record<string, unknown>;
  /** GET /v1/sessions/:id (with the file's token), or undefined while it does not exist. */
  session(id: string): Promise<any | undefined>;
  /** The sandbox's live watcher record for `sessionId` (and `also`), once there is one. */
  watcherFor(sessionId: string, also?: (record: WatcherRecord) => boolean): Promise<WatcherRecord>;
  /** Starts the stack's ingest again after `stack.ingest.close()`, with the file's environment. */
  restartIngest(): Promise<void>;
  /** Waits until the reaper has swept `n` more times: it has had its chance to judge. */
  sweeps(n: number): Promise<void>;
  /** Waits until the events queue holds no job waiting, delayed or being applied. */
  eventsSettled(): Promise<void>;
}

export type WatcherRecord = ReturnType<Sandbox["watcherRecords"]>[number] & {
  agent_pids?: number[];
  unwatched?: boolean;
};

export interface WatchFixtureOptions extends StackOptions {
  /** PULSE_TOKEN for ingest and for the agents' hooks. */
  token?: string;
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function useWatchFixture(options: WatchFixtureOptions = {}): WatchFixture {
  const stackEnv = { ...(options.token ? { PULSE_TOKEN: options.token } : {}), ...options.env };
  let stack: TestStack | undefined;
  let sandbox: Sandbox | undefined;
  let redis: Redis | undefined;
  let queues: { events: Queue; reaper: Queue } | undefined;
  const processes: LineProcess[] = [];
  const pids: number[] = [];
  let n = 0;

  beforeAll(async () => {
    assertBuilt();
    stack = await startStack({ ...options, env: stackEnv });
    redis = new Redis(stack.env.redisUrl);
    const queue = (name: string) => new Queue(name, { connection: redis!, prefix: stack!.env.redisPrefix });
    queues = { events: queue(QUEUE_NAMES.events), reaper: queue(QUEUE_NAMES.reaper) };
  });
  afterAll(async () => {
    await queues?.events.close();
    await queues?.reaper.close();
    await redis?.quit();
    await closeRestartedIngests();
    await stack?.stop();
  });
  beforeEach(() => {
    sandbox = new Sandbox();
  });
  afterEach(() => {
    for (const child of processes.splice(0)) if (child.running) child.kill();
    for (const pid of pids.splice(0)) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // gone already
      }
    }
    sandbox?.cleanup();
  });

  const required = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`${what} is not set up yet: use the fixture inside a test`);
    return value;
  };
  const token = options.token;

  const fx: WatchFixture = {
    get stack() {
      return required(stack, "the stack");
    },
    get sandbox() {
      return required(sandbox, "the sandbox");
    },
    id: (prefix) => `${prefix}-${++n}`,
    startAgent(env = {}, url) {
      const agentEnv = { PULSE_URL: url ?? fx.stack.url, ...(token ? { PULSE_TOKEN: token } : {}), ...env };
      return fx.track(new DummyAgent(fx.sandbox.root, fx.sandbox.env(agentEnv)));
    },
    track(child) {
      processes.push(child);
      return child;
    },
    trackPid(pid) {
      pids.push(pid);
    },
    payload: (name, sessionId, extra = {}) => ({
      ...JSON.parse(fixture(`claude-code/${name}.json`)),
      session_id: sessionId,
      ...extra,
    }),
    async session(id) {
      const r = await getJson(fx.stack.url, `/v1/sessions/${id}`, token);
      return r.status === 200 ? r.body : undefined;
    },
    watcherFor(sessionId, also = () => true) {
      return waitFor(
        () =>
          fx.sandbox.watcherRecords().find((r) => r.session_id === sessionId && alive(r.watcher_pid) && also(r)) as
            WatcherRecord | undefined,
        {
          what: `a watcher for ${sessionId}`,
        },
      );
    },
    restartIngest: () => restartIngest(fx.stack, stackEnv),
    async sweeps(count) {
      const reaper = required(queues, "the queues").reaper;
      const start = (await reaper.getJobCounts("completed")).completed;
      await waitFor(async () => (await reaper.getJobCounts("completed")).completed >= start + count, {
        timeoutMs: 20_000,
        what: `${count} reaper sweeps`,
      });
    },
    async eventsSettled() {
      const events = required(queues, "the queues").events;
      await waitFor(
        async () =>
          Object.values(
            await events.getJobCounts("wait", "active", "delayed", "prioritized", "waiting-children"),
          ).every((c) => c === 0),
        {
          what: "the events queue to settle",
        },
      );
    },
  };
  return fx;
}
