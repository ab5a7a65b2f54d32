# dmabench guest script (scripts/vm-run --script): the headline
# shape, map_single with 256 mappings outstanding per mapper, 2 mapper and
# 2 unmapper threads, the 4K:70,64K:25,1M:5 size mix, between two IOVA
# capacity probes at 24 bits (as the guest suite's
# shapes_leave_iova_capacity): equal counts = every mapping made was
# unmapped.  Needs --smp 4 (4 threads) and --mem 3G (4 x 256 slots of
# the mix's largest size, 1 MiB, must fit in half the RAM).
dev=0000:00:03.0
cap() {
	dmabench exhaust iova --device "$dev" --mask-bits 24 --format csv \
		2>> /results/exhaust.err |
		awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
			 { print $c["count"]; exit }'
}
grep . /sys/kernel/iommu_groups/*/type > /results/group-types.txt
c1=$(cap)
dmabench run -d "$dev" -t map_single --depth 256 --pairs 2:2 \
	--size-mix 4K:70,64K:25,1M:5 --seconds 5 -f csv \
	-o /results/headline.csv 2> /results/headline.err
rc=$?
c2=$(cap)
printf 'exhaust iova --mask-bits 24: %s before, %s after (run exit %s)\n' \
	"$c1" "$c2" "$rc" | tee /results/capacity.txt
[ "$rc" -eq 0 ] && [ -n "$c1" ] && [ "$c1" = "$c2" ]
