import { type MockModelServer, type ModelRequest, openSse, sendJson, sleep, startModelServer } from "./http-server";
import { chunksOf, ModelScript, type Reply, type RequestRole } from "./script";

/**
 * The Gemini API as Gemini CLI uses it (GOOGLE_GEMINI_BASE_URL): `POST
 * /v1beta/models/<m>:streamGenerateContent?alt=sse` for turns (with `usageMetadata`, tool calls as
 * `functionCall` parts), `:generateContent` for its JSON side requests (next speaker, routing), and
 * `:countTokens`.
 */
export function startGeminiMock(script = new ModelScript()): Promise<MockModelServer> {
  return startModelServer(async (req, record) => {
    const match = /^\/v1(?:beta|alpha)?\/models\/([^/:]+):(streamGenerateContent|generateContent|countTokens)$/.exec(
      req.path,
    );
    if (req.method !== "POST" || !match) {
      record({ role: "meta", prompt: "", toolResult: false, answered: "404" });
      return sendJson(req.res, 404, {
        error: { code: 404, status: "NOT_FOUND", message: `mock: no ${req.method} ${req.path}` },
      });
    }
    const [, model, method] = match;
    const body = req.body ?? {};
    const prompt = latestPrompt(body);
    if (method === "countTokens") {
      record({ role: "meta", prompt, toolResult: false, answered: "countTokens" });
      return sendJson(req.res, 200, { totalTokens: 100 });
    }
    const toolResult = endsWithToolResult(body);
    const declared = (body.tools ?? []).flatMap((t: any) => t?.functionDeclarations ?? []);
    const schema = body.generationConfig?.responseJsonSchema ?? body.generationConfig?.responseSchema;
    // A turn offers tools and wants free text; JSON-schema requests are the CLI's own checks.
    const role: RequestRole = method === "streamGenerateContent" && declared.length > 0 && !schema ? "turn" : "side";
    const reply: Reply =
      role === "turn"
        ? script.answer(prompt, toolResult)
        : { kind: "text", text: schema ? JSON.stringify(sample(schema)) : "Mock" };
    record({ role, prompt, toolResult, answered: reply.kind });
    return answer(req, model, method === "streamGenerateContent", reply);
  }, script);
}

function partsText(content: any): string {
  return (Array.isArray(content?.parts) ? content.parts : [])
    .filter((p: any) => typeof p?.text === "string")
    .map((p: any) => p.text)
    .join("\n");
}

/** The newest user content with text of its own (not a functionResponse). */
export function latestPrompt(body: any): string {
  const contents: any[] = Array.isArray(body?.contents) ? body.contents : [];
  for (let i = contents.length - 1; i >= 0; i--) {
    const c = contents[i];
    if (c?.role !== "user") continue;
    if ((c.parts ?? []).some((p: any) => p?.functionResponse)) continue;
    const text = partsText(c);
    if (text.trim()) return text;
  }
  return "";
}

function endsWithToolResult(body: any): boolean {
  const contents: any[] = Array.isArray(body?.contents) ? body.contents : [];
  const last = contents[contents.length - 1];
  return last?.role === "user" && (last.parts ?? []).some((p: any) => p?.functionResponse);
}

/**
 * A value of the JSON schema the CLI asks for. Gemini CLI's next-speaker check must hear "user"
 * (else it continues the turn by itself); other enums get their first value.
 */
export function sample(schema: any, key = ""): unknown {
  if (!schema || typeof schema !== "object") return null;
  if (Array.isArray(schema.enum))
    return key === "next_speaker" && schema.enum.includes("user") ? "user" : schema.enum[0];
  const type = String(Array.isArray(schema.type) ? schema.type[0] : (schema.type ?? "object")).toLowerCase();
  if (type === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(schema.properties ?? {})) out[k] = sample(v, k);
    return out;
  }
  if (type === "array") return [];
  if (type === "string") return key === "next_speaker" ? "user" : "mock";
  if (type === "number" || type === "integer") return typeof schema.minimum === "number" ? schema.minimum : 1;
  if (type === "boolean") return false;
  return null;
}

const usage = { promptTokenCount: 130, candidatesTokenCount: 22, totalTokenCount: 152, cachedContentTokenCount: 0 };

async function answer(req: ModelRequest, model: string, stream: boolean, reply: Reply): Promise<void> {
  if (reply.kind === "http_error") {
    const status =
      reply.status === 429
        ? "RESOURCE_EXHAUSTED"
        : reply.status >= 500
          ? reply.status === 503
            ? "UNAVAILABLE"
            : "INTERNAL"
          : "INVALID_ARGUMENT";
    return sendJson(req.res, reply.status, {
      error: { code: reply.status, message: reply.message ?? `Mock ${reply.status} error`, status },
    });
  }
  const chunk = (parts: unknown[], finish?: string) => ({
    candidates: [{ content: { role: "model", parts }, index: 0, ...(finish ? { finishReason: finish } : {}) }],
    usageMetadata: usage,
    modelVersion: model,
    responseId: `mock-${Date.now()}`,
  });
  if (!stream) {
    if (reply.kind === "stream_error")
      return sendJson(req.res, 500, {
        error: { code: 500, message: reply.message ?? "Mock error", status: "INTERNAL" },
      });
    const parts =
      reply.kind === "tool"
        ? [{ functionCall: { name: "run_shell_command", args: { command: reply.command } } }]
        : [{ text: reply.text }];
    return sendJson(req.res, 200, chunk(parts, "STOP"));
  }
  const sse = openSse(req.res);
  if (reply.kind === "stream_error") {
    sse.event(null, chunk([{ text: "" }]));
    sse.event(null, { error: { code: 500, message: reply.message ?? "Mock stream error", status: "INTERNAL" } });
    return sse.end();
  }
  if (reply.kind === "tool") {
    if (reply.text) sse.event(null, chunk([{ text: reply.text }]));
    sse.event(
      null,
      chunk(
        [
          {
            functionCall: { name: "run_shell_command", args: { command: reply.command, description: "Run a command" } },
          },
        ],
        "STOP",
      ),
    );
    return sse.end();
  }
  const parts = reply.kind === "slow" ? chunksOf(reply.text, reply.chunks) : chunksOf(reply.text, 3);
  for (let i = 0; i < parts.length; i++) {
    if (req.closed()) return;
    sse.event(null, chunk([{ text: parts[i] }], i === parts.length - 1 ? "STOP" : undefined));
    if (reply.kind === "slow") await sleep(reply.chunkMs);
  }
  sse.end();
}
