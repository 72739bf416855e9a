import { gunzip, inflate } from "node:zlib";
import type { FastifyInstance } from "fastify";
import { ConcurrencyGate } from "./concurrency-gate";
import { INFLATE_CONCURRENCY, INFLATE_QUEUE, inflatedLimitFor } from "./inflated-limit";
import { MAX_JSON_DEPTH, nestsDeeperThan } from "./json-depth";
import { repairLoneSurrogates } from "./well-formed";

/** Bodies above this (as sent, compressed or not) are refused with 413 before they are parsed. */
export const BODY_LIMIT_BYTES = 1024 * 1024;

const PROTOBUF = /^application\/(x-)?protobuf\b/i;

declare module "fastify" {
  interface FastifyRequest {
    /** Size of the body as parsed (after inflating): sizes queue jobs without serialising events again. */
    bodyBytes?: number;
  }
}

/** Inflations at once: each may hold its route's whole limit in memory until it is parsed or refused. */
const inflating = new ConcurrencyGate(INFLATE_CONCURRENCY, INFLATE_QUEUE, "compressed");

const bodyError = (statusCode: number, code: string, message: string) =>
  Object.assign(new Error(message), { statusCode, code });

function inflateBody(encoding: string, body: Buffer, limit: number): Promise<Buffer> {
  const inflater = encoding === "deflate" ? inflate : gunzip;
  return new Promise((resolve, reject) =>
    inflater(body, { maxOutputLength: limit }, (error, result) => {
      if (!error) return resolve(result);
      if ((error as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE") {
        return reject(
          bodyError(413, "PULSE_BODY_TOO_LARGE", `the body inflates to more than ${limit} bytes, this route's limit`),
        );
      }
      reject(bodyError(400, "PULSE_BAD_ENCODING", `the body is not valid ${encoding}: ${error.message}`));
    }),
  );
}

/**
 * One parser for every body. Agents and scripts post JSON with whatever content type their HTTP tool
 * picks (`curl -d` says form-urlencoded, some send none), so anything that is not protobuf is parsed
 * as JSON; OTLP exporters may send protobuf (kept as bytes for the route) and gzip (inflated here).
 */
export function installBodyParser(fastify: FastifyInstance): void {
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser("*", { parseAs: "buffer", bodyLimit: BODY_LIMIT_BYTES }, (request, raw, done) => {
    void (async () => {
      let body = raw as Buffer;
      const encoding = String(request.headers["content-encoding"] ?? "identity")
        .trim()
        .toLowerCase();
      if (encoding === "gzip" || encoding === "x-gzip" || encoding === "deflate") {
        const compressed = body;
        body = await inflating.run(() =>
          inflateBody(
            encoding === "deflate" ? "deflate" : "gzip",
            compressed,
            inflatedLimitFor(request.routeOptions.url),
          ),
        );
      } else if (encoding !== "identity" && encoding !== "")
        throw bodyError(
          415,
          "PULSE_BAD_ENCODING",
          `unsupported Content-Encoding "${encoding}": use gzip, deflate or none`,
        );
      request.bodyBytes = body.length;
      if (PROTOBUF.test(String(request.headers["content-type"] ?? ""))) return body;
      const text = body.toString("utf8");
      // No body at all: the route decides (ours answer 400 "the body must be …"; the queue board's
      // action buttons send none).
      if (text.trim() === "") return undefined;
      // Before anything recursive sees it (see json-depth.ts); JSON.parse itself is not recursive.
      if (nestsDeeperThan(text, MAX_JSON_DEPTH))
        throw bodyError(
          400,
          "PULSE_JSON_TOO_DEEP",
          `the body nests deeper than ${MAX_JSON_DEPTH} levels of arrays and objects`,
        );
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (error) {
        throw bodyError(
          400,
          "FST_ERR_CTP_INVALID_JSON_BODY",
          `the body is not valid JSON: ${(error as Error).message}`,
        );
      }
      return repairLoneSurrogates(text, parsed);
    })().then(
      (parsed) => done(null, parsed),
      (error) => done(error, undefined),
    );
  });
}
