// <name>.service in a release archive: runs the installed launcher as root (FFI sockets, TAP devices and
// the node's 0600 keys are root's) with no capabilities but those the services use (bound and raw sockets,
// TAP and interface set-up, ports below 1024) and the file system read-only but for its state and cache
// folders. Checked under systemd 252 in a booted Debian 12 (systemd-nspawn): necon and gloeth start,
// answer /healthz and stop with status 0. Flags come from the environment (CTPF_<BINARY>_<FLAG>), so
// an operator configures a node in /etc/ctpf/<name>.env without editing the unit.
import { envName } from "../../core/config/load.ts";
import { environmentFile, inArchive, installedLauncher, installRoot } from "./layout.ts";

/** What one binary needs beyond the common hardening. */
interface UnitNeeds {
  /** Device nodes it opens (gloeth: the TUN/TAP clone device); none hides /dev behind PrivateDevices. */
  devices: string[];
  /** Defaults for flags, set before the environment file so that file may override them. */
  flagDefaults: Record<string, string>;
}

const needs: Record<string, Partial<UnitNeeds>> = {
  gloeth: { devices: ["/dev/net/tun"], flagDefaults: { "node-dir": "/etc/ctpf/gloeth/node" } },
};

export function systemdUnit(name: string, facts: { version: string; summary: string }): string {
  const { devices = [], flagDefaults = {} } = needs[name] ?? {};
  const state = `ctpf/${name}`;
  const flags = { "data-dir": `%S/${state}`, ...flagDefaults };
  return [
    `# ${name} ${facts.version}, made by \`deno task release\`. Installed as /etc/systemd/system/${name}.service`,
    `# from ${installRoot}/${name}/${inArchive.unit(name)} (see README.md there). Flags: ${
      environmentFile(name)
    }`,
    `# with one CTPF_${name.toUpperCase()}_<FLAG>=value per line; \`${name} --help\` lists them.`,
    "[Unit]",
    `Description=CTPF ${name}: ${facts.summary}`,
    `Documentation=file://${installRoot}/${name}/${inArchive.readme}`,
    "After=network-online.target",
    "Wants=network-online.target",
    "",
    "[Service]",
    "Type=exec",
    ...Object.entries(flags).map(([flag, value]) => `Environment=${envName(name, flag)}=${value}`),
    // Deno keeps its compiled-code cache here; the home folder is out of reach (ProtectHome).
    `Environment=DENO_DIR=%C/${state}`,
    `EnvironmentFile=-${environmentFile(name)}`,
    `ExecStart=${installedLauncher(name)}`,
    `StateDirectory=${state}`,
    "StateDirectoryMode=0700",
    `CacheDirectory=${state}`,
    "UMask=0077",
    "Restart=on-failure",
    "RestartSec=5s",
    // The binaries stop cleanly on SIGTERM; 15 s covers a store checkpoint on a slow disk.
    "TimeoutStopSec=15s",
    "",
    "CapabilityBoundingSet=CAP_NET_ADMIN CAP_NET_RAW CAP_NET_BIND_SERVICE",
    "NoNewPrivileges=yes",
    "ProtectSystem=strict",
    "ProtectHome=yes",
    "PrivateTmp=yes",
    ...(devices.length
      ? ["DevicePolicy=closed", ...devices.map((device) => `DeviceAllow=${device} rw`)]
      : ["PrivateDevices=yes"]),
    "ProtectKernelTunables=yes",
    "ProtectKernelModules=yes",
    "ProtectKernelLogs=yes",
    "ProtectControlGroups=yes",
    "ProtectClock=yes",
    "ProtectHostname=yes",
    "RestrictNamespaces=yes",
    "RestrictRealtime=yes",
    "RestrictSUIDSGID=yes",
    "LockPersonality=yes",
    "SystemCallArchitectures=native",
    // Netlink configures interfaces (gloeth runs ip), packet sockets carry DHCP, ARP and Wake-on-LAN.
    "RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6 AF_NETLINK AF_PACKET",
    // Not set, on purpose: MemoryDenyWriteExecute (V8 compiles to executable memory) and a SystemCallFilter
    // (V8's system calls change between Deno releases; a missing one kills the service at random).
    "",
    "[Install]",
    "WantedBy=multi-user.target",
    "",
  ].join("\n");
}
