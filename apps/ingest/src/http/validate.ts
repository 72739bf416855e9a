import { describeZodError } from "@pulse/core";
import type { z } from "zod";
import { badRequest } from "./api-error";

/** Parses input with a schema, or throws a 400 whose message names the field at fault. */
export function parseOr400<Schema extends z.ZodType>(schema: Schema, input: unknown, prefix = ""): z.infer<Schema> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw badRequest(describeZodError(parsed.error, prefix));
  return parsed.data;
}

export function requireJsonObject(body: unknown): Record<string, unknown> {
  if (typeof body !== "object" || body === null || Array.isArray(body) || Buffer.isBuffer(body))
    throw badRequest("the body must be a JSON object");
  return body as Record<string, unknown>;
}
