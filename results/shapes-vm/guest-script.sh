# dmabench guest script (scripts/vm-run --script): an aging run, a
# footprint comparison and the shape on the first edu device.
dev=0000:00:03.0
dmabench run -d "$dev" -t map_single --depth 256 --pairs 2:2 \
	--size-mix 4K:70,64K:25,1M:5 --seconds 5 -f csv \
	-o /results/shape.csv || echo "shape run failed: $?"
dmabench run -d "$dev" -t map_single --depth 256 --pairs 2:2 \
	--size-mix 4K:70,64K:25,1M:5 --seconds 5 > /results/shape.txt 2>&1
dmabench run -d "$dev" -t map_single,alloc --size-mix 64K:50,128K:25,256K:15,1M:10 \
	--depth 32 --order random --seed 1 --seconds 5 -f csv \
	-o /results/storage-queue.csv || echo "storage-queue failed: $?"
for fp in 0 1G; do
	printf '[global]\ndevice = %s\ntest = map_single\nsize = 4K\nseconds = 2\nrepeat = 3\nfootprint = %s\n[footprint-%s]\n' \
		"$dev" "$fp" "$fp" > /tmp/fp.job
	dmabench sweep /tmp/fp.job -R /results -l "footprint-$fp" ||
		echo "footprint $fp failed: $?"
done
dmabench run -d "$dev" -t map_single -s 4K -T 2 --seconds 120 \
	--interval 10 -f csv -o /results/aging.csv || echo "aging failed: $?"
