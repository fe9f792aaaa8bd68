// Runs a private Debian `/usr/bin/prometheus-alertmanager` (0.25 on bookworm) on a loopback port for integration tests.
//
// Each instance gets its own temp dir (config + storage) and port, and runs without clustering
// (`--cluster.listen-address=` empty), so it never meets a system Alertmanager or another test's. Like the
// Prometheus harness, it is started under `setpriv --pdeathsig KILL` and dies with the test process however
// that ends; every wait is bounded and its error carries the tail of Alertmanager's log.

import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { freePort } from "./ports.js";

export const ALERTMANAGER = "/usr/bin/prometheus-alertmanager";
const SETPRIV = "/usr/bin/setpriv";

export interface AlertmanagerInstance {
  /** http://127.0.0.1:<port> */
  url: string;
  /** 127.0.0.1:<port>, as Prometheus' alerting config names it. */
  address: string;
  /** SIGTERM (SIGKILL after 5 s), wait for exit, remove the temp dir. Safe to call twice. */
  stop(): Promise<void>;
  logs(): string;
}

/** Starts Alertmanager with `config` (alertmanager.yml text) and resolves once /-/ready answers 200. */
export async function startAlertmanager(
  config: string,
  readyTimeoutMs = 15_000,
): Promise<AlertmanagerInstance> {
  const dir = await mkdtemp(join(tmpdir(), "llmgate-alertmanager-"));
  const configFile = join(dir, "alertmanager.yml");
  await writeFile(configFile, config);
  const port = await freePort();
  const address = `127.0.0.1:${port}`;
  const url = `http://${address}`;
  const args = [
    `--config.file=${configFile}`,
    `--storage.path=${join(dir, "data")}`,
    `--web.listen-address=${address}`,
    "--cluster.listen-address=",
  ];
  const [command, argv] = existsSync(SETPRIV)
    ? [SETPRIV, ["--pdeathsig", "KILL", "--", ALERTMANAGER, ...args]]
    : [ALERTMANAGER, args];
  const child: ChildProcess = spawn(command, argv, { cwd: dir, stdio: ["ignore", "ignore", "pipe"] });
  let log = "";
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    log = (log + chunk).slice(-128 * 1024);
  });
  const state: { exit?: number | string; error?: Error } = {};
  const exited = new Promise<void>((done) => {
    child.once("error", (err) => {
      state.error = err;
      done();
    });
    child.once("close", (code, signal) => {
      state.exit = code ?? signal ?? "unknown";
      done();
    });
  });
  const running = () => state.exit === undefined && state.error === undefined;
  const tail = () => log.trimEnd().split("\n").slice(-30).join("\n");

  async function stop(): Promise<void> {
    if (running()) {
      child.kill("SIGTERM");
      const stuck = await Promise.race([exited.then(() => false), sleep(5_000).then(() => true)]);
      if (stuck) {
        child.kill("SIGKILL");
        await exited;
      }
    }
    await rm(dir, { recursive: true, force: true });
  }

  const deadline = Date.now() + readyTimeoutMs;
  for (;;) {
    if (state.error) {
      await stop();
      throw new Error(`cannot run ${ALERTMANAGER} (run scripts/test-setup.sh): ${state.error.message}`);
    }
    if (!running()) {
      const message = `alertmanager exited during start-up (${state.exit})\n--- log ---\n${tail()}`;
      await stop();
      throw new Error(message);
    }
    try {
      const res = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(1_000) });
      await res.arrayBuffer();
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`alertmanager not ready within ${readyTimeoutMs} ms\n--- log ---\n${tail()}`);
    }
    await sleep(50);
  }
  return { url, address, stop, logs: () => log };
}
