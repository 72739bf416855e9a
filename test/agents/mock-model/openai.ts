import { randomBytes } from "node:crypto";
import { type MockModelServer, type ModelRequest, openSse, sendJson, sleep, startModelServer } from "./http-server";
import { chunksOf, ModelScript, type Reply, type RequestRole } from "./script";

/** Codex's title generator runs as a thread of its own with this prompt (not a user turn). */
export const CODEX_TITLE_PROMPT = /Generate a concise, single-line task title/i;

/**
 * OpenAI Responses API as Codex uses it (a `wire_api = "responses"` provider): `POST /v1/responses`
 * as SSE (response.created, output_item.added, output_text.delta, output_item.done,
 * response.completed with usage), tool calls as `function_call` items; `/v1/models` lists one model.
 */
export function startOpenAiMock(script = new ModelScript()): Promise<MockModelServer> {
  return startModelServer(async (req, record) => {
    if (req.method === "POST" && req.path === "/v1/responses") {
      const body = req.body ?? {};
      const prompt = latestPrompt(body);
      const toolResult = endsWithToolResult(body);
      const role: RequestRole =
        Array.isArray(body.tools) &&
        body.tools.length > 0 &&
        !CODEX_TITLE_PROMPT.test(prompt) &&
        !CODEX_TITLE_PROMPT.test(String(body.instructions ?? ""))
          ? "turn"
          : "side";
      const reply: Reply =
        role === "turn" ? script.answer(prompt, toolResult) : { kind: "text", text: "Mock task title" };
      record({ role, prompt, toolResult, answered: reply.kind });
      return answer(req, body, reply);
    }
    if (req.method === "GET" && /^\/v1\/models/.test(req.path)) {
      record({ role: "meta", prompt: "", toolResult: false, answered: "models" });
      return sendJson(req.res, 200, {
        object: "list",
        data: [{ id: "gpt-5-codex", object: "model", created: 0, owned_by: "mock" }],
        models: [],
      });
    }
    record({ role: "meta", prompt: "", toolResult: false, answered: "404" });
    return sendJson(req.res, 404, {
      error: { type: "invalid_request_error", code: "not_found", message: `mock: no ${req.method} ${req.path}` },
    });
  }, script);
}

function itemText(item: any): string {
  if (typeof item?.content === "string") return item.content;
  if (!Array.isArray(item?.content)) return "";
  return item.content
    .filter((c: any) => c && typeof c.text === "string" && (c.type === "input_text" || c.type === "text"))
    .map((c: any) => c.text)
    .join("\n");
}

/** The newest user message's text. */
export function latestPrompt(body: any): string {
  const input: any[] = Array.isArray(body?.input)
    ? body.input
    : typeof body?.input === "string"
      ? [{ role: "user", content: body.input }]
      : [];
  for (let i = input.length - 1; i >= 0; i--) {
    const item = input[i];
    if (item?.role === "user" && (item.type === undefined || item.type === "message")) {
      const text = itemText(item);
      // Codex sends its environment and instructions as user messages too.
      if (text.trim() && !/^\s*<(environment_context|user_instructions|permissions instructions)/.test(text))
        return text;
    }
  }
  return "";
}

function endsWithToolResult(body: any): boolean {
  const input: any[] = Array.isArray(body?.input) ? body.input : [];
  const last = input[input.length - 1];
  return (
    last?.type === "function_call_output" ||
    last?.type === "custom_tool_call_output" ||
    last?.type === "local_shell_call_output"
  );
}

const id = (prefix: string) => `${prefix}_${randomBytes(12).toString("hex")}`;

/** A function_call item for the shell tool this request offers, in the arguments shape it declares. */
function shellCall(body: any, reply: Extract<Reply, { kind: "tool" }>): Record<string, unknown> {
  const command = reply.command;
  const tools: any[] = Array.isArray(body?.tools) ? body.tools : [];
  const names = new Set(tools.map((t) => t?.name).filter(Boolean));
  // require_escalated opens Codex's approval dialog (on-request approval, the default).
  const escalation = reply.escalate
    ? { sandbox_permissions: "require_escalated", justification: "The test asks for approval" }
    : {};
  const call = (name: string, args: unknown) => ({
    type: "function_call",
    id: id("fc"),
    call_id: id("call"),
    name,
    arguments: JSON.stringify(args),
    status: "completed",
  });
  if (names.has("shell_command")) return call("shell_command", { command, ...escalation });
  // yield_time_ms 30000: the longest Codex waits before handing the model a still-running process.
  if (names.has("exec_command")) return call("exec_command", { cmd: command, yield_time_ms: 30000, ...escalation });
  if (names.has("shell")) return call("shell", { command: ["bash", "-lc", command], ...escalation });
  return call("shell_command", { command });
}

async function answer(req: ModelRequest, body: any, reply: Reply): Promise<void> {
  if (reply.kind === "http_error")
    return sendJson(req.res, reply.status, {
      error: {
        type: reply.status >= 500 ? "server_error" : "invalid_request_error",
        code: null,
        message: reply.message ?? `Mock ${reply.status} error`,
      },
    });
  const model = typeof body.model === "string" ? body.model : "gpt-5-codex";
  const responseId = id("resp");
  const base = { id: responseId, object: "response", created_at: Math.floor(Date.now() / 1000), model };
  const sse = openSse(req.res);
  sse.event("response.created", { type: "response.created", response: { ...base, status: "in_progress", output: [] } });
  if (reply.kind === "stream_error") {
    sse.event("response.failed", {
      type: "response.failed",
      response: {
        ...base,
        status: "failed",
        output: [],
        error: { code: "server_error", message: reply.message ?? "Mock stream error" },
      },
    });
    return sse.end();
  }
  const output: Array<Record<string, unknown>> = [];
  const text = reply.text;
  if (text) {
    const itemId = id("msg");
    const index = output.length;
    sse.event("response.output_item.added", {
      type: "response.output_item.added",
      output_index: index,
      item: { type: "message", id: itemId, status: "in_progress", role: "assistant", content: [] },
    });
    sse.event("response.content_part.added", {
      type: "response.content_part.added",
      item_id: itemId,
      output_index: index,
      content_index: 0,
      part: { type: "output_text", text: "", annotations: [] },
    });
    for (const part of reply.kind === "slow" ? chunksOf(text, reply.chunks) : chunksOf(text, 3)) {
      if (req.closed()) return;
      sse.event("response.output_text.delta", {
        type: "response.output_text.delta",
        item_id: itemId,
        output_index: index,
        content_index: 0,
        delta: part,
      });
      if (reply.kind === "slow") await sleep(reply.chunkMs);
    }
    const item = {
      type: "message",
      id: itemId,
      status: "completed",
      role: "assistant",
      content: [{ type: "output_text", text, annotations: [] }],
    };
    sse.event("response.output_text.done", {
      type: "response.output_text.done",
      item_id: itemId,
      output_index: index,
      content_index: 0,
      text,
    });
    sse.event("response.output_item.done", { type: "response.output_item.done", output_index: index, item });
    output.push(item);
  }
  if (reply.kind === "tool") {
    const item = shellCall(body, reply);
    const index = output.length;
    sse.event("response.output_item.added", {
      type: "response.output_item.added",
      output_index: index,
      item: { ...item, arguments: "", status: "in_progress" },
    });
    sse.event("response.function_call_arguments.delta", {
      type: "response.function_call_arguments.delta",
      item_id: item.id,
      output_index: index,
      delta: item.arguments,
    });
    sse.event("response.function_call_arguments.done", {
      type: "response.function_call_arguments.done",
      item_id: item.id,
      output_index: index,
      arguments: item.arguments,
    });
    sse.event("response.output_item.done", { type: "response.output_item.done", output_index: index, item });
    output.push(item);
  }
  const usage = {
    input_tokens: 150,
    input_tokens_details: { cached_tokens: 0 },
    output_tokens: 25,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: 175,
  };
  sse.event("response.completed", {
    type: "response.completed",
    response: { ...base, status: "completed", output, usage },
  });
  sse.end();
}
