# dmabench guest script (scripts/vm-run --script): the rx-ring job file
# (2 mappers hand MTU-size handles to 2 unmappers, 256 outstanding per
# mapper, against 4 threads each unmapping their own) on the first edu
# device, as a sweep into /results/rx-ring.  Needs --smp 4.
grep . /sys/kernel/iommu_groups/*/type > /results/group-types.txt
DEVICE=0000:00:03.0 dmabench sweep /etc/dmabench/jobs/rx-ring \
	-R /results -l rx-ring
