#!/bin/sh
# The guest side of results/multi-instance-vm (busybox sh), run by
#   scripts/vm-run --arch arm64 --smmu-instances 2 --devices 4 \
#       --out DIR --script results/multi-instance-vm/guest-script.sh
# after /init bound the 4 edu devices (2 behind each SMMUv3) to dmabench.
# Everything it writes under /results comes back to DIR.

# which edu device is behind which SMMUv3 instance
for d in /sys/bus/pci/devices/*; do
	[ "$(cat "$d/vendor")" = 0x1234 ] && [ "$(cat "$d/device")" = 0x11e8 ] || continue
	i=$(readlink "$d/iommu")
	echo "${d##*/} ${i##*/}"
done > /results/topology.txt
cat /results/topology.txt
dmabench list > /results/list.txt

# per-device vs per-instance over both instances: scope x flush x threads
# x size, 5 repetitions (scripts/jobs/per-device-vs-per-instance)
dmabench sweep /etc/dmabench/jobs/per-device-vs-per-instance -R /results -l smmuv3-2x2

# the same on one instance's two devices alone, for reference
one=$(awk 'NR == 1 { i = $2 } $2 == i { l = l (l ? "," : "") $1 } END { print l }' /results/topology.txt)
dmabench run --test iommu_map --device "$one" --scope per-device,per-instance \
	--flush strict,batch:32 --threads 1,2 --size 4K --seconds 1 \
	--format csv --output /results/one-instance.csv

# exhaust domains with a modelled context cap (a total over the 4 devices),
# then the emulated SMMUs' own limit (at most 256 domains)
for cap in 1 2 3 4; do
	dmabench exhaust domains --max-contexts $cap --format csv
done | awk 'NR == 1 || !/^what,/' > /results/exhaust-domains-modelled.csv
dmabench exhaust domains --max-count 256 --format csv > /results/exhaust-domains-real.csv
dmabench exhaust domains --max-contexts 2 > /results/exhaust-domains-cap2.txt 2>&1
# across the two instances one shared domain is refused (EXDEV)
dmabench verify --scope per-instance > /results/verify-per-instance-across.txt 2>&1
echo "verify --scope per-instance across the instances: exit $?" >> /results/verify-per-instance-across.txt
cat /results/exhaust-domains-modelled.csv /results/verify-per-instance-across.txt
