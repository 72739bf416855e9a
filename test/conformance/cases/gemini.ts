/**
 * Gemini CLI 0.61 conformance cases: issue 9's rows for Gemini (items 11, 12, "Both", targets),
 * each "the state Pulse shows and when". Registered as tests by the gemini*.int.test.ts files.
 */
import { join } from "node:path";
import type { AgentUser, ConformanceKit } from "../../agents/conformance-kit";
import { describeState } from "../../agents/observer";
import { FrontDoor } from "../../agents/outage";
import { PULSE_JS } from "../../agents/pulse-cli";
import { sleep } from "../../agents/tmux";
import type { Case } from "../suite";
import {
  expectControlReaped,
  expectNever,
  expectOtelTurn,
  expectState,
  inTerminal,
  postControlSession,
  SHORT_TIMEOUT_MS,
} from "./helpers";

type Kit = ConformanceKit<"gemini">;
const isEnded = (s: { status: string }) => s.status === "ended";
const ENDS = ["session_end", "process_exit"];

/**
 * What `pulse otel env --agent gemini` tells the user to set: environment lines (`export K=V`) for
 * the shell that starts gemini, or a settings object for ~/.gemini/settings.json.
 */
function otelSetup(stdout: string): { env: Record<string, string>; settings: Record<string, unknown> | null } {
  const env = Object.fromEntries(
    [...stdout.matchAll(/^export (\w+)=(.*)$/gm)].map((m) => [m[1], m[2].replace(/^['"]|['"]$/g, "")]),
  );
  if (Object.keys(env).length) return { env, settings: null };
  const start = stdout.indexOf("{");
  const end = stdout.lastIndexOf("}");
  if (start < 0 || end < start)
    throw new Error(
      `pulse otel env --agent gemini printed neither environment lines nor a settings object:\n${stdout}`,
    );
  return { env: {}, settings: JSON.parse(stdout.slice(start, end + 1)) };
}

async function oneTurn(user: Awaited<ReturnType<typeof inTerminal<"gemini">>>, prompt: string) {
  await user.agent.prompt(prompt);
  return user.observer.waitForState(
    user.session.id,
    { status: "waiting", waitingReason: "turn_end" },
    { timeoutMs: 20_000 },
  );
}

export const geminiCases: Record<string, Case<"gemini">> = {
  // ── ends ───────────────────────────────────────────────────────────────────────────────────
  "headless gemini -p: one session titled by its prompt, ended·session_end at its true end": async (kit) => {
    const user = await kit.user();
    const run = await user.driver.headless("gemini headless case");
    const exitedAt = Date.now();
    expect(run.code).toBe(0);
    const session = await user.observer.waitForSession();
    const ended = await expectState(kit, user, session.id, {
      case: "headless -p",
      metric: "exit → ended·session_end",
      want: { status: "ended", endReason: "session_end" },
      trigger: exitedAt,
      after: 0,
      targetMs: 2000,
    });
    expect(user.observer.ids()).toHaveLength(1);
    expect(ended.session.title).toBe("gemini headless case");
    expect(Date.parse(ended.session.ended_at!)).toBeLessThanOrEqual(exitedAt);
  },

  "/quit → ended·session_end ≤ 2 s; its repeated SessionEnds count once": async (kit) => {
    const user = await inTerminal(kit);
    await oneTurn(user, "quit case prompt");
    const at = await user.agent.quit();
    await user.agent.waitClosed();
    const ended = await expectState(kit, user, user.session.id, {
      case: "/quit",
      metric: "Enter → ended·session_end",
      want: { status: "ended", endReason: "session_end" },
      trigger: at,
      targetMs: 2000,
    });
    await sleep(2_000);
    const later = user.observer.latest(user.session.id)!;
    expect({ status: later.status, ended_at: later.ended_at, reopen_count: later.reopen_count }).toEqual({
      status: "ended",
      ended_at: ended.session.ended_at,
      reopen_count: 0,
    });
  },

  "Ctrl+C (twice, as Gemini asks) → ended ≤ 2 s": async (kit) => {
    const user = await inTerminal(kit);
    const at = await user.agent.pressUntilExit("C-c");
    await expectState(kit, user, user.session.id, {
      case: "Ctrl+C",
      metric: "first Ctrl+C → ended",
      want: { status: "ended", endReason: ENDS },
      trigger: at,
      targetMs: 2000,
      deadlineMs: 8000,
    });
  },

  "kill -9 → ended·process_exit ≤ 5 s": async (kit) => {
    const user = await inTerminal(kit);
    const at = await user.agent.kill9();
    await expectState(kit, user, user.session.id, {
      case: "kill -9",
      metric: "kill → ended·process_exit",
      want: { status: "ended", endReason: "process_exit" },
      trigger: at,
      targetMs: 5000,
    });
  },

  "closed terminal → ended ≤ 2 s": async (kit) => {
    const user = await inTerminal(kit);
    const at = await user.agent.closeTerminal();
    await expectState(kit, user, user.session.id, {
      case: "closed terminal",
      metric: "close → ended",
      want: { status: "ended", endReason: ENDS },
      trigger: at,
      targetMs: 2000,
    });
  },

  // ── waiting ────────────────────────────────────────────────────────────────────────────────
  "permission dialog opens (ToolPermission) → waiting·permission ≤ 1 s": async (kit) => {
    const user = await inTerminal(kit);
    user.driver.script.on("gemini-perm-case", {
      kind: "tool",
      command: `touch ${join(user.sandbox.root, "gemini-perm")}`,
    });
    await user.agent.prompt("please gemini-perm-case");
    const opened = await user.agent.waitForPermission();
    const seen = await expectState(kit, user, user.session.id, {
      case: "permission dialog",
      metric: "dialog → waiting·permission",
      want: { status: "waiting", waitingReason: "permission" },
      trigger: opened,
      after: opened - 1000,
      targetMs: 1000,
    });
    // Rule 14: the wait says what it is for (Gemini's ToolPermission names no command: its message) and since when.
    expect(seen.session.waiting_detail).toEqual(expect.any(String));
    expect(Date.parse(seen.session.waiting_since!)).toBeLessThanOrEqual(seen.at);
  },

  // ── telemetry (item 11) ────────────────────────────────────────────────────────────────────
  "OTel on (pulse otel env --agent gemini): after a turn it stays waiting, titled by the real prompt, tokens counted; an ended session stays ended":
    async (kit) => {
      let env: Record<string, string> = {};
      const user = await inTerminal(kit, {
        prepare: async (u) => {
          const out = await u.driver.pulse(["otel", "env", "--agent", "gemini"], { PULSE_URL: kit.stack.url });
          if (out.code !== 0) throw new Error(`pulse otel env --agent gemini exited ${out.code}: ${out.stderr.trim()}`);
          const setup = otelSetup(out.stdout);
          env = setup.env;
          if (setup.settings) u.driver.mergeSettings(setup.settings);
        },
        env: () => env,
      });
      const waiting = await oneTurn(user, "otel gemini title case");
      await expectOtelTurn(kit, user, user.session.id, {
        waitingAt: waiting.at,
        prompt: "otel gemini title case",
        forMs: 6_000,
      });
      await user.agent.quit();
      await user.agent.waitClosed();
      const ended = await user.observer.waitForState(user.session.id, { status: "ended" }, { timeoutMs: 6_000 });
      await expectNever(kit, user, user.session.id, {
        case: "OTel on",
        from: ended.at,
        forMs: 6_000,
        bad: (s) => s.status !== "ended",
        what: "ended session revived by telemetry",
      });
      expect(user.observer.latest(user.session.id)!.reopen_count).toBe(0);
    },

  // ── Pulse down (item 12) ───────────────────────────────────────────────────────────────────
  "Pulse down: nothing of Pulse's shows in Gemini (no hook message under every hook)": async (kit) => {
    const door = await FrontDoor.open(kit.stack.url);
    try {
      await door.set("refuse");
      const user = await kit.user({ pulseUrl: door.url });
      const agent = await user.driver.interactive();
      await agent.prompt("pulse down gemini case");
      await agent.waitFor(/OK, done\./, 45_000);
      await sleep(1_000);
      const screen = await agent.screen();
      const leaked = screen.split("\n").filter((l) => /pulse:|Hook system message/i.test(l));
      kit.figures.record({
        agent: kit.agent,
        case: "Pulse down",
        metric: `lines of Pulse on screen: ${leaked.length}`,
        ms: 0,
        observed: leaked.length ? `FAILED: ${leaked[0].trim().slice(0, 80)}` : undefined,
      });
      expect(leaked).toEqual([]);
    } finally {
      await door.close();
    }
  },

  // ── pulse run (the "Both" row) ─────────────────────────────────────────────────────────────
  "pulse run -- gemini with hooks installed: one session": async (kit) => {
    const user = await kit.user();
    const agent = await user.driver.interactive({ wrapper: [process.execPath, PULSE_JS, "run", "--"] });
    await agent.prompt("pulse run gemini case");
    await agent.waitFor(/OK, done\./, 45_000);
    await agent.quit();
    await agent.waitClosed();
    await sleep(3_000);
    const sessions = user.observer.ids().map((id) => user.observer.latest(id)!);
    kit.figures.record({
      agent: kit.agent,
      case: "pulse run -- gemini",
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

export const geminiTimeoutCases: Record<string, Case<"gemini">> = {
  "idle at the prompt 3× the timeout: never ended, reopen_count 0": async (kit: Kit) => {
    const user = await inTerminal(kit);
    const idle = await oneTurn(user, "gemini idle case");
    const control = await postControlSession(kit, "gemini-idle");
    await expectNever(kit, user as AgentUser<"gemini">, user.session.id, {
      case: "idle 3× timeout",
      from: idle.at,
      forMs: 3 * TIMEOUT_MS,
      bad: isEnded,
      what: "ended while idle",
    });
    expect(user.observer.latest(user.session.id)!.reopen_count).toBe(0);
    await expectControlReaped(kit, control, 5_000);
  },
};
