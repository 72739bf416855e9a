/**
 * Codex CLI 0.171 conformance cases: issue 9's rows for Codex (items 8–10, "Both", targets), each
 * "the state Pulse shows and when". Registered as tests by the codex*.int.test.ts files.
 */
import { join } from "node:path";
import type { AgentUser, ConformanceKit } from "../../agents/conformance-kit";
import type { AgentTerminal } from "../../agents/drivers/agent-driver";
import { describeState } from "../../agents/observer";
import { commandLine, isAlive, processesOf } from "../../agents/processes";
import { PULSE_JS } from "../../agents/pulse-cli";
import { sleep } from "../../agents/tmux";
import type { SessionJson } from "../../../packages/core/src/session-json";
import type { Case } from "../suite";
import {
  expectControlReaped,
  expectNever,
  expectOtelTurn,
  expectState,
  postControlSession,
  SHORT_TIMEOUT_MS,
} from "./helpers";

type Kit = ConformanceKit<"codex">;
type User = AgentUser<"codex">;

/** Codex's title generator's thread: its own notify, "Generate a concise, single-line task title…". */
const isTitleThread = (s: SessionJson) => /Generate a concise, single-line task title/i.test(s.title ?? "");
const isEnded = (s: { status: string }) => s.status === "ended";

/** `pulse watch` processes of this user still alive. */
function watchersAlive(user: User): number[] {
  return processesOf(user.sandbox.root).filter((pid) => /pulse\.js watch/.test(commandLine(pid)) && isAlive(pid));
}

/**
 * A user in Codex's TUI (hooks trusted in its first-start dialog) after one turn: Codex starts its
 * thread, and so runs SessionStart, only with the first prompt (which also starts the title thread).
 */
async function inTui(
  kit: Kit,
  options: { prompt?: string; prepare?: (user: User) => void | Promise<void>; wrapper?: string[] } = {},
): Promise<User & { agent: AgentTerminal; session: SessionJson }> {
  const user = await kit.user();
  await options.prepare?.(user);
  const agent = await user.driver.interactive({ wrapper: options.wrapper });
  const prompt = options.prompt ?? "first codex prompt";
  await agent.prompt(prompt);
  const session = await user.observer.waitForSession({ where: (s) => !isTitleThread(s) });
  await user.observer.waitForState(session.id, { status: "waiting", waitingReason: "turn_end" }, { timeoutMs: 15_000 });
  return { ...user, agent, session };
}

const afterOneTurn = (kit: Kit, prompt: string) => inTui(kit, { prompt });

async function expectEndWithin(kit: Kit, user: User, id: string, label: string, trigger: number, targetMs: number) {
  return expectState(kit, user, id, {
    case: label,
    metric: `${label} → ended`,
    want: { status: "ended", endReason: ["session_end", "process_exit"] },
    trigger,
    targetMs,
  });
}

/** No watcher of this user left a few seconds after its sessions ended (the app-server may live on). */
async function expectNoWatcherLeft(kit: Kit, user: User, label: string): Promise<void> {
  let left: number[] = [];
  for (let waited = 0; waited <= 5_000; waited += 250) {
    left = watchersAlive(user);
    if (left.length === 0) return;
    await sleep(250);
  }
  kit.figures.record({
    agent: kit.agent,
    case: label,
    metric: "watchers left 5 s after the end",
    ms: 5_000,
    observed: `FAILED: ${left.length} alive`,
  });
  throw new Error(
    `${label}: ${left.length} watcher(s) still alive 5 s after the session ended (app-server ${user.driver.appServerPids().length ? "running" : "gone"})`,
  );
}

export const codexCases: Record<string, Case<"codex">> = {
  // ── headless ───────────────────────────────────────────────────────────────────────────────
  "codex exec (hooks trusted): one session titled by its prompt, ended ≤ 2 s after exit": async (kit) => {
    const user = await kit.user();
    await user.driver.trustHooks();
    user.driver.script.on("exec-tool-case", { kind: "tool", command: "echo exec-tool-ran" });
    const run = await user.driver.headless("please run exec-tool-case");
    const exitedAt = Date.now();
    expect(run.code).toBe(0);
    const session = await user.observer.waitForSession({ where: (s) => s.title === "please run exec-tool-case" });
    const ended = await expectEndWithin(kit, user, session.id, "codex exec exit", exitedAt, 2000);
    expect(ended.session.tool_calls).toBeGreaterThanOrEqual(1);
    expect(
      user.observer
        .ids()
        .map((id) => user.observer.latest(id)!)
        .filter((s) => s.title === "please run exec-tool-case"),
    ).toHaveLength(1);
  },

  "codex exec on a fresh install runs no hook (not trusted): pulse doctor says so": async (kit) => {
    const user = await kit.user();
    const run = await user.driver.headless("fresh install exec case");
    expect(run.code).toBe(0);
    const doctor = await user.driver.pulse(["doctor"]);
    const says = /trust/i.test(doctor.stdout + doctor.stderr);
    kit.figures.record({
      agent: kit.agent,
      case: "exec untrusted",
      metric: `doctor exit ${doctor.code}, mentions trust: ${says}`,
      ms: doctor.ms,
      observed: says && doctor.code !== 0 ? undefined : "FAILED",
    });
    expect(doctor.stdout).not.toMatch(/All checks passed/);
    expect(says).toBe(true);
    expect(doctor.code).not.toBe(0);
  },

  // ── TUI ends (item 8; target: /quit ≤ 2 s, Ctrl+C ≤ 2 s, kill -9 ≤ 5 s, no phantom, no watcher left)
  "TUI /quit → ended ≤ 2 s, no watcher left": async (kit) => {
    const user = await afterOneTurn(kit, "quit case prompt");
    const at = await user.agent.quit();
    await user.agent.waitClosed();
    await expectEndWithin(kit, user, user.session.id, "TUI /quit", at, 2000);
    await expectNoWatcherLeft(kit, user, "TUI /quit");
  },

  "TUI Ctrl+C → ended ≤ 2 s": async (kit) => {
    const user = await inTui(kit);
    const at = await user.agent.pressUntilExit("C-c");
    await expectEndWithin(kit, user, user.session.id, "TUI Ctrl+C", at, 2000);
  },

  "TUI Ctrl+D → ended ≤ 2 s": async (kit) => {
    const user = await inTui(kit);
    const at = await user.agent.pressUntilExit("C-d");
    await expectEndWithin(kit, user, user.session.id, "TUI Ctrl+D", at, 2000);
  },

  "TUI kill -9 → ended ≤ 5 s": async (kit) => {
    const user = await inTui(kit);
    const at = await user.agent.kill9();
    await expectEndWithin(kit, user, user.session.id, "TUI kill -9", at, 5000);
    await expectNoWatcherLeft(kit, user, "TUI kill -9");
  },

  "the title generator's thread is not a session (one TUI turn = one session)": async (kit) => {
    const user = await afterOneTurn(kit, "phantom case prompt");
    // The title request is made with the first prompt; give its notify time to arrive.
    await sleep(3_000);
    const sessions = user.observer.ids().map((id) => user.observer.latest(id)!);
    kit.figures.record({
      agent: kit.agent,
      case: "title thread",
      metric: `sessions for one TUI turn: ${sessions.length}`,
      ms: 0,
      observed: sessions.length === 1 ? undefined : `FAILED: ${sessions.map((s) => s.title).join(" | ")}`,
    });
    expect(sessions.filter(isTitleThread)).toEqual([]);
    expect(sessions).toHaveLength(1);
  },

  "the shared app-server exiting later changes no ended session; watchers do not pile up": async (kit) => {
    const user = await afterOneTurn(kit, "app-server case prompt");
    const first = user.session;
    await user.agent.quit();
    await user.agent.waitClosed();
    const ended = await user.observer.waitForState(first.id, { status: "ended" }, { timeoutMs: 6_000 });
    // A second TUI of the same user reuses the background app-server.
    const second = await user.driver.interactive();
    await second.prompt("second TUI prompt");
    const next = await user.observer.waitForSession({ where: (s) => s.id !== first.id && !isTitleThread(s) });
    await user.observer.waitForState(next.id, { status: "waiting", waitingReason: "turn_end" }, { timeoutMs: 15_000 });
    await second.quit();
    await second.waitClosed();
    await user.observer.waitForState(next.id, { status: "ended" }, { timeoutMs: 6_000 });
    await expectNoWatcherLeft(kit, user, "two TUIs quit");
    expect(user.driver.appServerPids().length).toBeGreaterThan(0);
    const stopped = Date.now();
    await user.driver.stopAppServer();
    await sleep(3_000);
    const after = user.observer.latest(first.id)!;
    expect({ end_reason: after.end_reason, ended_at: after.ended_at, reopen_count: after.reopen_count }).toEqual({
      end_reason: ended.session.end_reason,
      ended_at: ended.session.ended_at,
      reopen_count: 0,
    });
    expect(Date.parse(after.ended_at!)).toBeLessThan(stopped);
  },

  // ── waiting states (targets) ───────────────────────────────────────────────────────────────
  "approval dialog opens → waiting·permission ≤ 1 s": async (kit) => {
    const user = await inTui(kit);
    user.driver.script.on("approval-case", {
      kind: "tool",
      command: `touch ${join(user.sandbox.root, "approved")}`,
      escalate: true,
    });
    await user.agent.prompt("please approval-case");
    const opened = await user.agent.waitForPermission();
    const seen = await expectState(kit, user, user.session.id, {
      case: "approval dialog",
      metric: "dialog → waiting·permission",
      want: { status: "waiting", waitingReason: "permission" },
      trigger: opened,
      after: opened - 1000,
      targetMs: 1000,
    });
    // Rule 14: the wait says what it is for (the command of the dialog) and since when.
    expect(seen.session.waiting_detail).toContain("approved");
    expect(Date.parse(seen.session.waiting_since!)).toBeLessThanOrEqual(seen.at);
  },

  "Esc during a running tool (Interrupt) → waiting·interrupted ≤ 2 s": async (kit) => {
    const user = await inTui(kit);
    user.driver.script.on("interrupt-case", { kind: "tool", command: "sleep 120" });
    await user.agent.prompt("please interrupt-case");
    await user.agent.waitFor(/background terminal running|Running sleep|esc to interrupt/);
    await user.observer.waitForState(user.session.id, { status: "active" });
    await sleep(500);
    const pressed = await user.agent.escape();
    await user.agent.waitFor(/interrupted/i);
    await expectState(kit, user, user.session.id, {
      case: "Interrupt",
      metric: "Esc → waiting·interrupted",
      want: { status: "waiting", waitingReason: "interrupted" },
      trigger: pressed,
      targetMs: 2000,
    });
  },

  // ── OpenTelemetry on ───────────────────────────────────────────────────────────────────────
  "OTel on ([otel] from pulse otel env): after a turn it stays waiting, titled by the real prompt, tokens counted":
    async (kit) => {
      const user = await inTui(kit, {
        prompt: "otel codex title case",
        prepare: async (u) => {
          const out = await u.driver.pulse(["otel", "env", "--agent", "codex"], { PULSE_URL: kit.stack.url });
          expect(out.code).toBe(0);
          // The table, without the comment line above it.
          const table = out.stdout.slice(out.stdout.search(/^\[otel\]/m));
          expect(table).toMatch(/^\[otel\]/);
          u.driver.appendConfig(table);
        },
      });
      const waiting = user.observer.statesOf(user.session.id).find((s) => s.session.waiting_reason === "turn_end")!;
      await expectOtelTurn(kit, user, user.session.id, {
        waitingAt: waiting.at,
        prompt: "otel codex title case",
        forMs: 6_000,
      });
    },

  // ── pulse run (the "Both" row) ─────────────────────────────────────────────────────────────
  "pulse run -- codex with hooks installed: one session": async (kit) => {
    const user = await kit.user();
    const agent = await user.driver.interactive({ wrapper: [process.execPath, PULSE_JS, "run", "--"] });
    await agent.prompt("pulse run codex case");
    await agent.waitFor(/OK, done\./);
    await agent.quit();
    await agent.waitClosed();
    // pulse run reports (or not) when the agent exits; let its last word and any watcher arrive.
    await sleep(3_000);
    const sessions = user.observer
      .ids()
      .map((id) => user.observer.latest(id)!)
      .filter((s) => !isTitleThread(s));
    kit.figures.record({
      agent: kit.agent,
      case: "pulse run -- codex",
      metric: `sessions: ${sessions.length}`,
      ms: 0,
      observed:
        sessions.length === 1
          ? undefined
          : `FAILED: ${sessions.map((s) => `${s.id.slice(0, 8)} ${describeState(s)}`).join(", ")}`,
    });
    expect(sessions).toHaveLength(1);
  },
};

/** Cases for a stack with a short stale timeout (timeouts.int.test.ts). */
const TIMEOUT_MS = SHORT_TIMEOUT_MS;

export const codexTimeoutCases: Record<string, Case<"codex">> = {
  "TUI idle at the prompt 3× the timeout: never ended, reopen_count 0": async (kit) => {
    const user = await afterOneTurn(kit, "codex idle case");
    const control = await postControlSession(kit, "codex-idle");
    const from = Date.now();
    await expectNever(kit, user, user.session.id, {
      case: "idle 3× timeout",
      from,
      forMs: 3 * TIMEOUT_MS,
      bad: isEnded,
      what: "ended while idle",
    });
    expect(user.observer.latest(user.session.id)!.reopen_count).toBe(0);
    await expectControlReaped(kit, control, 5_000);
  },
};
