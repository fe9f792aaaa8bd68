// systemd/llmgate.service: the gateway as a hardened system service, with the kit's metric prefix.

import type { KitOptions } from "./options.js";
import { GENERATED } from "./yaml-file.js";

/** The runbooks, as systemd's Documentation= wants them: a URL without a fragment. */
function documentationUrl(o: KitOptions): string {
  return o.runbookBaseUrl.replace(/#.*$/, "");
}

export function systemdUnitFile(o: KitOptions): string {
  const cli = `${o.installDir}/dist/cli.js`;
  return `# ${GENERATED}
# The llmgate gateway as a system service. Install:
#   sudo cp llmgate.service /etc/systemd/system/ && sudo systemctl daemon-reload
#   sudo systemctl enable --now llmgate
# Settings: LLMGATE_* variables in /etc/default/llmgate (e.g. LLMGATE_LISTEN=0.0.0.0:18789), or a YAML file
# named by LLMGATE_CONFIG. Logs: journalctl -u llmgate (one JSON line per request).

[Unit]
Description=llmgate: OpenAI-compatible gateway for Ollama
Documentation=${documentationUrl(o)}
Wants=network-online.target
After=network-online.target ollama.service

[Service]
Type=simple
ExecStart=${o.nodePath} ${cli} serve
# The metric prefix the Prometheus rules and the dashboard of this kit were generated for.
Environment=LLMGATE_METRICS_PREFIX=${o.prefix}
EnvironmentFile=-/etc/default/llmgate
# SIGTERM drains: no new requests, in-flight ones get shutdown-grace (30s) to finish. Leave it room.
KillSignal=SIGTERM
TimeoutStopSec=45s
Restart=on-failure
RestartSec=2s
LimitNOFILE=65536

# Hardening: a throwaway user, no privileges, a read-only view of the system, network sockets only.
DynamicUser=yes
NoNewPrivileges=yes
CapabilityBoundingSet=
AmbientCapabilities=
ProtectSystem=strict
ProtectHome=yes
PrivateTmp=yes
PrivateDevices=yes
ProtectKernelTunables=yes
ProtectKernelModules=yes
ProtectKernelLogs=yes
ProtectControlGroups=yes
ProtectClock=yes
ProtectHostname=yes
ProtectProc=invisible
RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX
RestrictNamespaces=yes
RestrictRealtime=yes
RestrictSUIDSGID=yes
LockPersonality=yes
RemoveIPC=yes
UMask=0077
SystemCallArchitectures=native
SystemCallFilter=@system-service
SystemCallFilter=~@privileged
# Not MemoryDenyWriteExecute=yes: V8's JIT compiler needs writable, executable memory.

[Install]
WantedBy=multi-user.target
`;
}
