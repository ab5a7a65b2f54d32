# shellcheck shell=sh
# t-basic.sh: suite "basic": the edu devices the host attached, list and
# the devices file, verify, map_single on an edu and on dmabench.0, the four
# output formats (JSON checked by json_check, KTAP by ktap_check), abi_check.
# Second boot: list, the devices file and one map_single run under its
# domain type.

basic_needs_edu=0

basic_cases() {
	echo edu_devices
	echo list devices_file
	if [ "$SUITE" = mode ]; then
		echo "map_single_$domain"
		return
	fi
	echo verify map_single_edu map_single_direct
	echo format_json format_text format_csv format_ktap abi_check
}

basic_run() {
	if [ -z "$EXPECT_EDU" ]; then
		ktap_skip edu_devices "tests.sh was not told how many edu devices to expect"
	else
		check edu_devices "$([ "$NEDU" -eq "$EXPECT_EDU" ] ||
			echo "$NEDU edu devices (PCI 1234:11e8) in the guest, the host attached $EXPECT_EDU")"
	fi
	if [ -z "$EDUS" ]; then
		ktap_skip_rest "no edu device (PCI 1234:11e8) in this guest"
		return
	fi
	t_list
	if [ "$SUITE" = mode ]; then
		run_csv "map_single_$domain" 60 iommu "$domain" "1" \
			--device "$EDU1" --test map_single --size 4K --threads 1 --iterations 2000
		return
	fi
	t_verify
	t_map
	t_formats
	t_abi
}

t_list() {
	dmabench list > /tmp/t/list.out 2>&1
	rc=$?
	why=
	[ $rc -eq 0 ] || why="exit $rc: $(oneline /tmp/t/list.out)"
	for e in $EDUS; do
		[ -n "$why" ] && break
		line=$(grep -F "$e" /tmp/t/list.out | head -n 1)
		grp=$(readlink "/sys/bus/pci/devices/$e/iommu_group" 2>/dev/null)
		grp=${grp##*/}
		if [ -z "$line" ]; then why="$e not listed"
		elif ! has_field iommu "$line"; then why="$e not shown with dma_ops iommu: $line"
		elif [ -z "$grp" ]; then why="$e has no iommu_group in sysfs"
		elif ! has_field "$grp" "$line"; then why="$e: group $grp not shown: $line"
		elif ! has_field DMA "$line" && ! has_field DMA-FQ "$line"; then why="$e: no domain type shown: $line"
		elif [ -n "$domain" ] && ! has_field "$domain" "$line"; then
			why="$e: domain type $domain not shown: $line"
		fi
	done
	if [ -z "$why" ]; then
		line=$(grep -F dmabench.0 /tmp/t/list.out | head -n 1)
		if [ -z "$line" ]; then why="dmabench.0 not listed"
		elif ! has_field direct "$line"; then why="dmabench.0 not shown as direct: $line"
		fi
	fi
	check list "$why"

	# The module's own devices file: NAME BUS DMA_OPS DOMAIN COHERENT BITS EDU RUNNING
	why=
	for e in $EDUS; do
		# shellcheck disable=SC2046
		set -- $(grep "^$e " "$DEV")
		if [ $# -lt 8 ]; then why="$e: no 8-field line in $DEV"; break; fi
		[ "$2" = pci ] || why="$e: bus $2"
		[ "$3" = iommu ] || why="$e: dma_ops $3"
		[ -z "$domain" ] || [ "$4" = "$domain" ] || why="$e: domain $4, expected $domain"
		[ "$7" = yes ] || why="$e: edu $7"
		[ "$8" = no ] || why="$e: running $8"
		[ -n "$why" ] && break
	done
	# shellcheck disable=SC2046
	set -- $(grep "^dmabench.0 " "$DEV")
	if [ -z "$why" ]; then
		if [ $# -lt 8 ]; then why="dmabench.0: no 8-field line in $DEV"
		elif [ "$2" != platform ] || [ "$3" != direct ] || [ "$4" != none ]; then
			why="dmabench.0: $*"
		fi
	fi
	check devices_file "$why"
}

t_verify() {
	guard 60 dmabench verify --device all > /tmp/t/verify.out 2>&1
	rc=$?
	why=
	if [ $rc -ne 0 ]; then
		why="exit $rc: $(grep -iE 'fail|error|mismatch' /tmp/t/verify.out | head -n 1 | cut -c 1-200)"
	else
		for e in $EDUS; do
			grep -qF "$e" /tmp/t/verify.out || why="$e not in the output"
		done
	fi
	check verify "$why"
}

t_map() {
	run_csv map_single_edu 60 iommu "$domain" "1 2" \
		--device "$EDU1" --test map_single --size 4K --threads 1,2 --seconds 1
	run_csv map_single_direct 60 direct none "1 2" \
		--device dmabench.0 --test map_single --size 4K --threads 1,2 --seconds 1
}

# format_run FORMAT FILE: a map_single run on the first edu written with
# --format FORMAT to FILE; prints why when it failed
format_run() {
	guard 60 dmabench run --device "$EDU1" --test map_single --iterations 500 \
		--format "$1" --output "$2" > "/tmp/t/$1.out" 2>&1 ||
		echo "$1 run failed: $(oneline "/tmp/t/$1.out")"
}

t_formats() {
	why=$(format_run json /results/map.json)
	if [ -z "$why" ]; then
		# a real parser (tests/guest/json_check.c): RFC 8259 syntax, UTF-8,
		# unique member names, and the two top-level members
		if [ ! -x /usr/bin/json_check ]; then
			why="json_check is not in the initramfs (tests/guest/json_check not built)"
		elif ! json_check -u -m metadata -m rows < /results/map.json > /tmp/t/json_check.out 2>&1; then
			why="map.json: $(oneline /tmp/t/json_check.out)"
		fi
	fi
	check format_json "$why"
	why=$(format_run text /results/map.txt)
	if [ -z "$why" ]; then
		if [ ! -s /results/map.txt ]; then why="map.txt is empty"
		elif ! grep -q "^map " /results/map.txt || ! grep -q "^unmap " /results/map.txt; then
			why="map.txt has no map and unmap phase lines"
		elif ! grep -q "^NOTE: $DMABENCH_PLATFORM platform: these are emulation timings" /results/map.txt; then
			why="map.txt does not label its timings as $DMABENCH_PLATFORM emulation timings"
		fi
	fi
	check format_text "$why"
	why=$(format_run csv /results/map_out.csv)
	[ -n "$why" ] || why=$(csv_check /results/map_out.csv iommu "$domain" 1 "done")
	check format_csv "$why"
	check format_ktap "$(ktap_runs)"
}

# ktap_runs: --format ktap for real, checked by tests/guest/ktap_check (the
# same strict checker as make check's): one configuration (flat), several
# (nested), and --coherency noncoherent, which x86 cannot force (a SKIP);
# prints why when one failed
ktap_runs() {
	if [ ! -x /usr/bin/ktap_check ]; then
		echo "ktap_check is not in the initramfs (tests/guest/ktap_check not built)"
		return
	fi
	why=$(format_run ktap /results/map.ktap)
	[ -n "$why" ] && { echo "$why"; return; }
	if ! ktap_check -a /results/map.ktap > /tmp/t/ktap_check.out 2>&1; then
		echo "map.ktap: $(oneline /tmp/t/ktap_check.out)"
	elif ! grep -q "^ok 1 map\$" /results/map.ktap || ! grep -q "^ok 2 unmap\$" /results/map.ktap; then
		echo "map.ktap has no ok lines of the map and unmap phases"
	elif ! grep -q "^# map: ops=[1-9]" /results/map.ktap; then
		echo "map.ktap has no numbers of the map phase"
	elif ! grep -q "^# the timings are emulation numbers ($DMABENCH_PLATFORM)" /results/map.ktap; then
		echo "map.ktap does not label its timings as $DMABENCH_PLATFORM emulation numbers"
	elif ! guard 120 dmabench run --device "$EDU1" --test map_single,map_sg --size 4K,8K \
		--coherency noncoherent,device --iterations 200 --format ktap \
		--output /results/map2.ktap > /tmp/t/ktap2.out 2>&1; then
		echo "nested ktap run failed: $(oneline /tmp/t/ktap2.out)"
	elif ! ktap_check -a /results/map2.ktap > /tmp/t/ktap_check.out 2>&1; then
		echo "map2.ktap: $(oneline /tmp/t/ktap_check.out)"
	elif ! grep -q "^1\.\.8\$" /results/map2.ktap || ! grep -q "^  # Subtest: map_sg " /results/map2.ktap; then
		echo "map2.ktap is not 8 configurations with their phases nested"
	elif [ "$(uname -m)" = x86_64 ] && ! grep -q "^ok [0-9]* map_single .*coherency=noncoherent # SKIP " /results/map2.ktap; then
		echo "map2.ktap: --coherency noncoherent on x86_64 is no SKIP"
	fi
}

# t_abi: abi_check's results as the subtests of case abi_check, plus its
# exit status
t_abi() {
	if [ ! -x /usr/bin/abi_check ]; then
		ktap_fail abi_check "abi_check is not in the initramfs (tests/guest/abi_check not built)"
		return
	fi
	guard 60 abi_check > /tmp/t/abi.out 2>&1
	rc=$?
	while IFS= read -r l; do
		case "$l" in
		# names may contain ": " (e.g. "run: bad version"): shown as "/"
		"PASS "*) echo "PASS $(echo "${l#PASS }" | sed 's/: /\//g; s/ /_/g')" ;;
		"FAIL "*) l=${l#FAIL }
			echo "FAIL $(echo "${l%: *}" | sed 's/: /\//g; s/ /_/g'): ${l##*: }" ;;
		"NOTE "*) echo "$l" ;;
		esac
	done < /tmp/t/abi.out > /tmp/t/abi.res
	if [ $rc -ne 0 ]; then echo "FAIL exit_status: exit $rc"
	elif ! grep -q '^PASS ' /tmp/t/abi.out; then echo "FAIL exit_status: printed no PASS line"
	else echo "PASS exit_status"
	fi >> /tmp/t/abi.res
	ktap_subtests abi_check /tmp/t/abi.res
}
