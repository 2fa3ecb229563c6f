#!/bin/sh
# edgekit first boot: installs the .deb and the board's provisioning bundle from the boot partition, then starts the
# agent. Called by cloud-init (user-data.yaml) or by the Raspberry Pi Imager first-run hook (firstrun-snippet.sh),
# once the network is up. Expects, on the boot partition (/boot/firmware on Raspberry Pi OS and Debian 13):
#   edgekit/edgekit_<version>_all.deb
#   edgekit/edgekit-firstboot.sh        (this script)
#   edgekit/bundle/agent.yaml, ca.crt, password | client.crt + client.key   (edgekit provision --out ...)
# The bundle is deleted from the boot partition afterwards: a FAT partition has no permissions, and anyone holding
# the SD card could read the password. Log: /var/log/edgekit-firstboot.log.
set -eu
src=${1:-/boot/firmware/edgekit}
[ -d "$src" ] || src=/boot/edgekit
exec >>/var/log/edgekit-firstboot.log 2>&1
echo "edgekit first boot from $src at $(date -u +%Y-%m-%dT%H:%M:%SZ)"

deb=""
for d in "$src"/edgekit_*_all.deb; do deb=$d; done   # the last one (glob order: the newest version)
[ -f "$deb" ] || { echo "edgekit: no edgekit_*_all.deb in $src"; exit 1; }
export DEBIAN_FRONTEND=noninteractive
# openjdk-21-jre-headless comes from the image's own repositories; retry while the network settles
for try in 1 2 3 4 5; do
  if apt-get update -q && apt-get install -y -q -o Dpkg::Options::=--force-confold "$deb"; then break; fi
  [ "$try" = 5 ] && { echo "edgekit: apt-get failed 5 times"; exit 1; }
  sleep 20
done

b=$src/bundle
if [ -f "$b/agent.yaml" ]; then
  install -m 0644 "$b/agent.yaml" /etc/edgekit/agent.yaml
  for f in ca.crt client.crt; do [ ! -f "$b/$f" ] || install -m 0644 "$b/$f" "/etc/edgekit/$f"; done
  for f in password client.key; do [ ! -f "$b/$f" ] || install -m 0600 -o edgekit -g edgekit "$b/$f" "/etc/edgekit/$f"; done
  echo "provisioned at first boot from $src" >/etc/edgekit/provisioned
  rm -rf "$b"
  systemctl enable edgekit-agent.service
  systemctl restart edgekit-agent.service
  echo "edgekit: agent started; watch: mosquitto_sub -t 'edgekit/v1/+/+/state' -v"
else
  echo "edgekit: no bundle in $b; installed but not provisioned (the agent stays inactive)"
fi
