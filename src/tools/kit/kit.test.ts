// The kit's files: paths, parseable YAML with a "generated" header, settings consistent across files.

import { describe, expect, test } from "vitest";
import { parse } from "yaml";
import { alertRules } from "./alert-rules.js";
import { generateKit, KIT_PATHS } from "./kit.js";
import { resolveKitOptions } from "./options.js";
import { GENERATED } from "./yaml-file.js";

const o = resolveKitOptions({
  targets: ["10.0.0.5:18789", "10.0.0.6:18789"],
  scrapeIntervalSeconds: 30,
  rateWindowSeconds: 120,
});
const files = new Map(generateKit(o).map((f) => [f.path, f.content]));
const yaml = (path: string) => parse(files.get(path) ?? "") as Record<string, unknown>;

describe("generateKit", () => {
  test("writes every file once, the same bytes every time", () => {
    expect([...files.keys()].sort()).toEqual(Object.values(KIT_PATHS).sort());
    expect(generateKit(o)).toEqual(generateKit(o));
  });

  test.each(Object.values(KIT_PATHS).filter((p) => /\.ya?ml$/.test(p)))(
    "%s parses and says it is generated",
    (path) => {
      expect(files.get(path)?.startsWith(`# ${GENERATED}\n`)).toBe(true);
      expect(() => parse(files.get(path) ?? "")).not.toThrow();
    },
  );

  test("prometheus.yml: the job with its labels inside static_configs, rules, Alertmanager, the scrape interval", () => {
    expect(yaml(KIT_PATHS.prometheus)).toMatchObject({
      global: { scrape_interval: "30s", evaluation_interval: "30s" },
      rule_files: ["rules/*.yml"],
      alerting: { alertmanagers: [{ static_configs: [{ targets: ["127.0.0.1:9093"] }] }] },
      scrape_configs: [
        {
          job_name: "llmgate",
          metrics_path: "/metrics",
          static_configs: [
            { targets: ["10.0.0.5:18789", "10.0.0.6:18789"], labels: { environment: "production" } },
          ],
        },
      ],
    });
  });

  test("Grafana's data source interval equals the scrape interval ($__rate_interval depends on it)", () => {
    expect(yaml(KIT_PATHS.datasource)).toMatchObject({
      datasources: [
        { uid: "llmgate-prometheus", url: "http://127.0.0.1:9090", jsonData: { timeInterval: "30s" } },
      ],
    });
    expect(yaml(KIT_PATHS.dashboardProvider)).toMatchObject({
      providers: [{ type: "file", options: { path: "/var/lib/grafana/dashboards/llmgate" } }],
    });
  });

  test("alertmanager.yml: grouping per alert and gateway, the webhook receiver, commented bridge examples", () => {
    const am = yaml(KIT_PATHS.alertmanager);
    expect(am).toMatchObject({
      route: { receiver: "llmgate-webhook", group_by: ["alertname", "job", "instance"] },
      receivers: [{ name: "llmgate-webhook", webhook_configs: [{ url: o.webhookUrl, send_resolved: true }] }],
    });
    const text = files.get(KIT_PATHS.alertmanager) ?? "";
    expect(text).toContain("#     - name: dingtalk");
    expect(text).toContain("#       wechat_configs:");
  });

  test("the systemd unit runs the gateway with the kit's prefix", () => {
    const unit = files.get(KIT_PATHS.systemd) ?? "";
    expect(unit).toContain("ExecStart=/usr/bin/node /opt/llmgate/dist/cli.js serve\n");
    expect(unit).toContain("Environment=LLMGATE_METRICS_PREFIX=llmgate\n");
    expect(unit).toContain("NoNewPrivileges=yes\n");
  });
});

describe("the kit's README", () => {
  const readme = files.get(KIT_PATHS.readme) ?? "";
  const links = [...readme.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1] ?? "");

  test("links only to files in the kit (with their anchors) or to absolute URLs", () => {
    expect(links.length).toBeGreaterThan(o.targets.length);
    for (const link of links) {
      if (/^https?:\/\//.test(link)) continue;
      const [path = "", anchor] = link.split("#", 2);
      expect(files.has(path), `${link}: no ${path} in the kit`).toBe(true);
      if (anchor !== undefined) {
        const headings = [...(files.get(path) ?? "").matchAll(/^#+ (.+)$/gm)].map((m) =>
          (m[1] ?? "")
            .toLowerCase()
            .replace(/[^\w -]/g, "")
            .replace(/ /g, "-"),
        );
        expect(headings, `${link}: no heading for #${anchor}`).toContain(anchor);
      }
    }
  });

  test("links every alert to its absolute runbook URL and to its section of RUNBOOKS.md", () => {
    for (const a of alertRules(o)) {
      expect(links).toContain(a.annotations.runbook_url);
      expect(links).toContain(`${KIT_PATHS.runbooks}#${a.alert.toLowerCase()}`);
    }
    expect(alertRules(o)[0]?.annotations.runbook_url).toBe("http://10.0.0.5:18789/runbooks/LlmgateDown");
  });
});
