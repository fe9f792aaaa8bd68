// Child processes of the bench (anchors, gateway, load generators) and what /proc says about them: CPU and memory.

import { execFileSync, spawn } from "node:child_process";
import { appendFileSync, openSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";

const CLK_TCK = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;

/** Every child still running, killed by pid on exit whatever happens (see killAll). */
const children = new Map();
let pidFile;

/** Pids are also appended to this file, so the shell wrapper can kill them if this process dies hard. */
export function recordPidsIn(path) {
  pidFile = path;
}

/** A loopback port that was free a moment ago. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Starts a long-running child with stdout and stderr appended to `log`. */
export function start(name, command, args, { env = {}, log }) {
  const out = openSync(log, "a");
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ["ignore", out, out] });
  children.set(child.pid, { name, child });
  if (pidFile) appendFileSync(pidFile, `${child.pid}\n`);
  child.exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  child.exited.then(() => children.delete(child.pid));
  return child;
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves when the child is gone. */
export async function stop(child, graceMs = 3000) {
  if (!children.has(child.pid)) return;
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
  await child.exited;
  clearTimeout(timer);
}

export function killAll() {
  for (const { child } of children.values()) {
    try {
      process.kill(child.pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
  children.clear();
}

/** Runs a child to completion, collecting its stdout (stderr goes to `log` when given, else is collected too). */
export function run(command, args, { env = {}, log } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", log ? openSync(log, "a") : "pipe"],
    });
    children.set(child.pid, { name: command, child });
    if (pidFile) appendFileSync(pidFile, `${child.pid}\n`);
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (t) => {
      stdout += t;
    });
    child.stderr?.setEncoding("utf8").on("data", (t) => {
      stderr += t;
    });
    child.once("error", reject);
    child.once("exit", (code) => {
      children.delete(child.pid);
      if (code === 0) resolve(stdout);
      else reject(new Error(`${command} ${args.join(" ")} exited ${code}: ${stderr || stdout}`));
    });
  });
}

/** Resolves once `url` answers any HTTP status; rejects after `timeoutMs` or when `child` exits first. */
export async function waitForHttp(url, child, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!children.has(child.pid)) throw new Error(`${url}: the process exited before answering`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
      await res.arrayBuffer();
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

/** User + system CPU seconds the process has used so far (/proc/<pid>/stat fields 14 and 15). */
export function cpuSeconds(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // The command name (field 2) may contain spaces; fields after it start with the state (field 3).
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
}

/** VmRSS and VmHWM (peak RSS) in bytes. */
export function memory(pid) {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? 0) * 1024;
  return { rss: kb("VmRSS"), hwm: kb("VmHWM") };
}

/** Resets VmHWM to the current RSS (`echo 5 > clear_refs`); false where the kernel or permissions refuse. */
export function resetPeak(pid) {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, "5");
    return true;
  } catch {
    return false;
  }
}

/**
 * CPU seconds the machine's processes used, all cores (/proc/stat user + nice + system). Interrupt and softirq
 * time are left out: loopback TCP between the bench's own processes lands there, attributed to no process.
 * Processes of other sessions may live in another pid namespace, invisible in /proc but counted here.
 */
export function machineBusySeconds() {
  const [, user, nice, system] = readFileSync("/proc/stat", "utf8")
    .split("\n")[0]
    .trim()
    .split(/\s+/)
    .map(Number);
  return (user + nice + system) / CLK_TCK;
}

/** Waits until the machine is idle (under `threshold` cores busy over half a second), at most `maxMs`; returns ms waited. */
export async function waitForQuiet(maxMs, threshold = 0.3) {
  const t0 = Date.now();
  for (;;) {
    const before = machineBusySeconds();
    await new Promise((r) => setTimeout(r, 500));
    const busy = (machineBusySeconds() - before) / 0.5;
    if (busy < threshold || Date.now() - t0 >= maxMs) return Date.now() - t0 - 500;
  }
}

/** CPU seconds of this process plus its reaped children (wrk runs are reaped when they exit). */
function selfAndChildrenSeconds() {
  const stat = readFileSync("/proc/self/stat", "utf8");
  const f = stat
    .slice(stat.lastIndexOf(")") + 2)
    .split(" ")
    .map(Number);
  return (f[11] + f[12] + f[13] + f[14]) / CLK_TCK;
}

/**
 * Watches processes during one measurement: CPU seconds used and peak RSS, from a VmHWM reset at the start
 * (exact) and VmRSS polled every 50 ms (a fallback where the reset is refused). `otherCpuSeconds` is what the
 * rest of the machine used meanwhile (not the watched processes, this one or the load generator it ran): other
 * work on the machine skews a run, so it is reported next to the figures.
 */
export function watch(pids) {
  const machine0 = machineBusySeconds();
  const self0 = selfAndChildrenSeconds();
  const state = pids.map((pid) => ({
    pid,
    cpu0: cpuSeconds(pid),
    hwmReset: resetPeak(pid),
    maxRss: memory(pid).rss,
  }));
  const timer = setInterval(() => {
    for (const s of state) {
      try {
        s.maxRss = Math.max(s.maxRss, memory(s.pid).rss);
      } catch {
        // exited
      }
    }
  }, 50);
  return () => {
    clearInterval(timer);
    const processes = state.map((s) => {
      const mem = memory(s.pid);
      const peak = s.hwmReset ? Math.max(mem.hwm, s.maxRss) : Math.max(mem.rss, s.maxRss);
      return { pid: s.pid, cpuSeconds: cpuSeconds(s.pid) - s.cpu0, peakRssBytes: peak, rssBytes: mem.rss };
    });
    const ours = processes.reduce((sum, p) => sum + p.cpuSeconds, 0) + selfAndChildrenSeconds() - self0;
    return { processes, otherCpuSeconds: Math.max(0, machineBusySeconds() - machine0 - ours) };
  };
}
