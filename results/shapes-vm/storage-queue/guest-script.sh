# dmabench guest script (scripts/vm-run --script): the storage-queue run
# of ../guest-script.sh alone (map_single and alloc, 32 outstanding per
# thread unmapped in random order, the 64K..1M mix), to boot once per
# domain type (--iommu-strict 0 and 1) with the same guest.
grep . /sys/kernel/iommu_groups/*/type > /results/group-types.txt
dmabench run -d 0000:00:03.0 -t map_single,alloc \
	--size-mix 64K:50,128K:25,256K:15,1M:10 --depth 32 --order random \
	--seed 1 --seconds 5 -f csv -o /results/storage-queue.csv
