// Performs Dockerfile stages outside Docker: each stage is a folder standing for the image's "/",
// its RUN lines run in it (the image's absolute paths rewritten into it), its COPY lines copy as
// Docker copies (a folder's contents into the destination; the build context filtered by
// .dockerignore). What only an engine can do is skipped and said: installing npm globally (the
// machine's npm must be the pinned one instead) and chown (no "node" user here).
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";

/** .dockerignore patterns as tests on a context-relative path (`**`, `*`, `?`; `!` re-includes). */
export function dockerignore(contextDir) {
  const file = join(contextDir, ".dockerignore");
  const rules = existsSync(file)
    ? readFileSync(file, "utf8")
        .split("\n")
        .map((l) => l.trim())
        .filter((l) => l && !l.startsWith("#"))
        .map((pattern) => {
          const negate = pattern.startsWith("!");
          const body = (negate ? pattern.slice(1) : pattern).replace(/^\/+|\/+$/g, "");
          const source = body
            .split("/")
            .map((part) =>
              part === "**"
                ? "(?:.*)"
                : part
                    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
                    .replace(/\*/g, "[^/]*")
                    .replace(/\?/g, "[^/]"),
            )
            .join("/")
            .replace(/\(\?:\.\*\)\//g, "(?:.*/)?");
          // A pattern that names a folder also excludes what is inside it.
          return { negate, regex: new RegExp(`^${source}(?:/.*)?$`) };
        })
    : [];
  return (path) => {
    let ignored = false;
    for (const rule of rules) if (rule.regex.test(path)) ignored = !rule.negate;
    return ignored;
  };
}

/** What an engine would do that this check must not (or cannot) do on the machine, with why. */
function skipped(part, log) {
  const npmGlobal = /^npm (?:install|i) -g npm@(\S+)/.exec(part);
  if (npmGlobal) {
    const machine = execFileSync("npm", ["--version"], { encoding: "utf8" }).trim();
    if (machine !== npmGlobal[1])
      throw new Error(
        `the Dockerfile pins npm ${npmGlobal[1]}, this machine has ${machine}: the check would not build what the image builds`,
      );
    log(`  skipped \`${part}\`: this machine's npm is ${machine} already`);
    return true;
  }
  if (/^chown\b/.test(part)) {
    log(`  skipped \`${part}\`: no "node" user outside the image (the services run as this user)`);
    return true;
  }
  return false;
}

/** Runs the stages in order into `root`/<stage>; returns { [stage]: folder standing for its "/" }. */
export function performStages(stages, { contextDir, root, log, baseEnv }) {
  const folders = {};
  const inImage = (stage, path) => join(folders[stage.name], path);
  const ignored = dockerignore(contextDir);
  // The image's own absolute trees (its WORKDIRs, e.g. /app): in RUN lines they point into the stage's folder.
  const roots = [...new Set(stages.map((s) => s.workdir.split("/")[1]).filter(Boolean))];
  const imagePaths = new RegExp(`(^|[\\s=:'"])/(${roots.join("|")})(?=/|\\s|$)`, "g");
  for (const stage of stages) {
    const started = Date.now();
    if (stage.parent && stage.steps.length === 0) {
      // Nothing of its own (only ENV, USER, CMD…): its files are its parent's.
      folders[stage.name] = folders[stage.parent];
      continue;
    }
    const folder = join(root, stage.name);
    if (stage.parent) {
      // A hard-linked copy: fast, and RUN lines below only remove or create files, never edit one in place.
      mkdirSync(folder, { recursive: true });
      execFileSync("cp", ["-al", `${folders[stage.parent]}/.`, folder]);
    } else {
      mkdirSync(folder, { recursive: true }); // an image from a registry: its files are not Pulse's business
    }
    folders[stage.name] = folder;
    log(`stage ${stage.name} (FROM ${stage.from})`);
    for (const step of stage.steps) {
      const cwd = inImage(stage, step.workdir);
      mkdirSync(cwd, { recursive: true });
      if (step.op === "COPY") {
        const dest = step.dest.startsWith("/") ? step.dest : join(step.workdir, step.dest);
        for (const source of step.sources) {
          if (step.from) {
            const from = join(folders[step.from], source);
            const to = inImage(stage, dest);
            log(`  COPY --from=${step.from} ${source} ${dest}`);
            if (!existsSync(from))
              throw new Error(`COPY --from=${step.from} ${source}: no such path in that stage (${from})`);
            mkdirSync(statSync(from).isDirectory() ? to : dirname(to), { recursive: true });
            execFileSync("cp", ["-al", statSync(from).isDirectory() ? `${from}/.` : from, to]);
          } else {
            const from = join(contextDir, source);
            log(`  COPY ${source} ${dest} (the build context, without what .dockerignore names)`);
            cpSync(from, inImage(stage, dest), {
              recursive: true,
              filter: (path) => {
                const rel = relative(contextDir, path);
                return rel === "" || !ignored(rel);
              },
            });
          }
        }
        continue;
      }
      // RUN: `a && b && c`, run part by part so what only an engine can do is skipped visibly.
      const parts = step.command.split(/\s+&&\s+/).map((p) => p.trim());
      for (const part of parts) {
        if (skipped(part, log)) continue;
        const command = roots.length
          ? part.replace(imagePaths, (_, before, top) => `${before}${inImage(stage, `/${top}`)}`)
          : part;
        log(`  RUN ${part}`);
        const result = spawnSync("/bin/sh", ["-c", command], {
          cwd,
          env: { ...baseEnv, ...step.env },
          stdio: ["ignore", "inherit", "inherit"],
        });
        if (result.status !== 0) throw new Error(`stage ${stage.name}: \`${part}\` failed (exit ${result.status})`);
      }
    }
    log(`  stage ${stage.name} done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  return folders;
}

/** Size of a folder in MB, like `du -sm` (hard links counted once). */
export function sizeMb(path) {
  return Number(execFileSync("du", ["-sm", path], { encoding: "utf8" }).split(/\s/)[0]);
}
