#!/usr/bin/env bash
# Installs what CTPF needs on a fresh Debian machine of this kind: the pinned npm tools (Deno, buf,
# protoc-gen-es, playwright-core) and, with --test, the Debian packages the tests drive (real clients,
# namespaces, Chromium) and, with --bench, also the peer tools the comparisons run. Safe to run again: it
# only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v npm >/dev/null 2>&1; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup: npm is missing; install Node.js and npm (apt-get install nodejs npm) and run again" >&2
    exit 1
  fi
  echo "setup: apt-get install nodejs npm" >&2
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nodejs npm >&2
fi

if [ -L node_modules ]; then
  # A git worktree that borrows another checkout's install through a symlink: npm ci would empty that
  # install (through the link) and put a new one here, under every other user of it.
  echo "setup: node_modules is a symlink (an install shared with another checkout): npm ci skipped" >&2
elif [ ! -x node_modules/.bin/deno ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: npm ci (Deno and tools from the npm registry)" >&2
  npm ci --prefer-offline --no-audit --no-fund --loglevel=error >&2
fi

# apt_install PACKAGE… — installs those not yet installed, as root, without starting any daemon: a
# policy-rc.d that refuses every start stands in for the time of the install when the machine has none.
apt_install() {
  local missing=() package
  for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
  done
  [ "${#missing[@]}" -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup: not root, cannot install: ${missing[*]}" >&2
    return 1
  fi
  echo "setup: apt-get install ${missing[*]}" >&2
  local policy=/usr/sbin/policy-rc.d placed=""
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod 755 "$policy" && placed=yes
  fi
  local status=0
  { apt-get update -qq >&2 &&
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2; } ||
    status=$?
  [ -n "$placed" ] && rm -f "$policy"
  return "$status"
}

# unpack_peer PACKAGE — a peer that conflicts with another one we install (atftpd with tftpd-hpa) is
# unpacked, not installed, under .peers/PACKAGE; the benchmarks look for its binaries there.
unpack_peer() {
  local package=$1 target=.peers/$1
  [ -d "$target/usr" ] && return 0
  local download
  download=$(mktemp -d) && chmod 755 "$download" # apt-get download drops privileges to _apt
  (cd "$download" && apt-get download "$package" >&2) &&
    mkdir -p "$target" && dpkg-deb -x "$download"/"$package"_*.deb "$target"
  local status=$?
  rm -rf "$download"
  return "$status"
}

mode=${1:-}
# What the platform itself uses at run time: Debian's iPXE binaries fill bofied's starter boot tree on the
# first start. Installed when we are root; otherwise the page says the starter lacks them.
if [ "$(id -u)" -eq 0 ]; then
  apt_install ipxe || echo "setup: ipxe could not be installed; bofied's starter tree will have only its menu" >&2
elif ! dpkg-query -W -f='${Status}' ipxe 2>/dev/null | grep -q "install ok installed"; then
  echo "setup: not root: install Debian's ipxe (apt-get install ipxe) for bofied's starter boot tree" >&2
fi
if [ "$mode" = "--test" ] || [ "$mode" = "--bench" ]; then
  # The arm64 test machine's kernel and init are Debian's arm64 packages (linux-image-cloud-arm64,
  # busybox-static), fetched with `apt-get download` (tests/e2e/arm64_payload.ts), never installed; and the
  # aarch64 release archive's Deno runs under qemu-user-static with arm64's C library (libc6:arm64, below).
  # apt must know the arm64 architecture for both. Added once (dpkg keeps it; the next apt-get update, in
  # apt_install, fetches arm64's package lists too); of arm64, only libc6 and its libgcc-s1 get installed.
  if [ "$(id -u)" -eq 0 ] && ! dpkg --print-foreign-architectures | grep -qx arm64; then
    echo "setup: dpkg --add-architecture arm64 (for apt-get download of the arm64 test payload)" >&2
    dpkg --add-architecture arm64
    apt-get update -qq >&2 || { echo "setup: apt-get update failed after adding arm64" >&2; exit 1; }
  fi
  # iproute2: namespaces, veth, TAP; tcpdump/socat/iputils: real peers; chromium: UI tests; busybox,
  # isc-dhcp-client/-relay, dnsmasq-base: real DHCP clients, relay and a peer server; curl: HTTP/TFTP
  # client; qemu-system-x86, ipxe-qemu, seabios, ovmf, ipxe, gcc, libc6-dev: the network-boot tests'
  # machines (BIOS and UEFI firmware, Debian's iPXE binaries as first stage) and init; tshark: Wireshark's
  # dissectors judge captures (Wake-on-LAN); libwireshark-data: the IEEE vendor and IANA service registries
  # liwasc's generated tables are checked against; iperf3: streams over gloeth; libsodium23: the second
  # audited ChaCha20-Poly1305 the WASM frame path is checked against; rustc, cargo, libstd-rust-dev-wasm32,
  # lld-14 (rust-lld, which the Rust packages only recommend): rebuild the committed frame-path module and compare; nmap, arp-scan, tftp-hpa, atftp, rclone: the
  # peer clients whose verdicts and transfers the tests compare with ours; ntpsec: the NTP server liwasc's
  # UDP probe is tried against (its daemon is not started); litmus: the WebDAV server test suite bofied's
  # WebDAV (class 2: locks, properties) must pass whole; cadaver: a neon WebDAV client that takes locks;
  # openipmi (ipmi_sim, a BMC whose start command runs qemu) and python3-pyghmi (a second, independent
  # BMC): the real BMCs nodin's IPMI driver is tested against; ipmitool and freeipmi-tools (ipmipower):
  # the real IPMI clients that must observe the power state the driver set, and whose captured sessions
  # are the IPMI codec's byte vectors.
  # awscli, python3-botocore: AWS's own client and SigV4 signer, which check nodin's EC2 fake and signer;
  # python3-digitalocean: DigitalOcean's Python client, which checks nodin's DigitalOcean fake.
  # redfishtool, python3-sushy: DMTF's and OpenStack's Redfish clients, which check the fake Redfish
  # service nodin's Redfish driver is tested against; libvirt-daemon-system with its -sysv variant (the
  # -systemd one pulls systemd-sysv) and libvirt-clients (virsh): a real libvirtd, run in a test namespace
  # with its state in a temp dir, for nodin's libvirt driver (virsh is also what that driver runs);
  # sasl2-bin: saslpasswd2 makes that libvirtd's SASL password database (saslauthd is not started); openssl:
  # an HMAC that is not ours checks the signatures of nodin's webhook driver; openssh-server (its daemon is
  # not started: the test runs its own sshd from its own config) and openssh-client (which nodin's SSH
  # driver runs): the SSH power driver's counterpart.
  # docker.io: Debian's Docker daemon (20.10, BuildKit inside) the builders service runs its builds on; the
  # tests start their own dockerd (own socket and data root, no iptables, no bridge) and its service is never
  # started. debootstrap: makes the builders' base images, as no image registry is reachable. xorriso: makes
  # the synthetic installer ISO the builders' ISO tests remaster (a real installer ISO cannot be fetched).
  # iptables: a firewall that drops SYNs inside a test namespace, the filtered ports liwasc's SYN scan and
  # the nmap comparison must wait out.
  packages=(iproute2 tcpdump socat iputils-ping iputils-arping chromium fonts-dejavu-core busybox
    isc-dhcp-client isc-dhcp-relay dnsmasq-base curl qemu-system-x86 ipxe-qemu seabios ovmf ipxe gcc libc6-dev
    tshark libwireshark-data iperf3 libsodium23 rustc cargo libstd-rust-dev-wasm32 lld-14
    nmap arp-scan tftp-hpa atftp rclone ntpsec litmus cadaver openipmi python3-pyghmi ipmitool freeipmi-tools
    awscli python3-botocore python3-digitalocean redfishtool python3-sushy
    libvirt-daemon-system libvirt-daemon-system-sysv libvirt-clients sasl2-bin openssl
    openssh-server openssh-client docker.io debootstrap xorriso iptables)
  # The arm64 builders' tests (tests/builders/arm64_test.ts): qemu-system-arm (qemu-system-aarch64) and
  # u-boot-qemu (Debian's U-Boot for qemu's arm64 virt board) boot the built disk image; fdisk (sfdisk),
  # mtools, e2fsprogs (debugfs) and u-boot-tools (mkimage, dumpimage) check it file by file without
  # mounting it; zstd and xz-utils unpack its compressed copies.
  packages+=(qemu-system-arm u-boot-qemu fdisk mtools e2fsprogs u-boot-tools zstd xz-utils)
  # The rpi builder's tests make and check Raspberry Pi images without mounts (sfdisk, mtools, mkfs.fat and
  # fsck.fat) and unpack its compressed outputs (xz, zstd).
  packages+=(fdisk mtools dosfstools xz-utils zstd)
  # cpio: GNU cpio reads back the join configuration the iso builder appends to an initrd as a newc archive;
  # mtools: mdir lists the UEFI loader in the ISO's El Torito FAT image without mounting it.
  packages+=(cpio mtools)
  # systemd-container: systemd-nspawn boots the deployers' test hosts (core/deploy/testing: a debootstrap
  # Debian with systemd and sshd, in a namespace of the test's); debootstrap and openssh-* are listed above.
  packages+=(systemd-container)
  # strace: core/store/wal_sync_test.ts checks at the system-call level that a grouped commit is
  # acknowledged only after an fdatasync that began after its WAL write.
  packages+=(strace)
  # kubernetes-client: kubectl, the real client that reads the kubeconfig the k3sdeployer rewrites (k3s
  # itself is not packaged). Only when no kubectl is there: machines of this kind may have the Google
  # Cloud SDK's kubectl package, which owns /usr/bin/kubectl and conflicts with Debian's.
  command -v kubectl >/dev/null || packages+=(kubernetes-client)
  # systemd: systemd-analyze verify checks the k3sdeployer's and the release archives' units offline (the package alone does not make
  # systemd the init; systemd-sysv would).
  packages+=(systemd)
  # The release archives (tests/release/release_test.ts): qemu-user-static runs the aarch64 archive's Deno
  # on this host (its binfmt rule is registered only inside the test's own user namespace, never on the
  # host), and libc6:arm64 is the C library that Deno links against.
  packages+=(qemu-user-static libc6:arm64)
  apt_install "${packages[@]}" || { echo "setup: test packages could not be installed" >&2; exit 1; }
fi
if [ "$mode" = "--bench" ]; then
  # The peers bench/compare measures ours against, from Debian; their daemons are not started (each
  # benchmark runs its own on loopback or in its namespaces). atftpd conflicts with tftpd-hpa: unpacked.
  bench_packages=(kea-dhcp4-server kea-admin tftpd-hpa nginx-light wrk tinc wireguard-go wireguard-tools
    openvpn hyperfine)
  # ethtool: gloeth_vs_peers turns TSO/GSO off on the iperf3 sender's overlay device for its "bridged
  # LAN" TCP case (MTU-sized frames instead of 64 KiB super-frames).
  bench_packages+=(ethtool)
  # ansible-core: deploy_vs_ansible runs the same file-and-command work through Ansible (pipelining on)
  # beside the deployers' SSH executor.
  bench_packages+=(ansible-core)
  apt_install "${bench_packages[@]}" || { echo "setup: bench packages could not be installed" >&2; exit 1; }
  # atftpd's own libraries (libwrap0, libpcre2-8-0) come with tftpd-hpa and the base system.
  unpack_peer atftpd || { echo "setup: atftpd could not be unpacked" >&2; exit 1; }
fi
