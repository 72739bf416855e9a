import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Writable } from "node:stream";
import { Redis } from "ioredis";
import { Client } from "pg";
import pino from "pino";
import { CORPUS, CORPUS_TEXT, type CorpusSecret } from "../../../../test/redaction-corpus";
import { waitFor } from "../../../../test/env";
import { client } from "../../../../test/http";
import { type Receiver, startReceiver } from "../../../../test/notify-receiver";
import { startStack, type TestStack } from "../../../../test/stack";
import { StreamClient } from "../../../../test/stream-client";

/**
 * Issue 8, item 4: the corpus of secrets, posted through every ingest route, survives nowhere: not
 * in any column of any table, not in any Redis key under the stack's prefix (job data included),
 * not in ingest's or the worker's logs, not in any API answer. Each is replaced by its placeholder.
 */

const FIXTURES = join(__dirname, "../../../../test/fixtures");
const fixture = (path: string) => JSON.parse(readFileSync(join(FIXTURES, path), "utf8"));

/** An operator's own pattern (PULSE_REDACT_EXTRA_PATTERNS) rides along. */
const ACME_KEY = "acme_7f3k2m9q4z8x1c6v";
const ALL_TEXT = `${CORPUS_TEXT}\nACME_DEPLOY=${ACME_KEY}`;
const ACME: CorpusSecret = { id: "acme", kinds: ["acme"], material: [ACME_KEY], token: ACME_KEY, text: ACME_KEY };
const SECRETS = [...CORPUS, ACME];
const tokens = CORPUS.filter((s) => s.token !== null).map((s) => s.token!);

const SESSIONS = {
  claude: "redact-claude-0001",
  codex: "redact-codex-0001",
  gemini: "redact-gemini-0001",
  events: "redact-custom-0001",
  otlp: "redact-otlp-0001",
  spans: "redact-spans-0001",
};

/** Everything the stack logged, at every level. */
const logLines: string[] = [];
const logger = pino(
  { level: "trace" },
  new Writable({
    write(chunk, _encoding, done) {
      logLines.push(String(chunk));
      done();
    },
  }),
);

let stack: TestStack;
let api: ReturnType<typeof client>;
/** A webhook channel's receiver: what Pulse tells the outside world about a wait must be redacted too. */
let receiver: Receiver;

function leaks(haystack: string): string[] {
  const found: string[] = [];
  for (const secret of SECRETS) {
    for (const material of secret.material) {
      if (haystack.includes(material) || (material.length >= 24 && haystack.includes(material.slice(-12))))
        found.push(`${secret.id}: …${material.slice(-6)}`);
    }
  }
  return found;
}

const placeholderKinds = (text: string) => new Set([...text.matchAll(/\[REDACTED:([a-z0-9_.-]+)\]/g)].map((m) => m[1]));

beforeAll(async () => {
  stack = await startStack({
    label: "redact",
    logger,
    env: { PULSE_REDACT_EXTRA_PATTERNS: JSON.stringify({ acme: "acme_[a-z0-9]{16}" }) },
  });
  api = client(stack.url);
  receiver = await startReceiver();
  const channel = await api.post("/v1/notifications/channels", {
    type: "webhook",
    name: "redaction",
    url: `${receiver.url}/hook`,
    settle_seconds: 0,
  });
  expect(channel.status).toBe(201);
});
afterAll(async () => {
  await stack?.stop();
  await receiver?.close();
});

describe("secrets posted through every ingest route", () => {
  beforeAll(async () => {
    const claude = {
      session_id: SESSIONS.claude,
      transcript_path: "/home/dev/.claude/projects/x/redact.jsonl",
      cwd: "/home/dev/work/pulse",
      permission_mode: "default",
    };
    const replies = [
      // Claude Code: a prompt holding keys, a Bash command holding one, its output dumping them all.
      await api.post("/v1/hooks/claude-code", { ...claude, hook_event_name: "SessionStart", source: "startup" }),
      await api.post("/v1/hooks/claude-code", {
        ...claude,
        hook_event_name: "UserPromptSubmit",
        prompt: `Deploy with these, please: ${tokens.join(" ")}`,
      }),
      await api.post("/v1/hooks/claude-code", {
        ...claude,
        hook_event_name: "PreToolUse",
        tool_name: "Bash",
        tool_input: {
          command: `${CORPUS[0].text} && curl -H "Authorization: Bearer ${tokens[2]}" https://api.internal.net`,
          description: "Deploy",
        },
      }),
      await api.post("/v1/hooks/claude-code", {
        ...claude,
        hook_event_name: "PostToolUse",
        tool_name: "Bash",
        tool_input: { command: "cat .env ~/.aws/credentials ~/.ssh/deploy_rsa" },
        tool_response: { stdout: ALL_TEXT, stderr: "", interrupted: false, isImage: false },
      }),
      await api.post("/v1/hooks/claude-code", {
        ...claude,
        hook_event_name: "PreToolUse",
        tool_name: "Write",
        tool_input: { file_path: "/home/dev/work/pulse/.env", content: ALL_TEXT },
      }),
      await api.post("/v1/hooks/claude-code", {
        ...claude,
        hook_event_name: "Notification",
        notification_type: "permission_prompt",
        message: `Claude needs your permission to use Bash with ${tokens[5]}`,
      }),
      // Codex: a hook whose command holds a key, and the notify payload whose messages hold them all.
      await api.post("/v1/hooks/codex", {
        ...fixture("codex/hook-pre-tool-use.json"),
        session_id: SESSIONS.codex,
        tool_input: {
          command: `export ${CORPUS.find((s) => s.id === "env-password")!.text} && ${CORPUS.find((s) => s.id === "basic-auth-url")!.text}`,
        },
      }),
      await api.post("/v1/hooks/codex", {
        ...fixture("codex/notify-agent-turn-complete.json"),
        "thread-id": SESSIONS.codex,
        "input-messages": [`Use ${tokens[1]} for the API`],
        "last-assistant-message": `Done; I used:\n${ALL_TEXT}`,
      }),
      // Gemini CLI: a prompt, a shell command and its output.
      await api.post("/v1/hooks/gemini", { ...fixture("gemini/session-start.json"), session_id: SESSIONS.gemini }),
      await api.post("/v1/hooks/gemini", {
        ...fixture("real/gemini-0.61.0/hooks/BeforeAgent.json"),
        session_id: SESSIONS.gemini,
        prompt: `My key is ${tokens[3]}`,
      }),
      await api.post("/v1/hooks/gemini", {
        ...fixture("real/gemini-0.61.0/hooks/AfterTool.json"),
        session_id: SESSIONS.gemini,
        tool_input: { command: CORPUS.find((s) => s.id === "authorization-bearer")!.text },
        tool_response: { llmContent: `Output: ${ALL_TEXT}` },
      }),
      // Custom agents: every text field and the attributes.
      await api.post("/v1/events", [
        {
          session_id: SESSIONS.events,
          source: "my-agent",
          kind: "start",
          name: `boot ${tokens[4]}`,
          title: `Rotate ${tokens[0]}`,
          cwd: "/srv/agent",
        },
        {
          session_id: SESSIONS.events,
          source: "my-agent",
          kind: "tool",
          tool: "shell",
          detail: CORPUS.find((s) => s.id === "database-url")!.text,
          attributes: { env: ALL_TEXT, password: "hunter2", nested: { api_key: "k-12345678" } },
        },
        {
          session_id: SESSIONS.events,
          source: "my-agent",
          kind: "attention",
          waiting_reason: "permission",
          detail: `approve ${tokens[6]}?`,
        },
        {
          session_id: SESSIONS.events,
          source: "my-agent",
          kind: "end",
          end_detail: `crashed: ${CORPUS.find((s) => s.id === "env-api-key")!.text}`,
        },
      ]),
      // OpenTelemetry logs (Claude Code's export, with the prompt logged and a tool's input) and spans.
      await api.post("/v1/logs", otlpLogs()),
      await api.post("/v1/traces", otlpSpans()),
    ];
    for (const reply of replies) expect([200, 202]).toContain(reply.status);
    // Everything applied: each session has all its events.
    const expected: Record<string, number> = {
      [SESSIONS.claude]: 6,
      [SESSIONS.codex]: 2,
      [SESSIONS.gemini]: 3,
      [SESSIONS.events]: 4,
    };
    for (const [id, count] of Object.entries(expected)) {
      await waitFor(async () => (await api.get(`/v1/sessions/${id}`)).body?.event_count === count, {
        what: `${id} to have ${count} events`,
        timeoutMs: 20_000,
      });
    }
    await waitFor(async () => (await api.get(`/v1/sessions/${SESSIONS.otlp}`)).body?.event_count >= 3, {
      what: "the OTLP session",
      timeoutMs: 20_000,
    });
    await waitFor(async () => (await api.get(`/v1/sessions/${SESSIONS.spans}`)).body?.span_count >= 1, {
      what: "the spans' session",
      timeoutMs: 20_000,
    });
  });

  it("are in no column of any table of the database, where their placeholders are", async () => {
    const db = new Client({ connectionString: stack.env.databaseUrl });
    await db.connect();
    try {
      const tables = await db.query<{ name: string }>(
        `SELECT format('%I.%I', schemaname, tablename) AS name FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')`,
      );
      expect(tables.rows.map((t) => t.name)).toEqual(expect.arrayContaining(["public.sessions", "public.events"]));
      let dump = "";
      for (const { name } of tables.rows) {
        const rows = await db.query<{ row: string }>(`SELECT row_to_json(t)::text AS row FROM ${name} t`);
        dump += rows.rows.map((r) => r.row).join("\n");
      }
      expect(dump.length).toBeGreaterThan(ALL_TEXT.length);
      expect(leaks(dump)).toEqual([]);
      for (const kind of ["anthropic", "openai", "github", "aws", "privatekey", "authorization", "password", "acme"])
        expect(placeholderKinds(dump)).toContain(kind);
    } finally {
      await db.end();
    }
  });

  it("are in no Redis key under the stack's prefix (job data, queues, events, the sessions channel's keys)", async () => {
    const redis = new Redis(stack.env.redisUrl);
    try {
      let dump = "";
      let cursor = "0";
      let keys = 0;
      do {
        const [next, batch] = await redis.scan(cursor, "MATCH", `${stack.env.redisPrefix}:*`, "COUNT", 500);
        cursor = next;
        for (const key of batch) {
          keys++;
          dump += `${key}\n${await redisValue(redis, key)}\n`;
        }
      } while (cursor !== "0");
      expect(keys).toBeGreaterThan(0);
      // The job data is there to read (completed jobs are kept): the placeholders prove it.
      expect(placeholderKinds(dump)).toContain("anthropic");
      expect(leaks(dump)).toEqual([]);
    } finally {
      redis.disconnect();
    }
  });

  it("are in no line ingest or the worker logged", () => {
    const logs = logLines.join("");
    expect(logs.length).toBeGreaterThan(0);
    expect(leaks(logs)).toEqual([]);
  });

  it("are in no API answer: lists, sessions with their events, facets, stats", async () => {
    const paths = [
      "/v1/sessions?limit=500",
      ...Object.values(SESSIONS).map((id) => `/v1/sessions/${id}`),
      "/v1/sessions?q=REDACTED",
      "/v1/facets",
      "/v1/stats",
      "/v1/stats/timeline?hours=24&buckets=24",
      "/v1/stats/daily?days=2",
      "/v1/stats/cost-by-project?days=2",
    ];
    let all = "";
    for (const path of paths) {
      const reply = await api.get(path);
      expect({ path, status: reply.status }).toEqual({ path, status: 200 });
      all += JSON.stringify(reply.body);
    }
    expect(leaks(all)).toEqual([]);
    const session = (await api.get(`/v1/sessions/${SESSIONS.claude}`)).body;
    expect(session.title).toContain("[REDACTED:");
    expect(session.events.map((e: { detail: string | null }) => e.detail).join("\n")).toMatch(/\[REDACTED:openai\]/);
    const custom = (await api.get(`/v1/sessions/${SESSIONS.events}`)).body;
    expect(custom.title).toBe("Rotate [REDACTED:openai]");
    expect(custom.end_detail).toBe("crashed: MAPS_API_KEY='[REDACTED:key]'");
  });
});

describe("secrets in what Pulse sends out", () => {
  it("are in no notification: Claude Code's permission wait, whose message held a key, reaches the webhook redacted", async () => {
    const [delivery] = await waitFor(
      () => {
        const found = receiver.received.filter((r) => r.body?.session?.id === SESSIONS.claude);
        return found.length > 0 ? found : undefined;
      },
      { what: "the permission wait's notification", timeoutMs: 20_000 },
    );
    expect(delivery.body).toMatchObject({ type: "session.waiting", reason: "permission" });
    expect(delivery.body.session.waiting_detail).toMatch(/\[REDACTED:/);
    expect(leaks(receiver.received.map((r) => r.raw.toString("utf8")).join("\n"))).toEqual([]);
  });

  it("are in no change the live stream sends, its whole history included", async () => {
    const stream = new StreamClient(`${stack.url}/v1/stream?last_event_id=0-0`);
    try {
      expect((await stream.started()).status).toBe(200);
      // The history holds the changes of every session posted above, titles included.
      await waitFor(
        () => Object.values(SESSIONS).every((id) => stream.sessions.some((s) => s.id === id)) || undefined,
        { what: "every session's changes" },
      );
    } finally {
      stream.drop();
    }
    expect(stream.body).toMatch(/\[REDACTED:/);
    expect(leaks(stream.body)).toEqual([]);
  });
});

describe("PULSE_REDACT=off", () => {
  it("stores what was sent as it was (the detector above would have seen it)", async () => {
    const off = await startStack({ label: "redact-off", env: { PULSE_REDACT: "off" } });
    try {
      const offApi = client(off.url);
      const prompt = `Use ${tokens[0]} for the API`;
      expect(
        (
          await offApi.post("/v1/hooks/claude-code", {
            session_id: "redact-off-1",
            cwd: "/tmp/x",
            hook_event_name: "UserPromptSubmit",
            prompt,
          })
        ).status,
      ).toBe(202);
      const session = await waitFor(
        async () => {
          const reply = await offApi.get("/v1/sessions/redact-off-1");
          return reply.body?.event_count === 1 ? reply.body : undefined;
        },
        { what: "the session on the stack without redaction" },
      );
      expect(session.title).toBe(prompt.slice(0, session.title.length - 1) + "…");
      expect(session.events[0].detail).toBe(prompt);
      expect(leaks(JSON.stringify(session))).not.toEqual([]);
    } finally {
      await off.stop();
    }
  });
});

/** Claude Code's OTLP logs export, with OTEL_LOG_USER_PROMPTS (the prompt is logged) and a tool's input in a record. */
function otlpLogs() {
  const body = fixture("otlp/claude-code-logs.json");
  const setAttribute = (record: { attributes: { key: string; value: unknown }[] }, key: string, value: unknown) => {
    record.attributes = record.attributes.filter((a) => a.key !== key).concat({ key, value });
  };
  for (const resource of body.resourceLogs) {
    for (const scope of resource.scopeLogs) {
      for (const record of scope.logRecords) {
        setAttribute(record, "session.id", { stringValue: SESSIONS.otlp });
        const name = String(record.body?.stringValue ?? "");
        if (name.endsWith("user_prompt"))
          setAttribute(record, "prompt", { stringValue: `Deploy with ${tokens.join(" ")}` });
        if (name.endsWith("tool_result")) {
          setAttribute(record, "tool_parameters", {
            stringValue: JSON.stringify({ bash_command: CORPUS[0].text, full_command: ALL_TEXT }),
          });
          setAttribute(record, "db.password", { stringValue: "hunter2-otlp" });
        }
      }
    }
  }
  return body;
}

/** Gemini CLI's spans, run with a prompt (a key in it) on its command line. */
function otlpSpans() {
  const body = fixture("real/gemini-0.61.0/otlp/body-00306-traces.json");
  for (const resource of body.resourceSpans) {
    for (const attribute of resource.resource.attributes) {
      if (attribute.key === "session.id") attribute.value = { stringValue: SESSIONS.spans };
      if (attribute.key === "process.command_args")
        attribute.value.arrayValue.values.push({ stringValue: `deploy with ${tokens[7]}` });
    }
    for (const scope of resource.scopeSpans)
      for (const span of scope.spans)
        (span.attributes ??= []).push({ key: "gen_ai.input.messages", value: { stringValue: ALL_TEXT } });
  }
  return body;
}

async function redisValue(redis: Redis, key: string): Promise<string> {
  const type = await redis.type(key);
  switch (type) {
    case "string":
      return (await redis.getBuffer(key))?.toString("latin1") ?? "";
    case "hash":
      return JSON.stringify(await redis.hgetall(key));
    case "list":
      return JSON.stringify(await redis.lrange(key, 0, -1));
    case "set":
      return JSON.stringify(await redis.smembers(key));
    case "zset":
      return JSON.stringify(await redis.zrange(key, 0, -1, "WITHSCORES"));
    case "stream":
      return JSON.stringify(await redis.xrange(key, "-", "+"));
    default:
      return `(${type})`;
  }
}
