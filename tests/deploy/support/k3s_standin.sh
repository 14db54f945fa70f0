#!/bin/bash
# k3s STAND-IN for CTPF's tests: this is not k3s, which cannot be obtained here. Installed where k3s goes
# (the air-gap "binary" of a test inventory), it records how it was started instead of running
# Kubernetes: as `k3s server|agent ...` it writes its argv, its K3S_* environment, the config file it
# would read and the token file it was pointed at (the token only as a SHA-256) to
# /var/lib/k3s-standin/<role>.json (and a line in runs.jsonl), writes a plausible admin kubeconfig for a
# server, tells systemd it is ready, and runs until SIGTERM, as k3s does under systemd. Like k3s, it
# refuses to join without a server URL and a token. `k3s --version` prints a version line; `k3s kubectl
# ...` (a node deleted through a server) is recorded as a line in kubectl.jsonl and succeeds.
# K3S_STANDIN_ROOT puts every path it reads or writes under another root, so tests need no real /etc.
# Needs bash and coreutils; perl-base lets it notify systemd from its own PID under a Type=notify unit.
set -u
K3S_STANDIN_VERSION="v1.31.4+k3s1"
root="${K3S_STANDIN_ROOT:-}"
records="$root/var/lib/k3s-standin"

json_string() {
  local s=$1 out="" i c
  s=${s//\\/\\\\}
  s=${s//\"/\\\"}
  s=${s//$'\n'/\\n}
  s=${s//$'\t'/\\t}
  s=${s//$'\r'/\\r}
  if [[ $s == *[$'\x01'-$'\x1f']* ]]; then
    for ((i = 0; i < ${#s}; i++)); do
      c=${s:i:1}
      if [[ $c == [$'\x01'-$'\x1f'] ]]; then printf -v c '\\u%04x' "'$c"; fi
      out+=$c
    done
    s=$out
  fi
  printf '"%s"' "$s"
}

# A scalar of the config file: a double-quoted one with its escapes undone (as YAML, which k3s uses,
# reads it), any other as written.
yaml_scalar() {
  local s=$1 out="" i c
  if [[ ${#s} -lt 2 || $s != \"*\" ]]; then
    printf '%s' "$s"
    return
  fi
  s=${s:1:${#s}-2}
  for ((i = 0; i < ${#s}; i++)); do
    c=${s:i:1}
    if [ "$c" = '\' ]; then
      i=$((i + 1))
      c=${s:i:1}
      case "$c" in n) c=$'\n' ;; t) c=$'\t' ;; esac
    fi
    out+=$c
  done
  printf '%s' "$out"
}

sha256_of_text() { printf '%s' "$1" | sha256sum | cut -d ' ' -f 1; }

# The value of a top-level key in k3s's config file.
config_value() {
  [ -f "$root$config_file" ] || return 0
  yaml_scalar "$(sed -n "s/^$1: *//p" "$root$config_file" | head -n 1)"
}

case "${1:-}" in
--version | -v | version)
  echo "k3s version $K3S_STANDIN_VERSION (k3s-standin)"
  echo "go version go1.22.9 (k3s-standin)"
  exit 0
  ;;
kubectl)
  mkdir -p "$records"
  argv_json=""
  for arg in "$@"; do argv_json+="${argv_json:+,}$(json_string "$arg")"; done
  printf '{"standin":"k3s-standin","argv":[%s]}\n' "$argv_json" >>"$records/kubectl.jsonl"
  exit 0
  ;;
server | agent) role=$1 ;;
*)
  echo "k3s-standin: usage: k3s server|agent [flags] | k3s --version" >&2
  exit 2
  ;;
esac

# From here on SIGTERM ends it cleanly, as systemd's stop ends k3s, even before it is up.
# $! is only ever the sleep below (nothing else runs in the background), so the trap ends it too.
trap 'if [ -n "${!:-}" ]; then kill "$!" 2>/dev/null; fi; exit 0' TERM INT
config_file=${K3S_CONFIG_FILE:-/etc/rancher/k3s/config.yaml}
token_file=${K3S_TOKEN_FILE:-}
token=${K3S_TOKEN:-}
token_source=""
[ -n "$token_file" ] && token_source=env
[ -n "$token" ] && token_source=env
server_url=${K3S_URL:-}
argv_json=""
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  arg=${args[i]}
  next=${args[i + 1]:-}
  shown=$arg
  case "$arg" in
  --config | -c) config_file=$next ;;
  --config=*) config_file=${arg#*=} ;;
  --token-file) token_file=$next token_source=argv ;;
  --token-file=*) token_file=${arg#*=} token_source=argv ;;
  --server | -s) server_url=$next ;;
  --server=*) server_url=${arg#*=} ;;
  --token=*) token=${arg#*=} token_source=argv shown="--token=sha256:$(sha256_of_text "${arg#*=}")" ;;
  esac
  # A token given on the command line is recorded as its hash: the record is read by tests and people.
  prev=${args[i - 1]:-}
  if ((i > 0)) && [[ $prev == --token || $prev == -t ]]; then
    token=$arg token_source=argv shown="sha256:$(sha256_of_text "$arg")"
  fi
  argv_json+="${argv_json:+,}$(json_string "$shown")"
done
if [ -z "$token_file" ] && [ -z "$token" ]; then
  token_file=$(config_value token-file)
  [ -n "$token_file" ] && token_source=config
  token=$(config_value token)
  [ -n "$token" ] && token_source=config
fi
[ -z "$server_url" ] && server_url=$(config_value server)

error=""
token_sha256=""
token_mode=""
if [ -n "$token_file" ]; then
  if [ -r "$root$token_file" ]; then
    token_sha256=$(tr -d '\n' <"$root$token_file" | sha256sum | cut -d ' ' -f 1)
    token_mode=$(stat -c %a "$root$token_file")
  else
    error="token file $token_file cannot be read"
  fi
elif [ -n "$token" ]; then
  token_sha256=$(sha256_of_text "$token")
fi
if [ -z "$error" ] && [ "$role" = agent ] && [ -z "$server_url" ]; then
  error="--server is required"
fi
if [ -z "$error" ] && [ -n "$server_url" ] && [ -z "$token_sha256" ]; then
  error="--token is required to join $server_url"
fi

env_json=""
while IFS='=' read -r name value; do
  case "$name" in '' | K3S_STANDIN_*) continue ;; esac
  [ "$name" = K3S_TOKEN ] && value="sha256:$(sha256_of_text "$value")"
  env_json+="${env_json:+,}$(json_string "$name"):$(json_string "$value")"
done <<<"$(env | grep '^K3S_' | sort)"

# What k3s would run with: the config file's options as flags (a list repeats its flag), then the command
# line's own flags, as k3s merges them.
effective_json=$(json_string "$role")
if [ -f "$root$config_file" ]; then
  list_key=""
  while IFS= read -r line; do
    case "$line" in
    '#'* | '') continue ;;
    '  - '*)
      item=$(yaml_scalar "${line#  - }")
      effective_json+=",$(json_string "--$list_key"),$(json_string "$item")"
      ;;
    *:)
      list_key=${line%:}
      ;;
    *': '*)
      key=${line%%: *}
      value=${line#*: }
      if [ "$value" = true ]; then
        effective_json+=",$(json_string "--$key")"
      else
        value=$(yaml_scalar "$value")
        [ "$key" = token ] && value="sha256:$(sha256_of_text "$value")"
        effective_json+=",$(json_string "--$key"),$(json_string "$value")"
      fi
      ;;
    esac
  done <"$root$config_file"
fi
effective_json+="${argv_json#$(json_string "$role")}"

config_json=null
[ -f "$root$config_file" ] && config_json=$(json_string "$(cat "$root$config_file")")
optional() { if [ -n "$1" ]; then json_string "$1"; else printf null; fi; }

mkdir -p "$records"
record="{\"standin\":\"k3s-standin\",\"version\":\"$K3S_STANDIN_VERSION\",\"role\":\"$role\",\"pid\":$$"
record+=",\"argv\":[$argv_json],\"effectiveArgs\":[$effective_json],\"env\":{$env_json},\"configFile\":$(json_string "$config_file")"
record+=",\"config\":$config_json,\"tokenFile\":$(optional "$token_file"),\"tokenFileMode\":$(optional "$token_mode")"
record+=",\"tokenSha256\":$(optional "$token_sha256"),\"tokenSource\":$(optional "$token_source")"
record+=",\"server\":$(optional "$server_url"),\"error\":$(optional "$error")}"
# The history first; <role>.json appears last, once the stand-in is up (or has failed), so a watcher
# that sees it can stop the stand-in and find it ends cleanly.
printf '%s\n' "$record" >>"$records/runs.jsonl"
printf '%s\n' "$record" >"$records/$role.json.tmp"
export K3S_STANDIN_RECORD_TMP="$records/$role.json.tmp" K3S_STANDIN_RECORD="$records/$role.json"

if [ -n "$error" ]; then
  mv "$K3S_STANDIN_RECORD_TMP" "$K3S_STANDIN_RECORD"
  echo "k3s-standin: $error" >&2
  exit 1
fi

if [ "$role" = server ]; then
  fake=$(printf '%s' "k3s-standin: not a certificate" | base64 -w 0)
  mkdir -p "$root/etc/rancher/k3s"
  (
    umask 077
    cat >"$root/etc/rancher/k3s/k3s.yaml.tmp" <<KUBECONFIG
apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: $fake
    server: https://127.0.0.1:6443
  name: default
contexts:
- context:
    cluster: default
    user: default
  name: default
current-context: default
kind: Config
preferences: {}
users:
- name: default
  user:
    client-certificate-data: $fake
    client-key-data: $fake
KUBECONFIG
  )
  mv "$root/etc/rancher/k3s/k3s.yaml.tmp" "$root/etc/rancher/k3s/k3s.yaml"
fi

# Up: SIGTERM handled, the record published, and systemd told it is ready, from this very PID, as a
# Type=notify unit (NotifyAccess=main) requires. Hence perl (perl-base is on every Debian system) in
# place of this shell: systemd-notify would send it from another PID.
stay_running='
  $SIG{TERM} = $SIG{INT} = sub { exit 0 };
  rename $ENV{K3S_STANDIN_RECORD_TMP}, $ENV{K3S_STANDIN_RECORD} or die "k3s-standin: record: $!\n";
  if (defined(my $path = $ENV{NOTIFY_SOCKET})) {
    $path =~ s/^@/\0/;
    my $socket = IO::Socket::UNIX->new(Type => SOCK_DGRAM(), Peer => $path) or die "k3s-standin: notify: $!\n";
    $socket->send("READY=1\nSTATUS=k3s stand-in: start recorded, running until SIGTERM\n");
  }
  sleep 3600 while 1;
'
if command -v perl >/dev/null; then exec -a "$0" perl -MIO::Socket::UNIX -MSocket -e "$stay_running"; fi

# Without perl: ready for a Type=exec unit (or one with NotifyAccess=all).
mv "$K3S_STANDIN_RECORD_TMP" "$K3S_STANDIN_RECORD"
if [ -n "${NOTIFY_SOCKET:-}" ] && command -v systemd-notify >/dev/null; then systemd-notify --ready; fi
while :; do
  sleep 3600 &
  wait "$!"
done
