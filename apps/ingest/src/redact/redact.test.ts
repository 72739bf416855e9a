import { agentById, buildEvent, type NormalizedEvent } from "@pulse/core";
import { CORPUS, CORPUS_TEXT, type CorpusSecret, fakeChars, NOT_SECRETS } from "../../../../test/redaction-corpus";
import { MAX_DEPTH } from "./event-redaction";
import { applyRanges } from "./ranges";
import { createRedactor, type Redactor } from "./redactor";
import { loadSecretlintScanner, RULE_TRIGGERS, type SecretlintScanner } from "./secretlint-scanner";
import { TextBatch, triggerIndex } from "./text-batch";
import { TEXT_RULES } from "./text-rules";

let redactor: Redactor;
let scanner: SecretlintScanner;

beforeAll(async () => {
  redactor = await createRedactor({ enabled: true, extraPatterns: [] });
  scanner = await loadSecretlintScanner();
});

/** The places a secret reaches Pulse in, as a user or a tool would put it there. */
function contexts(secret: CorpusSecret): [string, string, string[]][] {
  const out: [string, string, string[]][] = [["its own line", secret.text, secret.kinds]];
  if (secret.token !== null) {
    const t = secret.token;
    out.push(
      ["a prompt", `Here is the key, use it to call the API for me: ${t} — and do not print it.`, secret.kinds],
      ["a Bash command", `echo ${t} | pbcopy && ./deploy.sh`, secret.kinds],
      [
        "multi-line tool output",
        `Loading config…\n  found credentials in ~/.config/acme\n  ${t}\nDone in 1.2s`,
        secret.kinds,
      ],
      ["a JSON string", JSON.stringify({ config: { value: t, note: "from the vault" } }), secret.kinds],
      // URL-encoded, a key may no longer look like one: the `token=` before it says what it is.
      [
        "a URL",
        `https://api.internal.net/v1/callback?session=42&token=${encodeURIComponent(t)}&next=%2F`,
        [...secret.kinds, "token"],
      ],
    );
  }
  out.push([
    "the middle of a long output",
    `${"ok\n".repeat(2000)}${secret.text}\n${"done\n".repeat(2000)}`,
    secret.kinds,
  ]);
  return out;
}

/** The secret, or a tell-tale part of it (its last 12 characters), anywhere in `haystack`. */
function leak(haystack: string, secret: CorpusSecret): string | null {
  for (const material of secret.material) {
    if (haystack.includes(material)) return material;
    if (material.length >= 24 && haystack.includes(material.slice(-12))) return material.slice(-12);
  }
  return null;
}

const placeholders = (text: string) => [...text.matchAll(/\[REDACTED:([a-z0-9_.-]+)\]/g)].map((m) => m[1]);

function hookEvent(body: Record<string, unknown>): NormalizedEvent {
  const mapped = agentById("claude-code")!.mapHook(body)!;
  return buildEvent(
    { session_id: String(body.session_id), source: "claude-code", cwd: String(body.cwd) },
    mapped,
    { key: "k-1", receivedMs: Date.parse("2026-01-03T10:00:00Z"), host: "dev-box" },
    body,
  );
}

const base = {
  session_id: "08e837c8-2e94-4747-a03b-0a6566c8bc87",
  transcript_path: "/home/dev/.claude/projects/x/08e837c8.jsonl",
  cwd: "/home/dev/work/pulse",
  permission_mode: "default",
};

describe("redacting text", () => {
  describe.each(CORPUS.map((s) => [s.id, s] as const))("%s", (_id, secret) => {
    it.each(contexts(secret))("in %s: gone, replaced by its placeholder", async (_where, text, kinds) => {
      const out = await redactor.redactText(text);
      expect(leak(out, secret)).toBeNull();
      expect(placeholders(out).some((kind) => kinds.includes(kind))).toBe(true);
    });
  });

  it("redacts every secret of a .env-style dump at once, each with its own placeholder", async () => {
    const out = await redactor.redactText(CORPUS_TEXT);
    for (const secret of CORPUS) expect(leak(out, secret)).toBeNull();
    expect(placeholders(out).length).toBeGreaterThanOrEqual(CORPUS.length);
  });

  it.each(NOT_SECRETS)("leaves %j alone", async (text) => {
    expect(await redactor.redactText(text)).toBe(text);
  });

  it("keeps the words around a secret, and the name of a credential", async () => {
    const token = CORPUS.find((s) => s.id === "github-classic")!.token!;
    expect(await redactor.redactText(`export GITHUB_TOKEN=${token} && gh repo list`)).toBe(
      "export GITHUB_TOKEN=[REDACTED:github] && gh repo list",
    );
    expect(await redactor.redactText('curl -H "Authorization: Bearer abcdefgh12345678" x')).toBe(
      'curl -H "Authorization: Bearer [REDACTED:authorization]" x',
    );
    expect(await redactor.redactText("DB_PASSWORD=hunter2 npm start")).toBe(
      "DB_PASSWORD=[REDACTED:password] npm start",
    );
  });

  it("redacts a key cut short at the end of a line ingest truncated", async () => {
    const key = CORPUS.find((s) => s.id === "anthropic")!.token!;
    for (const cut of [20, 40, 60]) {
      const out = await redactor.redactText(`use ${key.slice(0, cut)}…`);
      expect(out).not.toContain(key.slice(14, cut));
    }
    const pem = CORPUS.find((s) => s.id === "private-key-rsa")!;
    const cutPem = pem.text.slice(0, pem.text.indexOf(pem.material[2]));
    expect(await redactor.redactText(cutPem)).not.toContain(pem.material[1]);
  });

  it("replaces the whole of a key secretlint reports only part of (its AWS rule stops short)", async () => {
    const key = CORPUS.find((s) => s.id === "aws-secret-access-key")!.material[0];
    const text = `aws_secret_access_key=${key}`;
    const [found] = await scanner.scan([text], new Set(["aws"]));
    // The library's span starts at the name and is as long as the key: the key's end lies past it.
    expect(found).toEqual([expect.objectContaining({ kind: "aws", start: 0, end: 40 })]);
    expect(applyRanges(text, found)).toBe("[REDACTED:aws]");
    expect(await redactor.redactText(text)).toBe("[REDACTED:aws]");
  });

  it("ignores secretlint-disable comments in the text (the text cannot switch the scan off)", async () => {
    const token = CORPUS.find((s) => s.id === "stripe")!.token!;
    expect(
      await redactor.redactText(`// secretlint-disable\nconst key = "${token}";\n// secretlint-enable`),
    ).not.toContain(token);
  });
});

describe("redacting events", () => {
  const anthropic = CORPUS.find((s) => s.id === "anthropic")!.token!;
  const ghp = CORPUS.find((s) => s.id === "github-classic")!.token!;

  it("redacts a prompt (detail, title) and the payload, and leaves ids, times and places alone", async () => {
    const event = hookEvent({
      ...base,
      hook_event_name: "UserPromptSubmit",
      prompt: `call the API with ${anthropic} please`,
    });
    const [out] = await redactor.redactEvents([event]);
    expect(JSON.stringify(out)).not.toContain(anthropic.slice(-12));
    expect(out.detail).toBe("call the API with [REDACTED:anthropic] please");
    expect((out.payload as { prompt: string }).prompt).toBe("call the API with [REDACTED:anthropic] please");
    for (const field of [
      "key",
      "session_id",
      "source",
      "kind",
      "time",
      "received_at",
      "cwd",
      "project",
      "host",
    ] as const)
      expect(out[field]).toEqual(event[field]);
  });

  it("redacts a Bash PostToolUse: the command (detail) and its multi-line output", async () => {
    const event = hookEvent({
      ...base,
      hook_event_name: "PostToolUse",
      tool_name: "Bash",
      tool_input: { command: `GITHUB_TOKEN=${ghp} gh api user`, description: "Who am I" },
      tool_response: { stdout: `${CORPUS_TEXT}\n`, stderr: "", interrupted: false, isImage: false },
    });
    const [out] = await redactor.redactEvents([event]);
    const json = JSON.stringify(out);
    for (const secret of CORPUS) expect(leak(json, secret)).toBeNull();
    expect(out.detail).toContain("GITHUB_TOKEN=[REDACTED:github]");
    expect(out.tool).toBe("Bash");
  });

  it("redacts values under credential names whatever they look like, in objects and OpenTelemetry attributes", async () => {
    const event = hookEvent({
      ...base,
      hook_event_name: "PreToolUse",
      tool_name: "mcp__db__connect",
      tool_input: {
        host: "db.internal",
        password: "hunter2",
        apiKey: "abc",
        headers: { Authorization: "Basic dXNlcjpwYXNz", "X-Api-Key": "k3y" },
        max_tokens: 4096,
        token_count: "12",
      },
      attributes: [
        { key: "db.password", value: { stringValue: "s3cr3t" } },
        { key: "session.id", value: { stringValue: "08e837c8" } },
      ],
    });
    const [out] = await redactor.redactEvents([event]);
    const payload = out.payload as {
      tool_input: Record<string, unknown>;
      attributes: { key: string; value: { stringValue: string } }[];
    };
    expect(payload.tool_input).toEqual({
      host: "db.internal",
      password: "[REDACTED:password]",
      apiKey: "[REDACTED:key]",
      headers: { Authorization: "[REDACTED:authorization]", "X-Api-Key": "[REDACTED:key]" },
      max_tokens: 4096,
      token_count: "12",
    });
    expect(payload.attributes).toEqual([
      { key: "db.password", value: { stringValue: "[REDACTED:password]" } },
      { key: "session.id", value: { stringValue: "08e837c8" } },
    ]);
  });

  it("returns events with nothing to redact as they are (same objects)", async () => {
    const events = [
      hookEvent({ ...base, hook_event_name: "UserPromptSubmit", prompt: "add a test for the reaper" }),
      hookEvent({ ...base, hook_event_name: "Stop" }),
    ];
    const out = await redactor.redactEvents(events);
    expect(out[0]).toBe(events[0]);
    expect(out[1]).toBe(events[1]);
  });

  it("keeps redacted fields within the queue's lengths", async () => {
    const event = hookEvent({ ...base, hook_event_name: "UserPromptSubmit", prompt: "DB_PASS=hunter2 ".repeat(200) });
    const [out] = await redactor.redactEvents([event]);
    expect(out.detail!.length).toBeLessThanOrEqual(2000);
    expect(out.detail).not.toMatch(/hunter2/);
    expect(out.detail).toMatch(/^(DB_PASS=\[REDACTED:password\] )+/);
  });

  it("redacts a truncated payload (a string of cut JSON)", async () => {
    const event = hookEvent({
      ...base,
      hook_event_name: "PostToolUse",
      tool_name: "Bash",
      tool_input: { command: "cat .env" },
      tool_response: { stdout: `${"x".repeat(70_000)}\nTOKEN=${ghp}` },
    });
    const cut = {
      ...event,
      payload: `{"tool_response":{"stdout":"TOKEN=${ghp}\\nAPI_KEY=\\"abcdef123456\\"`,
      payload_truncated: true,
    };
    const [out] = await redactor.redactEvents([cut]);
    expect(out.payload).toBe('{"tool_response":{"stdout":"TOKEN=[REDACTED:github]\\nAPI_KEY=\\"[REDACTED:key]\\"');
    expect(out.payload_truncated).toBe(true);
  });
});

describe("odd input never throws and never lets a secret through", () => {
  const ghp = CORPUS.find((s) => s.id === "github-classic")!.token!;
  const eventWith = (payload: unknown): NormalizedEvent => ({
    ...hookEvent({ ...base, hook_event_name: "Stop" }),
    payload,
  });

  it("a `__proto__` key from JSON stays an own property, redacted, and no prototype is set", async () => {
    const payload = JSON.parse(
      `{"__proto__": "${ghp}", "nested": {"__proto__": {"password": "x1"}}, "constructor": "${ghp}"}`,
    );
    const [out] = await redactor.redactEvents([eventWith(payload)]);
    const p = out.payload as Record<string, unknown>;
    expect(Object.getPrototypeOf(p)).toBe(Object.prototype);
    expect(JSON.stringify(p)).toBe(
      '{"__proto__":"[REDACTED:github]","nested":{"__proto__":{"password":"[REDACTED:password]"}},"constructor":"[REDACTED:github]"}',
    );
  });

  it("JSON nested deeper than the walk goes is dropped, not stored raw", async () => {
    let deep: unknown = { token: ghp, text: `TOKEN=${ghp}` };
    for (let i = 0; i < 10_000; i++) deep = [deep];
    const [out] = await redactor.redactEvents([eventWith({ deep })]);
    const json = JSON.stringify(out.payload);
    expect(json).not.toContain(ghp);
    expect(json).toContain("[REDACTED:too-deep]");
    expect(json.split("[").length - 1).toBeGreaterThanOrEqual(MAX_DEPTH - 2);
  });

  it("a cycle (built in code, never from JSON) ends at the depth limit", async () => {
    const cyclic: Record<string, unknown> = { note: `TOKEN=${ghp}` };
    cyclic.self = cyclic;
    const [out] = await redactor.redactEvents([eventWith(cyclic)]);
    expect(JSON.stringify(out.payload)).not.toContain(ghp);
  });

  it("a huge string with a secret at its very end", async () => {
    const huge = "a".repeat(1_000_000) + ` ${ghp}`;
    const out = await redactor.redactText(huge);
    expect(out.endsWith(" [REDACTED:github]")).toBe(true);
    expect(out.length).toBe(1_000_000 + 1 + "[REDACTED:github]".length);
  });

  it("lone surrogates, emoji and control characters around secrets", async () => {
    const out = await redactor.redactText(`\uD800${ghp}\uDFFF 😀PASSWORD=p😀ss \u0000 \uDBFF`);
    expect(out).toBe("\uD800[REDACTED:github]\uDFFF 😀PASSWORD=[REDACTED:password] \u0000 \uDBFF");
  });

  it("values JSON never gives (a Buffer, a Date, a Map) are dropped, not walked", async () => {
    const [out] = await redactor.redactEvents([
      eventWith({
        raw: Buffer.from(`TOKEN=${ghp}`),
        when: new Date(0),
        m: new Map([["k", ghp]]),
        n: 1,
        b: true,
        z: null,
      }),
    ]);
    expect(out.payload).toEqual({
      raw: "[REDACTED:unsupported]",
      when: "[REDACTED:unsupported]",
      m: "[REDACTED:unsupported]",
      n: 1,
      b: true,
      z: null,
    });
  });

  it("a key that itself holds a secret is redacted too", async () => {
    const [out] = await redactor.redactEvents([eventWith({ [ghp]: 1, [`x ${ghp}`]: 2 })]);
    expect(out.payload).toEqual({ "[REDACTED:github]": 1, "x [REDACTED:github]": 2 });
  });

  it("a rule that throws fails the string closed: [REDACTED:error]", async () => {
    const broken = {
      kind: "broken",
      trigger: { needles: ["boom"] },
      find: () => {
        throw new Error("boom");
      },
    };
    const batch = new TextBatch({ own: [broken, ...TEXT_RULES], extra: [], secretlint: scanner });
    expect(batch.add("it goes boom here")).toBe(true);
    await batch.finish();
    expect(batch.result("it goes boom here")).toBe("[REDACTED:error]");
  });

  it("secretlint failing fails its strings closed", async () => {
    const failing: SecretlintScanner = { rules: scanner.rules, scan: () => Promise.reject(new Error("lint failed")) };
    const batch = new TextBatch({ own: [], extra: [], secretlint: failing });
    const text = `npm publish --token npm_${fakeChars(36, "abcdef0123456789", 3)}`;
    expect(batch.add(text)).toBe(true);
    await batch.finish();
    expect(batch.result(text)).toBe("[REDACTED:error]");
  });
});

describe("switches", () => {
  it("PULSE_REDACT=off stores events exactly as they came", async () => {
    const off = await createRedactor({ enabled: false, extraPatterns: [] });
    const event = hookEvent({ ...base, hook_event_name: "UserPromptSubmit", prompt: `TOKEN=${CORPUS[0].token}` });
    const [out] = await off.redactEvents([event]);
    expect(out).toBe(event);
    expect(await off.redactText(CORPUS_TEXT)).toBe(CORPUS_TEXT);
  });

  it("extra patterns redact with their own kind, the `secret` group only when there is one", async () => {
    const custom = await createRedactor({
      enabled: true,
      extraPatterns: [
        { kind: "acme", source: "acme_[a-z0-9]{12}", flags: "" },
        { kind: "ticket", source: "ticket (?<secret>\\d{6})", flags: "i" },
      ],
    });
    expect(await custom.redactText("deploy with acme_0123456789ab for TICKET 123456 now")).toBe(
      "deploy with [REDACTED:acme] for TICKET [REDACTED:ticket] now",
    );
    // The built-in rules still apply.
    expect(await custom.redactText("PASSWORD=hunter2")).toBe("PASSWORD=[REDACTED:password]");
    // Without them, the same text is left alone.
    expect(await redactor.redactText("deploy with acme_0123456789ab")).toBe("deploy with acme_0123456789ab");
  });
});

describe("triggers", () => {
  /** One key each of secretlint's recommended rules reports (checked below), to prove each rule's trigger lets it run. */
  const AN = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  const HEX = "0123456789abcdef";
  const pem = (label: string) =>
    `-----BEGIN ${label}PRIVATE KEY-----\n${("MIIEow" + fakeChars(1560, AN + "+/", 17)).replace(/(.{64})/g, "$1\n").trim()}\n-----END ${label}PRIVATE KEY-----`;
  // A service account token is `ops_` + base64 of a JSON object (`ey…fQ==`).
  let account = {
    signInAddress: "my.1password.com",
    email: "ci@pulse.dev",
    srpX: fakeChars(64, HEX, 27),
    secretKey: "A3-" + fakeChars(26, AN, 29),
    pad: "",
  };
  while (!Buffer.from(JSON.stringify(account)).toString("base64").endsWith("fQ=="))
    account = { ...account, pad: account.pad + "x" };
  const onePasswordToken = "ops_" + Buffer.from(JSON.stringify(account)).toString("base64");
  const SAMPLES: Record<string, string> = {
    aws: `aws_secret_access_key = ${fakeChars(40, AN + "/+", 1)}`,
    npm: `npm_${fakeChars(36, AN, 4)}`,
    slack: `xoxb-${fakeChars(12, "0123456789", 5)}-${fakeChars(13, "0123456789", 6)}-${fakeChars(24, AN, 7)}`,
    basicauth: `https://deploy:${fakeChars(16, AN, 8)}@git.internal.net/pulse.git`,
    openai: `sk-proj-${fakeChars(74, AN + "_-", 9)}T3BlbkFJ${fakeChars(74, AN + "_-", 10)}`,
    anthropic: `sk-ant-api03-${fakeChars(93, AN + "_-", 11)}AA`,
    groq: `gsk_${fakeChars(52, AN, 12)}`,
    huggingface: `hf_${fakeChars(34, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", 13)}`,
    linear: `lin_api_${fakeChars(40, AN, 14)}`,
    notion: `ntn_${fakeChars(11, "0123456789", 15)}${fakeChars(35, AN, 16)}`,
    privatekey: pem("RSA "),
    sendgrid: `SG.${fakeChars(22, AN + "_", 18)}.${fakeChars(43, AN + "_", 19)}`,
    shopify: `shpat_${fakeChars(32, HEX, 20)}`,
    stripe: `sk_live_${fakeChars(24, AN, 21)}`,
    github: `ghp_${fakeChars(36, AN, 22)}`,
    gitlab: `glpat-${fakeChars(20, AN + "_-", 23)}`,
    grafana: `glsa_${fakeChars(32, AN, 24)}_${fakeChars(8, HEX, 25)}`,
    "1password": onePasswordToken,
    "database-connection-string": `postgres://app:${fakeChars(16, AN, 33)}@db.internal:5432/pulse_prod`,
    "hashicorp-vault": `hvs.${fakeChars(100, AN + "_-", 34)}`,
    vercel: `vcp_${fakeChars(40, AN, 35)}`,
    databricks: `dapi${fakeChars(32, HEX, 36)}`,
    docker: `dckr_pat_${fakeChars(27, AN + "_-", 37)}`,
    figma: `figd_${fakeChars(40, AN + "_-", 38)}`,
    cloudflare: `cfut_${fakeChars(40, AN, 39)}${fakeChars(8, HEX, 40)}`,
    tailscale: `tskey-auth-${fakeChars(12, AN, 41)}-${fakeChars(30, AN, 42)}`,
  };

  it("every rule of secretlint's preset has a trigger here (a new rule would run on every string until it gets one)", () => {
    expect(scanner.rules.map((r) => r.id).sort()).toEqual(Object.keys(RULE_TRIGGERS).sort());
  });

  it.each(Object.keys(RULE_TRIGGERS))(
    "%s: its sample is reported by secretlint, and its trigger fires on it",
    async (id) => {
      const sample = SAMPLES[id];
      const [found] = await scanner.scan([sample], new Set([id]));
      expect(found.map((f) => f.kind)).toContain(id);
      const fired = triggerIndex({ own: TEXT_RULES, extra: [], secretlint: scanner }).match(sample);
      expect(fired.has(id)).toBe(true);
    },
  );
});
