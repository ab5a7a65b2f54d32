#!/bin/sh
# sweep-jobs.sh DEVICE REPEAT SUFFIX JOB...: the guest side of scripts/vm-sweep
# (run by vm-run --script): `dmabench sweep /etc/dmabench/jobs/JOB` for each
# JOB on DEVICE ("auto": the first edu device), results in
# /results/JOB-SUFFIX/ (they come back to the host).  REPEAT overrides the
# job files' repeat ("" keeps it).  Exits 1 when any sweep failed.
dev=$1 repeat=$2 suffix=$3
shift 3
if [ "$dev" = auto ]; then
	dev=
	for d in /sys/bus/pci/devices/*; do
		[ "$(cat "$d/vendor" 2>/dev/null)" = 0x1234 ] || continue
		[ "$(cat "$d/device" 2>/dev/null)" = 0x11e8 ] || continue
		dev=${d##*/}
		break
	done
	[ -n "$dev" ] || { echo "sweep-jobs: no edu device in this guest"; exit 1; }
fi
status=0
for job in "$@"; do
	echo "sweep-jobs: $job on $dev${repeat:+, repeat $repeat}"
	# shellcheck disable=SC2086  # ${repeat:+...} is two words or none
	dmabench sweep "/etc/dmabench/jobs/$job" -D "DEVICE=$dev" -R /results \
		-l "$job-$suffix" ${repeat:+-r "$repeat"} || status=1
done
exit "$status"
