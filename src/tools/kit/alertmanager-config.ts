// alertmanager/alertmanager.yml: one route tree, grouping per alert and gateway, a webhook receiver, and
// commented receivers for DingTalk and WeCom (which Alertmanager cannot reach directly, see docs/monitoring.md).

import { stringify } from "yaml";
import { ALERT_NAMES } from "./alert-rules.js";
import { type KitOptions, promDuration } from "./options.js";
import { yamlFile } from "./yaml-file.js";

export const RECEIVER = "llmgate-webhook";

/** Alerts that are symptoms of Ollama being down; silenced while LlmgateUpstreamDown fires for the same gateway. */
const UPSTREAM_SYMPTOMS = [
  ALERT_NAMES["error-ratio"],
  ALERT_NAMES.latency,
  ALERT_NAMES.ttft,
  ALERT_NAMES["streams-failing"],
];

export function alertmanagerConfig(o: KitOptions): object {
  return {
    route: {
      receiver: RECEIVER,
      // One notification per alert and gateway; a flapping gateway does not drown the others.
      group_by: ["alertname", "job", "instance"],
      group_wait: promDuration(o.groupWaitSeconds),
      group_interval: promDuration(o.groupIntervalSeconds),
      repeat_interval: promDuration(o.repeatIntervalSeconds),
      routes: [
        {
          // Critical alerts repeat more often; point `receiver` at an on-call channel here.
          matchers: ['severity="critical"'],
          receiver: RECEIVER,
          repeat_interval: promDuration(Math.min(o.repeatIntervalSeconds, 3600)),
        },
      ],
    },
    inhibit_rules: [
      {
        source_matchers: [`alertname="${ALERT_NAMES["upstream-down"]}"`],
        target_matchers: [`alertname=~"${UPSTREAM_SYMPTOMS.join("|")}"`],
        equal: ["job", "instance"],
      },
      {
        source_matchers: [`alertname="${ALERT_NAMES["gateway-down"]}"`],
        target_matchers: [`alertname=~"Llmgate.+"`, `alertname!="${ALERT_NAMES["gateway-down"]}"`],
        equal: ["job", "instance"],
      },
    ],
    receivers: [{ name: RECEIVER, webhook_configs: [{ url: o.webhookUrl, send_resolved: true }] }],
  };
}

/**
 * Receivers for the chat tools the seed's readers use. DingTalk robots sign each request (加签) and WeCom group
 * robots take their own JSON, which Alertmanager's webhook cannot produce, so both go through a bridge that
 * receives Alertmanager's webhook format. WeCom applications (not group robots) are built in: wechat_configs.
 */
export function bridgeReceivers(): object[] {
  return [
    {
      // timonwong/prometheus-webhook-dingtalk on :8060, target "llmgate" in its config.yml.
      name: "dingtalk",
      webhook_configs: [{ url: "http://127.0.0.1:8060/dingtalk/llmgate/send", send_resolved: true }],
    },
    {
      // feiyu563/PrometheusAlert on :8080, posting to a WeCom group robot (wxurl is the robot's webhook).
      name: "wecom-robot",
      webhook_configs: [
        {
          url: "http://127.0.0.1:8080/prometheusalert?type=wx&tpl=prometheus-wx&wxurl=https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=YOUR-ROBOT-KEY",
          send_resolved: true,
        },
      ],
    },
    {
      // A WeCom application (企业微信应用), built into Alertmanager; needs global wechat_api_corp_id and
      // wechat_api_secret. It does not send resolved notifications unless told to.
      name: "wecom-app",
      wechat_configs: [
        {
          agent_id: "1000002",
          to_user: "@all",
          message_type: "markdown",
          send_resolved: true,
          api_secret: "YOUR-APP-SECRET",
          corp_id: "YOUR-CORP-ID",
        },
      ],
    },
  ];
}

export function alertmanagerConfigFile(o: KitOptions): string {
  const examples = stringify({ receivers: bridgeReceivers() }, { lineWidth: 0, indent: 2 })
    .trimEnd()
    .split("\n");
  return yamlFile(
    alertmanagerConfig(o),
    [
      "Alertmanager for llmgate's alerts (Debian: /etc/prometheus/alertmanager.yml). Check with:",
      "  amtool check-config alertmanager.yml",
      `Notifications go to ${o.webhookUrl} as Alertmanager's webhook JSON.`,
    ],
    [
      "DingTalk and WeCom: their robots need a bridge that receives Alertmanager's webhook (the kit's README.md",
      "says which). Add receivers like these under `receivers:` and name one in `route.receiver`:",
      "",
      ...examples.map((line) => `  ${line}`),
    ],
  );
}
