#!/usr/bin/env bash
# deploy/install.sh -- install edgekit on boards over SSH and wait until each one's birth is on the broker.
#
#   deploy/install.sh [options] HOST...        HOST is [user@]name; one result line per host, exit 1 if any failed
#
# For every HOST it copies the .deb and the board's provisioning bundle (bundles/<name>/, written by
# `edgekit provision --out bundles/<name>`), installs or upgrades the package with apt (which pulls in
# openjdk-21-jre-headless from the board's own repositories), puts the bundle into /etc/edgekit, marks the board
# provisioned (/etc/edgekit/provisioned), enables edgekit-agent.service and -- when anything changed or the service was
# not running -- restarts it and waits for a fresh birth on edgekit/v1/{site}/{id}/state with mosquitto_sub.
# Running it again changes nothing and only checks that the retained state is "online": it is idempotent.
#
# Bundle layout (bundles/<name>/):   agent.yaml   site, id, board, broker (required; site and id name the topic)
#                                    ca.crt       the site CA (TLS)                      -> /etc/edgekit, 0644
#                                    password     with password auth, or                 -> /etc/edgekit, 0600 edgekit
#                                    client.crt + client.key  with certificates          -> 0644 / 0600 edgekit
#                                    acl.txt      broker side, not copied to the board
#
# Options:
#   --deb FILE           package (default: the newest deploy/target/edgekit_*_all.deb)
#   --bundles DIR        bundle folders (default: ./bundles)
#   --simulated          install with `board: simulated` (try a fleet on non-Pi hosts)
#   --broker-host HOST   where to watch for births (default: the host of the bundle's first broker URL)
#   --broker-port PORT   (default: from that URL, else 1883)
#   --sub-arg ARG        extra mosquitto_sub argument, repeatable: --sub-arg --cafile --sub-arg ca.crt
#                        --sub-arg -u --sub-arg operator --sub-arg -P --sub-arg "$PW" (an operator identity)
#   --timeout SECONDS    wait this long for a birth (default 120)
#   --parallel N         hosts at a time (default 4)
#   --ssh-opt OPT        extra ssh/scp option, repeatable (e.g. --ssh-opt -oStrictHostKeyChecking=accept-new)
# The SSH user must be root or have password-less sudo. Needs ssh, scp and mosquitto_sub here.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

deb="" bundles=./bundles simulated=0 broker_host="" broker_port="" timeout=120 parallel=4
sub_args=() ssh_opts=() hosts=()
while [ $# -gt 0 ]; do
  case $1 in
    --deb) deb=$2; shift 2 ;;
    --bundles) bundles=$2; shift 2 ;;
    --simulated) simulated=1; shift ;;
    --broker-host) broker_host=$2; shift 2 ;;
    --broker-port) broker_port=$2; shift 2 ;;
    --sub-arg) sub_args+=("$2"); shift 2 ;;
    --timeout) timeout=$2; shift 2 ;;
    --parallel) parallel=$2; shift 2 ;;
    --ssh-opt) ssh_opts+=("$2"); shift 2 ;;
    -h|--help) sed -n '2,33p' "$0"; exit 0 ;;
    -*) echo "install.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    *) hosts+=("$1"); shift ;;
  esac
done
[ ${#hosts[@]} -gt 0 ] || { echo "install.sh: no HOST given (see --help)" >&2; exit 2; }
if [ -z "$deb" ]; then
  # shellcheck disable=SC2012 # our own file names
  deb=$(ls -t "$here"/target/edgekit_*_all.deb 2>/dev/null | head -n 1 || true)
  [ -n "$deb" ] || { echo "install.sh: no .deb; build one (./scripts/mvn -pl deploy -am package) or pass --deb" >&2; exit 2; }
fi
[ -f "$deb" ] || { echo "install.sh: no such package: $deb" >&2; exit 2; }
deb_version=$(dpkg-deb -f "$deb" Version 2>/dev/null || true)   # unknown without dpkg: always send the package
for tool in ssh scp mosquitto_sub; do
  command -v "$tool" >/dev/null || { echo "install.sh: $tool is missing here (apt-get install openssh-client mosquitto-clients)" >&2; exit 2; }
done

work=$(mktemp -d)
close_all() {
  local s
  for s in "$work"/*.sock; do [ -S "$s" ] && ssh -o ControlPath="$s" -O exit x 2>/dev/null; done
  rm -rf "$work"
}
trap close_all EXIT

# What runs on the board (as root): install or upgrade, place the bundle, enable. Prints "changed=N active=STATE".
# $1 = upload folder, $2 = 1 for board: simulated
# shellcheck disable=SC2016 # expanded on the board
remote_install='
set -eu
up=$1 simulated=$2 changed=0
export DEBIAN_FRONTEND=noninteractive
have=$(dpkg-query -W -f "\${Status} \${Version}" edgekit 2>/dev/null | sed -n "s/^install ok installed //p")
want=$have
[ -f "$up/edgekit.deb" ] && want=$(dpkg-deb -f "$up/edgekit.deb" Version)
if [ -z "$have" ] || [ "$have" != "$want" ]; then
  [ -f "$up/edgekit.deb" ] || { echo "edgekit is not installed and no package was sent" >&2; exit 3; }
  if command -v apt-get >/dev/null; then
    apt-get install -y -q -o Dpkg::Options::=--force-confold "$up/edgekit.deb" >"$up/apt.log" 2>&1 \
      || { tail -n 5 "$up/apt.log" | tr "\n" " " >&2; exit 3; }
  else
    dpkg -i --force-confold "$up/edgekit.deb" >"$up/apt.log" 2>&1 || { tail -n 5 "$up/apt.log" | tr "\n" " " >&2; exit 3; }
  fi
  changed=1
fi
if [ "$simulated" = 1 ]; then
  sed -i "s/^board:.*/board: simulated/" "$up/agent.yaml"
  grep -q "^board:" "$up/agent.yaml" || echo "board: simulated" >>"$up/agent.yaml"
fi
place() { # file mode owner
  [ -f "$up/$1" ] || return 0
  if ! cmp -s "$up/$1" "/etc/edgekit/$1" || [ "$(stat -c "%a %U" "/etc/edgekit/$1")" != "$2 $3" ]; then
    install -m "$2" -o "$3" -g "$3" "$up/$1" "/etc/edgekit/$1.new" && mv "/etc/edgekit/$1.new" "/etc/edgekit/$1"
    changed=1
  fi
}
place agent.yaml 644 root
place ca.crt 644 root
place client.crt 644 root
place password 600 edgekit
place client.key 600 edgekit
if [ ! -e /etc/edgekit/provisioned ]; then
  echo "provisioned by deploy/install.sh on $(date -u +%Y-%m-%dT%H:%M:%SZ)" >/etc/edgekit/provisioned
  changed=1
fi
rm -rf "$up"
systemctl enable --quiet edgekit-agent.service
echo "changed=$changed active=$(systemctl is-active edgekit-agent.service || true) version=$want"
'

install_one() { # $1 = [user@]host; prints one line
  local target=$1 name=${1#*@} sock="$work/${1//[^A-Za-z0-9]/_}.sock"
  local bundle="$bundles/$name" site id url bhost bport sudo="" up out changed active version
  local ssh_cmd=(ssh -o BatchMode=yes -o ConnectTimeout=10 -o ControlMaster=auto -o "ControlPath=$sock" \
    -o ControlPersist=60 "${ssh_opts[@]}")
  result() { printf '%-24s %-9s %s\n' "$name" "$1" "$2"; }
  [ -f "$bundle/agent.yaml" ] || { result FAILED "no bundle: $bundle/agent.yaml (edgekit provision --out $bundle)"; return 1; }
  site=$(sed -n 's/^site:[[:space:]]*\([a-z0-9-]*\).*/\1/p' "$bundle/agent.yaml")
  id=$(sed -n 's/^id:[[:space:]]*\([a-z0-9-]*\).*/\1/p' "$bundle/agent.yaml")
  if [ -z "$site" ] || [ -z "$id" ]; then result FAILED "$bundle/agent.yaml has no site: or id:"; return 1; fi
  url=$(sed -n 's/^[[:space:]]*urls:[[:space:]]*\[\{0,1\}[[:space:]]*"\{0,1\}\([a-z]*:\/\/[^",]*\).*/\1/p' "$bundle/agent.yaml" | head -n 1)
  bhost=${broker_host:-$(sed -n 's|^[a-z]*://\([^:/]*\).*|\1|p' <<<"$url")}
  bport=${broker_port:-$(sed -n 's|^[a-z]*://[^:/]*:\([0-9]*\).*|\1|p' <<<"$url")}
  bport=${bport:-1883}
  [ -n "$bhost" ] || { result FAILED "no broker host (pass --broker-host)"; return 1; }
  local sub=(mosquitto_sub -h "$bhost" -p "$bport" "${sub_args[@]}" -t "edgekit/v1/$site/$id/state")

  if ! up=$("${ssh_cmd[@]}" "$target" 'mktemp -d' 2>"$work/$name.err"); then
    result FAILED "ssh: $(tail -n 1 "$work/$name.err")"; return 1
  fi
  [ "$("${ssh_cmd[@]}" "$target" 'id -u')" = 0 ] || sudo="sudo -n"
  # send the 30 MB package only when the board has another version
  local files=() have
  # shellcheck disable=SC2016 # expanded on the board
  have=$("${ssh_cmd[@]}" "$target" 'dpkg-query -W -f "\${Status} \${Version}" edgekit 2>/dev/null' | sed -n 's/^install ok installed //p' || true)
  [ -n "$have" ] && [ "$have" = "$deb_version" ] || files+=("$deb")
  for f in agent.yaml ca.crt password client.crt client.key; do [ -f "$bundle/$f" ] && files+=("$bundle/$f"); done
  if ! scp -q -o BatchMode=yes -o "ControlPath=$sock" "${ssh_opts[@]}" "${files[@]}" "$target:$up/" 2>"$work/$name.err"; then
    result FAILED "scp: $(tail -n 1 "$work/$name.err")"; return 1
  fi
  [ ${#files[@]} -gt 0 ] && [ "${files[0]}" = "$deb" ] && "${ssh_cmd[@]}" "$target" "mv $up/$(basename "$deb") $up/edgekit.deb"
  if ! out=$("${ssh_cmd[@]}" "$target" "$sudo sh -s -- $up $simulated" <<<"$remote_install" 2>"$work/$name.err"); then
    result FAILED "install: $(tr '\n' ' ' <"$work/$name.err" | cut -c1-200)"; return 1
  fi
  changed=$(sed -n 's/.*changed=\([01]\).*/\1/p' <<<"$out")
  active=$(sed -n 's/.*active=\([a-z-]*\).*/\1/p' <<<"$out")
  version=$(sed -n 's/.*version=\(.*\)/\1/p' <<<"$out")

  if [ "$changed" = 0 ] && [ "$active" = active ]; then
    # nothing to do: the retained state must say online
    if "${sub[@]}" -C 1 -W 10 2>/dev/null | grep -q '"online"'; then
      result unchanged "edgekit $version, online (retained birth of $site/$id)"; return 0
    fi
  fi
  # stop (the agent says offline), listen for live messages only (-R: no stale retained state), start, wait
  "${ssh_cmd[@]}" "$target" "$sudo systemctl stop edgekit-agent.service" 2>/dev/null || true
  local t_start birth
  "${sub[@]}" -R -C 1 -W "$timeout" >"$work/$name.birth" 2>"$work/$name.suberr" &
  local sub_pid=$!
  sleep 1
  t_start=$(date +%s%N)
  if ! "${ssh_cmd[@]}" "$target" "$sudo systemctl start edgekit-agent.service" 2>"$work/$name.err"; then
    kill "$sub_pid" 2>/dev/null; result FAILED "systemctl start: $(tail -n 1 "$work/$name.err")"; return 1
  fi
  if ! wait "$sub_pid" || ! grep -q '"online"' "$work/$name.birth"; then
    local why
    why=$("${ssh_cmd[@]}" "$target" "$sudo journalctl -u edgekit-agent.service -n 3 --no-pager -o cat" 2>/dev/null | tr '\n' ' ' | cut -c1-200)
    result FAILED "no birth on edgekit/v1/$site/$id/state within ${timeout}s ($(head -c 100 "$work/$name.suberr")) journal: $why"
    return 1
  fi
  birth=$(( ($(date +%s%N) - t_start) / 1000000 ))
  result ok "edgekit $version, birth of $site/$id ${birth} ms after start"
}

failed=0 running=0
for h in "${hosts[@]}"; do
  install_one "$h" &
  running=$((running + 1))
  if [ "$running" -ge "$parallel" ]; then wait -n || failed=$((failed + 1)); running=$((running - 1)); fi
done
while [ "$running" -gt 0 ]; do wait -n || failed=$((failed + 1)); running=$((running - 1)); done
[ "$failed" -eq 0 ] || { echo "install.sh: $failed of ${#hosts[@]} host(s) failed" >&2; exit 1; }
