import { randomBytes } from "node:crypto";
import type { ServerResponse } from "node:http";
import { type ModelRequest, type MockModelServer, openSse, sendJson, sleep, startModelServer } from "./http-server";
import { chunksOf, ModelScript, type Reply, type RequestRole } from "./script";

/**
 * Anthropic Messages API as Claude Code uses it (ANTHROPIC_BASE_URL): `POST /v1/messages` streaming
 * (SSE) and JSON, `POST /v1/messages/count_tokens`, and a harmless answer to anything else.
 */
export function startAnthropicMock(script = new ModelScript()): Promise<MockModelServer> {
  return startModelServer(async (req, record) => {
    if (req.method === "POST" && req.path === "/v1/messages/count_tokens") {
      record({ role: "meta", prompt: latestPrompt(req.body), toolResult: false, answered: "count_tokens" });
      return sendJson(req.res, 200, { input_tokens: 100 });
    }
    if (req.method === "POST" && req.path === "/v1/messages") {
      const body = req.body ?? {};
      const prompt = latestPrompt(body);
      const toolResult = endsWithToolResult(body);
      const role: RequestRole = Array.isArray(body.tools) && body.tools.length > 0 ? "turn" : "side";
      // Side requests (titles, quota probes, summaries) always get a short text: scripted answers
      // (tool calls, errors, slow streams) are for the user's turns.
      const reply: Reply = role === "turn" ? script.answer(prompt, toolResult) : { kind: "text", text: sideText(body) };
      record({ role, prompt, toolResult, answered: reply.kind });
      return answer(req, body, reply);
    }
    record({ role: "meta", prompt: "", toolResult: false, answered: "404" });
    if (req.method === "GET" && /^\/v1\/models/.test(req.path))
      return sendJson(req.res, 200, { data: [], has_more: false });
    return sendJson(req.res, 404, {
      type: "error",
      error: { type: "not_found_error", message: `mock: no ${req.method} ${req.path}` },
    });
  }, script);
}

/**
 * The user's newest words in a message: the last text block other than Claude Code's system reminders and its
 * "[Request interrupted …]" markers (which it merges into the next user message with the tool result).
 */
function promptText(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  const words = content.filter(
    (b) =>
      b &&
      b.type === "text" &&
      typeof b.text === "string" &&
      !/^\s*(<system-reminder>|\[Request interrupted)/.test(b.text),
  );
  // After a failed turn Claude Code merges the old prompt and the new one into one message: the newest wins.
  return words.length ? words[words.length - 1].text : "";
}

/** The newest user message that carries words of the user (not only a tool result). */
export function latestPrompt(body: any): string {
  const messages: any[] = Array.isArray(body?.messages) ? body.messages : [];
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i];
    if (m?.role !== "user") continue;
    const text = promptText(m.content);
    if (text.trim()) return text;
  }
  return "";
}

/** A follow-up: the last message carries a tool result and no new words of the user. */
function endsWithToolResult(body: any): boolean {
  const last = Array.isArray(body?.messages) ? body.messages[body.messages.length - 1] : undefined;
  return (
    last?.role === "user" &&
    Array.isArray(last.content) &&
    last.content.some((b: any) => b?.type === "tool_result") &&
    !promptText(last.content).trim()
  );
}

/** Claude Code asks for JSON in some side requests (session titles); a small valid object satisfies them. */
function sideText(body: any): string {
  const system = JSON.stringify(body?.system ?? "");
  if (/json/i.test(system)) return '{"title": "Mock session", "isNewTopic": false}';
  return "Mock session";
}

const id = (prefix: string) => `${prefix}_${randomBytes(12).toString("hex")}`;
const usage = (output: number) => ({
  input_tokens: 120,
  output_tokens: output,
  cache_creation_input_tokens: 0,
  cache_read_input_tokens: 0,
});

async function answer(req: ModelRequest, body: any, reply: Reply): Promise<void> {
  const model = typeof body.model === "string" ? body.model : "claude-sonnet-4-5";
  if (reply.kind === "http_error") return sendError(req.res, reply.status, reply.message);
  const blocks =
    reply.kind === "tool"
      ? [
          ...(reply.text ? [{ type: "text", text: reply.text }] : []),
          {
            type: "tool_use",
            id: id("toolu"),
            name: "Bash",
            input: { command: reply.command, description: "Run a command" },
          },
        ]
      : [];
  const text = reply.kind === "text" || reply.kind === "slow" ? reply.text : reply.kind === "stream_error" ? "" : "";
  const stop = reply.kind === "tool" ? "tool_use" : "end_turn";
  if (body.stream !== true) {
    if (reply.kind === "stream_error") return sendError(req.res, 529, reply.message);
    const content = reply.kind === "tool" ? blocks : [{ type: "text", text }];
    return sendJson(req.res, 200, {
      id: id("msg"),
      type: "message",
      role: "assistant",
      model,
      content,
      stop_reason: stop,
      stop_sequence: null,
      usage: usage(20),
    });
  }
  const sse = openSse(req.res);
  sse.event("message_start", {
    type: "message_start",
    message: {
      id: id("msg"),
      type: "message",
      role: "assistant",
      model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: usage(1),
    },
  });
  sse.event("ping", { type: "ping" });
  if (reply.kind === "stream_error") {
    sse.event("error", { type: "error", error: { type: "overloaded_error", message: reply.message ?? "Overloaded" } });
    return sse.end();
  }
  let index = 0;
  if (reply.kind === "tool") {
    for (const block of blocks) {
      if (block.type === "text") {
        sse.event("content_block_start", {
          type: "content_block_start",
          index,
          content_block: { type: "text", text: "" },
        });
        sse.event("content_block_delta", {
          type: "content_block_delta",
          index,
          delta: { type: "text_delta", text: (block as any).text },
        });
      } else {
        sse.event("content_block_start", {
          type: "content_block_start",
          index,
          content_block: { ...block, input: {} },
        });
        sse.event("content_block_delta", {
          type: "content_block_delta",
          index,
          delta: { type: "input_json_delta", partial_json: JSON.stringify((block as any).input) },
        });
      }
      sse.event("content_block_stop", { type: "content_block_stop", index });
      index++;
    }
  } else {
    sse.event("content_block_start", { type: "content_block_start", index, content_block: { type: "text", text: "" } });
    const parts = reply.kind === "slow" ? chunksOf(text, reply.chunks) : chunksOf(text, 3);
    for (const part of parts) {
      if (req.closed()) return;
      sse.event("content_block_delta", {
        type: "content_block_delta",
        index,
        delta: { type: "text_delta", text: part },
      });
      if (reply.kind === "slow") await sleep(reply.chunkMs);
    }
    sse.event("content_block_stop", { type: "content_block_stop", index });
  }
  sse.event("message_delta", {
    type: "message_delta",
    delta: { stop_reason: stop, stop_sequence: null },
    usage: { output_tokens: 20 },
  });
  sse.event("message_stop", { type: "message_stop" });
  sse.end();
}

function sendError(res: ServerResponse, status: number, message?: string): void {
  const type =
    status === 529
      ? "overloaded_error"
      : status === 429
        ? "rate_limit_error"
        : status >= 500
          ? "api_error"
          : "invalid_request_error";
  sendJson(res, status, { type: "error", error: { type, message: message ?? `Mock ${status} error` } });
}
