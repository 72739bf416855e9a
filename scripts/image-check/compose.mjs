// The compose file as `docker-compose config` resolves it (defaults filled in, anchors merged), as
// JSON. YAML is read by the PyYAML docker-compose itself runs on, so no YAML library is needed here.
import { execFileSync } from "node:child_process";

export function readCompose(file, cwd) {
  // Interpolation with the defaults only: a PULSE_TOKEN or PULSE_BIND in this shell must not change the check.
  const env = { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: process.env.HOME ?? "/tmp" };
  const yaml = execFileSync("docker-compose", ["-f", file, "config"], { cwd, env, encoding: "utf8" });
  const json = execFileSync(
    "python3",
    ["-c", "import json, sys, yaml; json.dump(yaml.safe_load(sys.stdin), sys.stdout)"],
    { input: yaml, encoding: "utf8" },
  );
  return JSON.parse(json);
}

/** The services with their own image, in start order: each after what it `depends_on`. */
export function servicesInStartOrder(compose) {
  const services = compose.services;
  const built = Object.keys(services).filter((name) => services[name].build?.target);
  const order = [];
  const visit = (name, path = []) => {
    if (order.includes(name) || !built.includes(name)) return;
    if (path.includes(name)) throw new Error(`depends_on cycle: ${[...path, name].join(" → ")}`);
    for (const dep of Object.keys(services[name].depends_on ?? {})) visit(dep, [...path, name]);
    order.push(name);
  };
  for (const name of built) visit(name);
  return order;
}

/** `depends_on` as [{ service, condition }] (the short list form means service_started). */
export function dependencies(service) {
  const deps = service.depends_on ?? {};
  if (Array.isArray(deps)) return deps.map((name) => ({ service: name, condition: "service_started" }));
  return Object.entries(deps).map(([name, value]) => ({
    service: name,
    condition: value?.condition ?? "service_started",
  }));
}

/** Container ports a service publishes (`"127.0.0.1:6820:6820"` → 6820). */
export function publishedPorts(service) {
  return (service.ports ?? []).map((p) =>
    typeof p === "object" ? Number(p.target) : Number(String(p).split(":").at(-1).split("/")[0]),
  );
}
