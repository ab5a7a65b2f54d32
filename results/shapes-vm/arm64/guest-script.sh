# dmabench guest script (scripts/vm-run --script) for arm64 SMMUv3: the
# issue's shape (--depth 256 --pairs 2:2 --size-mix 4K:70,64K:25,1M:5)
# between two exhausts at a 24-bit mask (same capacity = nothing left
# mapped).  Argument "footprint": then map_single 4K sweeps with
# --footprint 0 and 1G (one job section name, so the two differ only in
# the footprint: compare --ignore footprint pairs them); "footprint-
# reversed": only those sweeps, 1G first (the order control); "footprint-
# long": only those sweeps, 0 first, 8 repetitions each.
dev=
for d in /sys/bus/pci/devices/*; do
	[ "$(cat "$d/vendor")" = 0x1234 ] && [ "$(cat "$d/device")" = 0x11e8 ] &&
		{ dev=${d##*/}; break; }
done
echo "edu device: $dev"
grep . /sys/kernel/iommu_groups/*/type > /results/iommu-group-types.txt
cap() {
	dmabench exhaust iova --device "$dev" --mask-bits 24 --format csv \
		> "/results/exhaust-24bit-$1.csv" || echo "exhaust $1 failed: $?"
}
reps=3
case "$1" in
footprint) fps="0 1G" ;;
footprint-reversed) fps="1G 0" ;;
footprint-long) fps="0 1G" reps=8 ;;
*) fps= ;;
esac
if [ "$1" = "" ] || [ "$1" = footprint ]; then
	cap before
	dmabench run -d "$dev" -t map_single --depth 256 --pairs 2:2 \
		--size-mix 4K:70,64K:25,1M:5 --seconds 5 -f csv \
		-o /results/shape.csv || echo "shape run failed: $?"
	cap after
fi
for fp in $fps; do
	printf '[global]\ndevice = %s\ntest = map_single\nsize = 4K\nseconds = 2\nrepeat = %s\nfootprint = %s\n[map_single-4K]\n' \
		"$dev" "$reps" "$fp" > /tmp/fp.job
	dmabench sweep /tmp/fp.job -R /results -l "footprint-$fp" ||
		echo "footprint $fp failed: $?"
done
