// `npm ci` refuses a lock file that lacks an entry for any optional dependency ("Missing:
// @turbo/darwin-64@ from lock file"). On this machine the registry holds only the Linux builds of
// per-platform binaries (turbo's, @unrs/resolver's), so `npm install` cannot record the others and
// `npm ci` then fails on its own lock file (see also npm/cli#4828). This adds the missing entries:
// from the registry when it has them, else from the platform the package's name states. Those
// entries are for other platforms only, so npm skips them here and never fetches them.
// Run it after `npm install` changes the lock file:   node scripts/complete-lockfile.mjs
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";

const path = new URL("../package-lock.json", import.meta.url);
const lock = JSON.parse(readFileSync(path, "utf8"));
const packages = lock.packages;

/** Whether Node would resolve `name` from the package at `from` (walking up node_modules dirs). */
function resolves(from, name) {
  let dir = from;
  for (;;) {
    if (packages[`${dir ? `${dir}/` : ""}node_modules/${name}`]) return true;
    if (!dir) return false;
    const cut = dir.lastIndexOf("/node_modules/");
    dir = cut < 0 ? "" : dir.slice(0, cut);
  }
}

const OS = {
  darwin: "darwin",
  windows: "win32",
  win32: "win32",
  linux: "linux",
  android: "android",
  freebsd: "freebsd",
  openharmony: "openharmony",
};
const CPU = {
  64: "x64",
  x64: "x64",
  arm64: "arm64",
  arm: "arm",
  ia32: "ia32",
  loong64: "loong64",
  ppc64: "ppc64",
  riscv64: "riscv64",
  s390x: "s390x",
};

/** os/cpu/libc from a name like @turbo/darwin-arm64 or @unrs/resolver-binding-linux-arm-musleabihf. */
function platformFromName(name) {
  const parts = name.split("/").pop().split("-");
  for (let i = 0; i < parts.length - 1; i++) {
    const os = OS[parts[i]];
    const cpu = CPU[parts[i + 1]];
    if (os && cpu) {
      const abi = parts[i + 2] ?? "";
      const record = { os: [os], cpu: [cpu] };
      if (os === "linux") record.libc = [/musl/.test(abi) ? "musl" : "glibc"];
      return record;
    }
  }
  return null;
}

function fromRegistry(name, spec) {
  try {
    const out = execFileSync(
      "npm",
      ["view", `${name}@${spec}`, "version", "dist.integrity", "os", "cpu", "libc", "license", "--json"],
      { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] },
    );
    const info = JSON.parse(out);
    return Array.isArray(info) ? info[info.length - 1] : info;
  } catch {
    return null;
  }
}

let added = 0;
for (const [location, entry] of Object.entries(packages)) {
  for (const [name, spec] of Object.entries(entry.optionalDependencies ?? {})) {
    if (resolves(location, name)) continue;
    const info = fromRegistry(name, spec);
    const platform = info?.os || info?.cpu ? { os: info.os, cpu: info.cpu, libc: info.libc } : platformFromName(name);
    if (!/^\d+\.\d+\.\d+/.test(spec) || !platform) {
      console.log(`skipped ${name}@${spec}: neither in the registry nor named after a platform`);
      continue;
    }
    const record = { version: info?.version ?? spec };
    if (info?.["dist.integrity"]) record.integrity = info["dist.integrity"];
    if (entry.dev) record.dev = true;
    record.optional = true;
    if (info?.license) record.license = info.license;
    for (const field of ["cpu", "os", "libc"]) if (platform[field]) record[field] = platform[field];
    packages[`node_modules/${name}`] = record;
    added++;
    console.log(
      `added ${name}@${record.version} (${record.os}/${record.cpu}${record.libc ? `/${record.libc}` : ""}), optional for ${location.replace(/^node_modules\//, "")}`,
    );
  }
}

if (added > 0) {
  lock.packages = Object.fromEntries(
    Object.entries(packages).sort(([a], [b]) => (a === "" ? -1 : b === "" ? 1 : a < b ? -1 : a > b ? 1 : 0)),
  );
  writeFileSync(path, JSON.stringify(lock, null, 2) + "\n");
}
console.log(added > 0 ? `package-lock.json: ${added} optional entries added` : "package-lock.json: complete");
