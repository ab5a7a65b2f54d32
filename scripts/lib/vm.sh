# shellcheck shell=bash
# shellcheck disable=SC2054,SC2034  # qemu options have commas; VM_* are results for the caller
# scripts/lib/vm.sh: the QEMU test bed's shared functions, sourced by
# scripts/vm-run and scripts/vm-test (bash).  Nothing here runs on its own.
#
# Layout of the cache ($DMABENCH_CACHE, default /var/cache/dmabench):
#   kernel-<arch>-<series>/   scripts/fetch-kernel's kernels and headers
#   sysroot-arm64/            arm64 busybox-static + libnuma (dpkg-deb -x)
#   build-<arch>-<series>/    out-of-tree autotools build (module + static bench)
#
# DMABENCH_PREBUILT=DIR skips the build: DIR must hold kmod/dmabench.ko,
# bench/dmabench and (optionally) tests/guest/abi_check and iommu_check for
# the right arch.
# DMABENCH_BUILD=DIR builds in DIR instead of the cache's build-ARCH-SERIES.

VM_SCRIPTS=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VM_SRCDIR=$(cd "$VM_SCRIPTS/.." && pwd)
DMABENCH_CACHE=${DMABENCH_CACHE:-/var/cache/dmabench}
VM_PROG=${VM_PROG:-vm}

vm_die() { echo "$VM_PROG: $*" >&2; exit 1; }
vm_log() { echo "$VM_PROG: $*" >&2; }

# vm_arch_norm NAME: prints x86_64 or arm64, or dies.
vm_arch_norm() {
	case "$1" in
	x86_64|amd64) echo x86_64 ;;
	arm64|aarch64) echo arm64 ;;
	*) echo "$VM_PROG: --arch must be x86_64 or arm64, not '$1'" >&2; return 2 ;;
	esac
}

# vm_need_host_tools ARCH: install what the test bed needs (root), or print
# the apt-get line to run and exit 1.
vm_need_host_tools() {
	local arch=$1 missing=() p
	local -a pairs=(
		cpio:cpio gzip:gzip base64:coreutils timeout:coreutils
		flock:util-linux tar:tar
		autoreconf:autoconf automake:automake make:make gcc:gcc
		pkg-config:pkg-config dpkg-deb:dpkg apt-get:apt pahole:dwarves
	)
	[ "$arch" = arm64 ] && pairs+=(qemu-system-aarch64:qemu-system-arm
		aarch64-linux-gnu-gcc:gcc-aarch64-linux-gnu)
	[ "$arch" = x86_64 ] && pairs+=(qemu-system-x86_64:qemu-system-x86)
	for p in "${pairs[@]}"; do
		command -v "${p%%:*}" >/dev/null 2>&1 || missing+=("${p#*:}")
	done
	# The host busybox must be the static one: it is copied into the guest.
	dpkg-query -W -f='${Status}\n' busybox-static 2>/dev/null | grep -q 'ok installed' ||
		missing+=(busybox-static)
	# Static links need the C libraries (only Recommends of the compilers).
	[ -f /usr/lib/x86_64-linux-gnu/libc.a ] || missing+=(libc6-dev)
	[ "$arch" = arm64 ] && [ ! -f /usr/aarch64-linux-gnu/lib/libc.a ] &&
		missing+=(libc6-dev-arm64-cross)
	if [ "$arch" = x86_64 ]; then
		[ -f /usr/include/numa.h ] && [ -n "$(ls /usr/lib/*/libnuma.a 2>/dev/null)" ] ||
			missing+=(libnuma-dev)
	fi
	[ ${#missing[@]} -eq 0 ] && return 0
	# Unique, in order.
	mapfile -t missing < <(printf '%s\n' "${missing[@]}" | awk '!seen[$0]++')
	if [ "$(id -u)" != 0 ]; then
		echo "$VM_PROG: missing host packages; run as root:" >&2
		echo "  apt-get install ${missing[*]}" >&2
		exit 1
	fi
	vm_log "installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	if ! apt-get install -y -q --no-install-recommends "${missing[@]}" >&2; then
		apt-get update -q >&2 || vm_die "apt-get update failed"
		apt-get install -y -q --no-install-recommends "${missing[@]}" >&2 ||
			vm_die "apt-get install ${missing[*]} failed"
	fi
}

# vm_sysroot_arm64: prints the arm64 sysroot (busybox-static:arm64,
# libnuma-dev:arm64, libnuma1:arm64 unpacked, not installed).
vm_sysroot_arm64() {
	local dir=$DMABENCH_CACHE/sysroot-arm64 deb
	if [ -f "$dir/.complete" ]; then
		echo "$dir"
		return 0
	fi
	[ "$(id -u)" = 0 ] || [ -w "$DMABENCH_CACHE" ] ||
		vm_die "run as root once (to fill $dir), or set DMABENCH_CACHE to a writable directory"
	if ! dpkg --print-foreign-architectures | grep -qx arm64; then
		[ "$(id -u)" = 0 ] || vm_die "run 'dpkg --add-architecture arm64 && apt-get update' as root"
		dpkg --add-architecture arm64
		apt-get update -q >&2 || vm_die "apt-get update failed"
	fi
	rm -rf "$dir"
	mkdir -p "$dir/debs"
	(cd "$dir/debs" &&
		apt-get download -q -o APT::Sandbox::User=root busybox-static:arm64 libnuma-dev:arm64 libnuma1:arm64 >&2 ||
		{ apt-get update -q >&2 &&
		  apt-get download -q -o APT::Sandbox::User=root busybox-static:arm64 libnuma-dev:arm64 libnuma1:arm64 >&2; }) ||
		vm_die "apt-get download of the arm64 busybox/libnuma failed"
	for deb in "$dir"/debs/*.deb; do
		dpkg-deb -x "$deb" "$dir" || vm_die "dpkg-deb -x $deb failed"
	done
	rm -rf "$dir/debs"
	[ -x "$dir/bin/busybox" ] || vm_die "no bin/busybox in $dir"
	touch "$dir/.complete"
	echo "$dir"
}

# vm_kernel ARCH SERIES: prints fetch-kernel's directory.
vm_kernel() {
	local dir
	dir=$("$VM_SCRIPTS/fetch-kernel" --arch "$1" --kernel "$2") ||
		vm_die "scripts/fetch-kernel --arch $1 --kernel $2 failed"
	[ -f "$dir/vmlinuz" ] || vm_die "no vmlinuz in $dir"
	echo "$dir"
}

# vm_build ARCH SERIES KDIR: configure (when needed) and make dmabench in
# $DMABENCH_CACHE/build-ARCH-SERIES; prints the build dir.  Call it as
# $(vm_build ...): it locks the build dir (one build at a time) until its
# subshell ends.
vm_build() {
	local arch=$1 series=$2 kdir=$3 b sysroot stale
	local -a args
	if [ -n "${DMABENCH_PREBUILT:-}" ]; then
		echo "$DMABENCH_PREBUILT"
		return 0
	fi
	[ -f "$VM_SRCDIR/configure.ac" ] || vm_die "no configure.ac in $VM_SRCDIR"
	# One build directory per source tree, so two checkouts never share objects.
	b=${DMABENCH_BUILD:-$DMABENCH_CACHE/build-$arch-$series-$(printf %s "$VM_SRCDIR" | md5sum | cut -c1-8)}
	mkdir -p "$b" "$DMABENCH_CACHE" || vm_die "cannot create $b"
	if ! { exec 8>"$b/.vm-build.lock" && flock 8; }; then vm_die "cannot lock $b"; fi
	# autoreconf writes into the source tree: one at a time.
	(
		flock 9
		stale=
		if [ ! -x "$VM_SRCDIR/configure" ]; then
			stale=1
		elif [ -n "$(find "$VM_SRCDIR" -path "$VM_SRCDIR/.git" -prune -o \
			\( -name configure.ac -o -name Makefile.am -o -name '*.m4' \) \
			-newer "$VM_SRCDIR/configure" -print 2>/dev/null |
			grep -v '/aclocal.m4$' | head -n 1)" ]; then
			stale=1
		fi
		if [ -n "$stale" ]; then
			vm_log "autoreconf -fi in $VM_SRCDIR"
			(cd "$VM_SRCDIR" && autoreconf -fi) >&2 || exit 1
		fi
	) 9>"$DMABENCH_CACHE/.autoreconf.lock" || vm_die "autoreconf -fi failed"

	args=(--with-linux="$kdir/build")
	if [ "$arch" = arm64 ]; then
		sysroot=$(vm_sysroot_arm64) || exit 1
		args+=(--host=aarch64-linux-gnu "CPPFLAGS=-I$sysroot/usr/include"
			"LDFLAGS=-static -L$sysroot/usr/lib/aarch64-linux-gnu")
	else
		args+=("LDFLAGS=-static")
	fi
	if [ ! -f "$b/config.status" ] || [ "$VM_SRCDIR/configure" -nt "$b/config.status" ] ||
		[ "$(cat "$b/.vm-configure-args" 2>/dev/null)" != "$VM_SRCDIR ${args[*]}" ]; then
		vm_log "configuring $b: ${args[*]}"
		(cd "$b" && "$VM_SRCDIR/configure" "${args[@]}") > "$b/.vm-configure.log" 2>&1 || {
			tail -n 30 "$b/.vm-configure.log" >&2
			vm_die "configure failed (log: $b/.vm-configure.log, config.log)"
		}
		printf '%s' "$VM_SRCDIR ${args[*]}" > "$b/.vm-configure-args"
	elif [ "$VM_SRCDIR/kmod/Kbuild.in" -nt "$b/kmod/Kbuild" ]; then
		# Kbuild is a configure output that automake does not track
		(cd "$b" && ./config.status kmod/Kbuild) > /dev/null ||
			vm_die "config.status kmod/Kbuild failed in $b"
	fi
	vm_log "make in $b"
	make -C "$b" -j"$(nproc)" > "$b/.vm-make.log" 2>&1 || {
		tail -n 40 "$b/.vm-make.log" >&2
		vm_die "make failed (log: $b/.vm-make.log)"
	}
	[ -f "$b/kmod/dmabench.ko" ] || vm_die "make did not produce $b/kmod/dmabench.ko"
	[ -x "$b/bench/dmabench" ] || vm_die "make did not produce $b/bench/dmabench"
	echo "$b"
}

# vm_busybox ARCH: prints the static busybox for ARCH.
vm_busybox() {
	local s
	if [ "$1" = arm64 ]; then
		s=$(vm_sysroot_arm64) || return 1
		echo "$s/bin/busybox"
	else
		echo /bin/busybox
	fi
}

# vm_quote ARGS...: one line of shell words that a POSIX sh reads back as ARGS.
vm_quote() {
	local a q="'\\''" out=
	for a in "$@"; do
		out+="'${a//\'/$q}' "
	done
	printf '%s\n' "$out"
}

# vm_initramfs ARCH BUILD OUT MODE [ARGS...]: writes the gzip'd cpio to OUT.
#   MODE run:  the guest runs "dmabench ARGS..."
#   MODE test: the guest runs "sh /guest/tests.sh ARGS..."
#   MODE script: the guest runs "sh /guest/user-script ARGS...", a copy of
#              the host file $VM_SCRIPT_FILE (vm-run --script)
vm_initramfs() {
	local arch=$1 b=$2 out=$3 mode=$4 stage bb f
	shift 4
	bb=$(vm_busybox "$arch") || exit 1
	stage=$(mktemp -d "${TMPDIR:-/tmp}/dmabench-initramfs.XXXXXX")
	mkdir -p "$stage"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,tmp,results,etc/dmabench,lib/dmabench,guest}
	cp "$bb" "$stage/bin/busybox"
	# Applet links (the arm64 package has the same version and applets).
	/bin/busybox --list-full | while read -r f; do
		[ "$f" = bin/busybox ] || ln -sf /bin/busybox "$stage/$f"
	done
	cp "$b/kmod/dmabench.ko" "$stage/lib/dmabench/"
	cp "$b/bench/dmabench" "$stage/usr/bin/dmabench"
	if [ -f "$b/tests/guest/abi_check" ]; then
		cp "$b/tests/guest/abi_check" "$stage/usr/bin/abi_check"
	fi
	if [ -f "$b/tests/guest/iommu_check" ]; then
		cp "$b/tests/guest/iommu_check" "$stage/usr/bin/iommu_check"
	fi
	if [ -f "$b/tests/guest/mapbench_check" ]; then
		cp "$b/tests/guest/mapbench_check" "$stage/usr/bin/mapbench_check"
	fi
	# the kernel's own dma_map_benchmark tools (scripts/fetch-mapbench-tool)
	for f in "$DMABENCH_CACHE/mapbench-tool/$arch"/dma_map_benchmark-*; do
		[ -f "$f" ] && cp "$f" "$stage/usr/bin/"
	done
	cp "$VM_SCRIPTS"/guest/* "$stage/guest/"
	# Job files for `dmabench sweep /etc/dmabench/jobs/NAME` in the guest.
	mkdir -p "$stage/etc/dmabench" && cp -r "$VM_SCRIPTS"/jobs "$stage/etc/dmabench/jobs"
	mv "$stage/guest/init" "$stage/init"
	if [ "$mode" = script ]; then
		cp "$VM_SCRIPT_FILE" "$stage/guest/user-script" ||
			{ rm -rf "$stage"; vm_die "cannot copy the script $VM_SCRIPT_FILE"; }
	fi
	chmod 755 "$stage/init" "$stage"/guest/*
	{
		echo "MODE=$mode"
		echo "ARCH=$arch"
	} > "$stage/etc/dmabench/config"
	{ printf 'set -- '; vm_quote "$@"; } > "$stage/etc/dmabench/args"
	if [ "$(id -u)" = 0 ]; then
		mknod -m 600 "$stage/dev/console" c 5 1
		mknod -m 666 "$stage/dev/null" c 1 3
	fi
	(cd "$stage" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet | gzip -1) > "$out" ||
		{ rm -rf "$stage"; vm_die "making the initramfs failed"; }
	rm -rf "$stage"
}

# vm_boot ARCH KDIR INITRD OUTDIR STRICT SMP MEM DEVICES TIMEOUT
# Boots the guest, streams its user-space output (kernel lines and the
# transfer block left out) to stdout, keeps the whole console in
# OUTDIR/console.log, unpacks the guest's /results into OUTDIR and its dmesg
# into OUTDIR/guest-dmesg.log.  Sets VM_STATUS (the guest's exit status, empty
# when there is no DMABENCH-EXIT marker), VM_TIMEDOUT (1/0) and VM_SECONDS.
# VM_APPEND: more kernel command-line parameters.
# VM_START_RE (extended regex) and VM_START_TIMEOUT (seconds, default 120):
# when the console has no line matching VM_START_RE by then, the guest is
# taken as hung while booting and stopped (VM_TIMEDOUT=1, VM_START_HUNG=1).
vm_boot() {
	local arch=$1 kdir=$2 initrd=$3 out=$4 strict=$5 smp=$6 mem=$7 ndev=$8 tmo=$9
	local -a qemu
	local append i rc t0 xfer
	append="printk.time=1 panic=-1"
	case "$arch" in
	x86_64)
		qemu=(qemu-system-x86_64 -M q35,kernel-irqchip=split
			-device intel-iommu,intremap=on)
		append="console=ttyS0 intel_iommu=on $append"
		;;
	arm64)
		qemu=(qemu-system-aarch64 -M virt,iommu=smmuv3,gic-version=3)
		append="console=ttyAMA0 $append"
		;;
	esac
	[ -n "$strict" ] && append+=" iommu.strict=$strict"
	[ -n "${VM_APPEND:-}" ] && append+=" $VM_APPEND"
	rm -f "$out/qemu.pid" "$out/.start-hung"
	qemu+=(-accel tcg,thread=multi -cpu max -smp "$smp" -m "$mem" -nic none
		-pidfile "$out/qemu.pid"
		-no-reboot -nographic -kernel "$kdir/vmlinuz" -initrd "$initrd"
		-append "$append")
	# The edu clamps DMA addresses to its dma_mask (QEMU's default 28 bits);
	# 40 bits let it work without translation too (--domain identity: the
	# arm64 virt machine's RAM starts at 1 GiB).  /init loads the module
	# with edu_dma_bits=40 to match.
	for ((i = 0; i < ndev; i++)); do
		qemu+=(-device edu,dma_mask=0xffffffffff)
	done
	mkdir -p "$out"
	printf '%q ' "${qemu[@]}" > "$out/qemu-cmdline"
	echo >> "$out/qemu-cmdline"
	t0=$(date +%s)
	local watcher=
	if [ -n "${VM_START_RE:-}" ]; then
		# Polls once a second and ends as soon as the guest has started:
		# a long sleep here would outlive the guest and keep every fd
		# it inherited (e.g. the flock of /tmp/dmabench-vm.lock) open.
		(
			i=0
			while [ "$i" -lt "${VM_START_TIMEOUT:-120}" ]; do
				sleep 1
				i=$((i + 1))
				grep -qE "$VM_START_RE" "$out/console.log" 2>/dev/null && exit 0
			done
			# (no pipe held open: stdio is /dev/null)
			touch "$out/.start-hung"
			kill "$(cat "$out/qemu.pid" 2>/dev/null)" 2>/dev/null
		) < /dev/null > /dev/null 2>&1 &
		watcher=$!
	fi
	timeout --foreground -k 10 "$tmo" "${qemu[@]}" < /dev/null 2> "$out/qemu.stderr" |
		awk -v logf="$out/console.log" -v pfx="${VM_PREFIX:-}" '
			{ sub(/\r+$/, ""); gsub(/\r/, ""); print > logf; fflush(logf) }
			/^DMABENCH-BEGIN$/ { on = 1; next }
			/^DMABENCH-XFER-BEGIN$/ { xfer = 1; next }
			/^DMABENCH-XFER-END$/ { xfer = 0; next }
			/^DMABENCH-EXIT=/ { on = 0; next }
			!on || xfer { next }
			/^\[ *[0-9]+\.[0-9]+\]/ { next }
			{ print pfx $0; fflush() }'
	rc=${PIPESTATUS[0]}
	if [ -n "$watcher" ]; then
		kill "$watcher" 2>/dev/null
		wait "$watcher" 2>/dev/null
	fi
	VM_START_HUNG=0
	if [ -f "$out/.start-hung" ]; then
		VM_START_HUNG=1
		rm -f "$out/.start-hung"
	fi
	VM_SECONDS=$(($(date +%s) - t0))
	VM_TIMEDOUT=0
	[ "$rc" = 124 ] || [ "$rc" = 137 ] && VM_TIMEDOUT=1
	[ "$VM_START_HUNG" = 1 ] && VM_TIMEDOUT=1
	VM_QEMU_RC=$rc
	VM_STATUS=$(sed -n 's/^DMABENCH-EXIT=\([0-9][0-9]*\)$/\1/p' "$out/console.log" | tail -n 1)
	# The transfer block: base64 of a gzip'd tar of /results + dmesg.log.
	xfer=$(mktemp -d "${TMPDIR:-/tmp}/dmabench-xfer.XXXXXX")
	if grep -q '^DMABENCH-XFER-END$' "$out/console.log"; then
		sed -n '/^DMABENCH-XFER-BEGIN$/,/^DMABENCH-XFER-END$/p' "$out/console.log" |
			grep -E '^[A-Za-z0-9+/=]+$' | base64 -d 2>/dev/null |
			tar -xzf - -C "$xfer" 2>/dev/null || vm_log "the guest's results did not unpack"
		if [ -d "$xfer/results" ]; then
			cp -a "$xfer/results/." "$out/"
		fi
		[ -f "$xfer/dmesg.log" ] && cp "$xfer/dmesg.log" "$out/guest-dmesg.log"
	fi
	rm -rf "$xfer"
	return 0
}

# Kernel lines that mean something went wrong.  Only lines with a printk
# time stamp are looked at, so the bench's own output cannot trip it.
VM_BAD_RE='Kernel panic|Oops|BUG:|WARNING:|soft lockup|hard LOCKUP|rcu.*(stall|detected stalls)|blocked for more than [0-9]+ seconds|KASAN|UBSAN|kmemleak|Call Trace|Call trace:|general protection fault|Unable to handle kernel|Internal error:|list_add corruption|list_del corruption|refcount_t:|Attempted to kill init'

# vm_check_log OUTDIR: 0 when the guest's kernel log is clean; otherwise
# prints the offending lines (with the lines after each) and returns 1.
vm_check_log() {
	local out=$1 f bad=0 hits
	# The guest's dmesg is complete up to the end; the console is all there
	# is when the guest did not get that far.
	f=$out/guest-dmesg.log
	[ -f "$f" ] || f=$out/console.log
	{
		hits=$(grep -nE '^\[ *[0-9]+\.[0-9]+\]' "$f" | grep -E "$VM_BAD_RE" | head -n 20)
		if [ -n "$hits" ]; then
			bad=1
			echo "$VM_PROG: the guest kernel reported problems (${f##*/}):" >&2
			printf '%s\n' "$hits" | sed 's/^/    /' >&2
		fi
	}
	return $bad
}

# vm_check_run OUTDIR: vm_check_log plus the exit marker and the time-out.
vm_check_run() {
	local out=$1 bad=0
	vm_check_log "$out" || bad=1
	if [ "${VM_START_HUNG:-0}" = 1 ]; then
		echo "$VM_PROG: the guest hung while booting (no '$VM_START_RE' line within ${VM_START_TIMEOUT:-120}s); last console lines:" >&2
		tail -n 15 "$out/console.log" | sed 's/^/    /' >&2
		bad=1
	elif [ "$VM_TIMEDOUT" = 1 ]; then
		echo "$VM_PROG: the guest timed out (wall clock); last console lines:" >&2
		tail -n 15 "$out/console.log" | sed 's/^/    /' >&2
		bad=1
	elif [ -z "$VM_STATUS" ]; then
		echo "$VM_PROG: the guest printed no DMABENCH-EXIT marker (qemu exit $VM_QEMU_RC); last console lines:" >&2
		tail -n 15 "$out/console.log" | sed 's/^/    /' >&2
		bad=1
	fi
	return $bad
}
