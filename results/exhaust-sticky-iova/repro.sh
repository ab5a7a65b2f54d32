#!/bin/sh
# repro.sh: guest script (scripts/vm-run --script): exhaust the IOVA space
# of the first edu device at 24 bits, at 20 bits, at 24 bits again, with a
# map_single p50 before and after.  TCG emulation timings: compare within
# one boot only.
D=
for d in /sys/bus/pci/devices/*; do [ "$(cat $d/device)" = 0x11e8 ] && { D=${d##*/}; break; }; done
echo "device $D type $(cat /sys/bus/pci/devices/$D/iommu_group/type)"
ms() { dmabench run --device $D --test map_single --size 4K --threads 1 --seconds 1 --format csv | awk -F, '/^#/ {next} !h {for(i=1;i<=NF;i++)c[$i]=i; h=1; next} {printf "map_single %s p50 %s ns\n", $c["phase"], $c["p50_ns"]}'; }
cap() { dmabench exhaust iova --device $D --mask-bits $1 $2 $3 | grep -E "run 1|refused|new default|keeps"; }
echo "== before"; cap 24; cap 24; ms
echo "== exhaust at 20 bits"; cap 20
echo "== after"; cap 24; cap 32 --max-count 20000; ms
echo "type $(cat /sys/bus/pci/devices/$D/iommu_group/type)"
dmesg | grep -i "dmabench\|iommu" | tail -8
