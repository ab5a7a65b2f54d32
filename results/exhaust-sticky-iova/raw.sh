#!/bin/sh
# raw.sh: guest script (scripts/vm-run --script): repro.sh's sequence with
# dmabench's domain renewal disarmed, to see what the kernel itself does:
# a file bind-mounted over the group's type file takes the renewal's
# writes, so the device stays in the default domain the refusal happened
# in (dmabench says "renewed", and nothing was).  TCG emulation timings:
# compare within one boot only.
D=
for d in /sys/bus/pci/devices/*; do [ "$(cat $d/device)" = 0x11e8 ] && { D=${d##*/}; break; }; done
G=$(readlink /sys/bus/pci/devices/$D/iommu_group)
G=/sys/kernel/iommu_groups/${G##*/}
echo "device $D type $(cat $G/type) kernel $(uname -r)"
cat $G/type > /tmp/type
mount --bind /tmp/type $G/type || echo "bind mount over $G/type failed: the numbers below are renewed ones"
ms() { dmabench run --device $D --test map_single --size 4K --threads 1 --seconds 1 --format csv | awk -F, '/^#/ {next} !h {for(i=1;i<=NF;i++)c[$i]=i; h=1; next} $c["phase"] == "map" {printf "map_single map p50 %s ns\n", $c["p50_ns"]}'; }
cap() { dmabench exhaust iova --device $D --mask-bits $1 $2 $3 --format csv | awk -F, -v b=$1 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next } { print "exhaust at " b " bits: " $c["count"]; exit }'; }
echo "== before"; cap 24; ms; ms; ms
echo "== exhaust at 20 bits"; cap 20
echo "== after"; cap 24; cap 32 --max-count 20000; ms; ms; ms
umount $G/type
echo "type $(cat $G/type)"
