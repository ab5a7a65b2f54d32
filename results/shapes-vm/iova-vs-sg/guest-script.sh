# dmabench guest script (scripts/vm-run --script): the iova-vs-sg job
# file (map_sg against the two-step DMA API, iova_link, for the same
# scattered 4K pages, nents 1 to 256) on the first edu device, as a sweep
# into /results/iova-vs-sg.  Needs a kernel with dma_iova_link (after
# 6.12: --kernel latest).
grep . /sys/kernel/iommu_groups/*/type > /results/group-types.txt
dmabench list > /results/list.txt 2>&1
DEVICE=0000:00:03.0 dmabench sweep /etc/dmabench/jobs/iova-vs-sg \
	-R /results -l iova-vs-sg
