// Reads docker/Dockerfile into stages the image check can perform outside Docker. Only what the
// Dockerfile uses is understood (FROM … AS, ARG, WORKDIR, ENV, RUN, COPY [--from], USER, EXPOSE,
// CMD in exec form); anything else is an error, so a new instruction cannot be skipped silently.
import { readFileSync } from "node:fs";

/** Logical lines: comments dropped, `\` continuations joined. */
function logicalLines(text) {
  const lines = [];
  let current = "";
  for (const raw of text.split("\n")) {
    const line = raw.trimEnd();
    if (!current && (line.trim() === "" || line.trimStart().startsWith("#"))) continue;
    if (current && line.trimStart().startsWith("#")) continue; // a comment inside a continuation
    if (line.endsWith("\\")) {
      current += line.slice(0, -1) + " ";
      continue;
    }
    lines.push((current + line).trim());
    current = "";
  }
  if (current.trim()) lines.push(current.trim());
  return lines;
}

/** `A=1 B="two words"` → { A: "1", B: "two words" } (the key=value form; the legacy `ENV A 1` too). */
export function parseEnv(args) {
  const env = {};
  const pairs = args.match(/[A-Za-z_][A-Za-z0-9_]*=("[^"]*"|'[^']*'|\S*)/g);
  if (!pairs) {
    const [key, ...rest] = args.split(/\s+/);
    env[key] = rest.join(" ");
    return env;
  }
  for (const pair of pairs) {
    const i = pair.indexOf("=");
    env[pair.slice(0, i)] = pair.slice(i + 1).replace(/^(["'])(.*)\1$/, "$2");
  }
  return env;
}

const substitute = (value, args) => value.replace(/\$\{(\w+)\}|\$(\w+)/g, (_, a, b) => args[a ?? b] ?? "");

/**
 * Stages in order: { name, from (a stage's name or an image), workdir, env (inherited + own), user,
 * cmd, expose, steps: [{ op: "RUN", command } | { op: "COPY", from, sources, dest, workdir }] }.
 */
export function parseDockerfile(path) {
  const args = {};
  const stages = [];
  let stage = null;
  for (const line of logicalLines(readFileSync(path, "utf8"))) {
    const [, op, rest = ""] = /^(\w+)\s*(.*)$/.exec(line);
    const upper = op.toUpperCase();
    if (upper === "ARG") {
      const { key, value } = /^(?<key>\w+)(?:=(?<value>.*))?$/.exec(rest).groups;
      if (!(key in args)) args[key] = value ?? "";
      continue;
    }
    if (upper === "FROM") {
      const [, image, name] = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(rest);
      const from = substitute(image, args);
      const parent = stages.find((s) => s.name === from);
      stage = {
        name: name ?? `stage-${stages.length}`,
        from,
        parent: parent?.name ?? null,
        workdir: parent?.workdir ?? "/",
        env: { ...(parent?.env ?? {}) },
        user: parent?.user ?? "root",
        cmd: parent?.cmd ?? null,
        expose: [...(parent?.expose ?? [])],
        steps: [],
      };
      stages.push(stage);
      continue;
    }
    if (!stage) throw new Error(`${path}: ${upper} before the first FROM`);
    switch (upper) {
      case "WORKDIR":
        stage.workdir = rest.startsWith("/") ? rest : `${stage.workdir.replace(/\/$/, "")}/${rest}`;
        break;
      case "ENV":
        Object.assign(stage.env, parseEnv(rest));
        break;
      case "USER":
        stage.user = rest;
        break;
      case "EXPOSE":
        stage.expose.push(...rest.split(/\s+/).map((p) => Number.parseInt(p, 10)));
        break;
      case "CMD":
        stage.cmd = JSON.parse(rest);
        if (!Array.isArray(stage.cmd)) throw new Error(`${path}: CMD must be in exec form (a JSON array)`);
        break;
      case "RUN":
        stage.steps.push({ op: "RUN", command: rest, workdir: stage.workdir, env: { ...stage.env } });
        break;
      case "COPY": {
        const words = rest.split(/\s+/);
        const flags = words.filter((w) => w.startsWith("--"));
        const paths = words.filter((w) => !w.startsWith("--"));
        const from = flags.find((f) => f.startsWith("--from="))?.slice("--from=".length) ?? null;
        const unknown = flags.filter((f) => !f.startsWith("--from="));
        if (unknown.length) throw new Error(`${path}: COPY ${unknown.join(" ")} is not understood by the image check`);
        stage.steps.push({ op: "COPY", from, sources: paths.slice(0, -1), dest: paths.at(-1), workdir: stage.workdir });
        break;
      }
      default:
        throw new Error(`${path}: ${upper} is not understood by the image check (scripts/image-check/dockerfile.mjs)`);
    }
  }
  return stages;
}

/** The stages `target` is built from, itself last (FROM parents and COPY --from sources). */
export function stagesFor(stages, target) {
  const byName = new Map(stages.map((s) => [s.name, s]));
  const needed = new Set();
  const visit = (name) => {
    const stage = byName.get(name);
    if (!stage || needed.has(name)) return;
    if (stage.parent) visit(stage.parent);
    for (const step of stage.steps) if (step.op === "COPY" && step.from) visit(step.from);
    needed.add(name);
  };
  if (!byName.has(target)) throw new Error(`the Dockerfile has no stage named ${target}`);
  visit(target);
  return stages.filter((s) => needed.has(s.name));
}
