# edgekit: paste into the Raspberry Pi Imager first-run script (/boot/firmware/firstrun.sh, Raspberry Pi OS
# bookworm), before its final `rm -f /boot/firmware/firstrun.sh`. firstrun.sh runs before the network is up, so
# this only installs a one-shot unit that runs edgekit-firstboot.sh once the network is online, then removes itself.
# Copy edgekit/ (the .deb, edgekit-firstboot.sh, bundle/) onto the boot partition as for cloud-init (user-data.yaml).
cat >/etc/systemd/system/edgekit-firstboot.service <<'UNIT'
[Unit]
Description=edgekit first boot: install and provision the agent
Wants=network-online.target
After=network-online.target time-sync.target
ConditionPathExists=/boot/firmware/edgekit/edgekit-firstboot.sh

[Service]
Type=oneshot
ExecStart=/bin/sh /boot/firmware/edgekit/edgekit-firstboot.sh /boot/firmware/edgekit
ExecStartPost=/bin/systemctl disable edgekit-firstboot.service
ExecStartPost=/bin/rm -f /etc/systemd/system/edgekit-firstboot.service

[Install]
WantedBy=multi-user.target
UNIT
systemctl enable edgekit-firstboot.service
