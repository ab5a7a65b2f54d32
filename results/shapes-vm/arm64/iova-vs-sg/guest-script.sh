# dmabench guest script (scripts/vm-run --script): the iova-vs-sg job
# (map_sg against the two-step API iova_link, 1..256 scattered 4K
# entries, 5 x 1 s) on the first edu device.
dev=
for d in /sys/bus/pci/devices/*; do
	[ "$(cat "$d/vendor")" = 0x1234 ] && [ "$(cat "$d/device")" = 0x11e8 ] &&
		{ dev=${d##*/}; break; }
done
grep . /sys/kernel/iommu_groups/*/type > /results/iommu-group-types.txt
dmabench list > /results/list.txt 2>&1
DEVICE=$dev dmabench sweep /etc/dmabench/jobs/iova-vs-sg -R /results \
	-l iova-vs-sg || echo "iova-vs-sg failed: $?"
