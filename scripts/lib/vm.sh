# shellcheck shell=bash
# shellcheck disable=SC2054,SC2034,SC2016  # qemu options have commas; VM_* are results for the caller; sh -c scripts are literal
# scripts/lib/vm.sh: the QEMU test bed's shared functions, sourced by
# scripts/vm-run and scripts/vm-test (bash).  Nothing here runs on its own.
#
# Layout of the cache ($DMABENCH_CACHE, default /var/cache/dmabench):
#   kernel-<arch>-<series>/   scripts/fetch-kernel's kernels and headers
#   sysroot-arm64/            arm64 busybox-static + libnuma (dpkg-deb -x)
#   build-<arch>-<series>/    out-of-tree autotools build (module + static bench)
#
# DMABENCH_PREBUILT=DIR skips the build: DIR must hold kmod/dmabench.ko,
# bench/dmabench and (optionally) tests/guest/abi_check, iommu_check,
# json_check, mapbench_check and ktap_check for the right arch.
# DMABENCH_BUILD=DIR builds in DIR instead of the cache's build-ARCH-SERIES.

VM_SCRIPTS=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VM_SRCDIR=$(cd "$VM_SCRIPTS/.." && pwd)
DMABENCH_CACHE=${DMABENCH_CACHE:-/var/cache/dmabench}
VM_PROG=${VM_PROG:-vm}
# shellcheck source=chroot.sh
. "$VM_SCRIPTS/lib/chroot.sh"

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

# vm_series_check PROG SERIES: 0 when SERIES is a kernel the test bed knows.
vm_series_check() {
	case "$2" in
	5.10|6.1|6.12|latest) return 0 ;;
	*) echo "$1: --kernel must be 5.10, 6.1, 6.12 or latest, not '$2' (your own build: --kernel-image PATH --kernel-build DIR)" >&2
	   return 2 ;;
	esac
}

# What a kernel needs for the test bed: the IOMMU driver QEMU emulates,
# PCI for the edu devices, debugfs (the module's interface), an initramfs
# and a serial console, modules.  IOMMU_IOVA may be a module.
VM_NEED_CONFIG_common="CONFIG_MODULES CONFIG_PCI CONFIG_IOMMU_API CONFIG_IOMMU_DMA CONFIG_DEBUG_FS CONFIG_BLK_DEV_INITRD CONFIG_RD_GZIP CONFIG_DEVTMPFS CONFIG_PROC_FS CONFIG_SYSFS"
VM_NEED_CONFIG_x86_64="CONFIG_INTEL_IOMMU CONFIG_IRQ_REMAP CONFIG_PCI_MSI CONFIG_SERIAL_8250 CONFIG_SERIAL_8250_CONSOLE"
VM_NEED_CONFIG_arm64="CONFIG_ARM_SMMU_V3 CONFIG_PCI_HOST_GENERIC CONFIG_SERIAL_AMBA_PL011 CONFIG_SERIAL_AMBA_PL011_CONSOLE"

# vm_check_config ARCH CONFIG-FILE: prints the CONFIG_ options the test bed
# needs that are not =y (IOMMU_IOVA: y or m) one a line; 1 when any is.
vm_check_config() {
	local arch=$1 cfg=$2 o lacking=0 var
	var=VM_NEED_CONFIG_$arch
	for o in $VM_NEED_CONFIG_common ${!var} CONFIG_IOMMU_IOVA; do
		if [ "$o" = CONFIG_IOMMU_IOVA ]; then
			grep -qE "^$o=[ym]\$" "$cfg" && continue
		else
			grep -qx "$o=y" "$cfg" && continue
		fi
		echo "$o (is: $(grep -E "^$o=|^# $o is not set" "$cfg" | head -n 1 | grep . || echo absent))"
		lacking=1
	done
	return $lacking
}

# vm_own_kernel_series IMAGE BUILD: checks --kernel-image and --kernel-build
# (both or neither; BUILD a directory) and prints the series name of that
# build, own-HASH: one cache entry and build directory per kernel build
# directory.  Prints nothing when neither is given; returns 2 after one line
# on stderr when they are wrong.
vm_own_kernel_series() {
	local image=$1 kb=$2
	[ -n "$image$kb" ] || return 0
	{ [ -n "$image" ] && [ -n "$kb" ]; } ||
		{ echo "$VM_PROG: --kernel-image and --kernel-build go together (the image and its O= build directory)" >&2; return 2; }
	[ -d "$kb" ] || { echo "$VM_PROG: --kernel-build $kb: no such directory" >&2; return 2; }
	echo "own-$(cd "$kb" && pwd -P | md5sum | cut -c1-8)"
}

# vm_kernel_args ARCH SERIES IMAGE BUILD: the kernel options of vm-run and
# vm-test checked together: --arch (required, normalised), --kernel and
# --kernel-image/--kernel-build (vm_own_kernel_series).  Sets VM_ARCH and
# VM_SERIES (own-HASH for an own build); returns 2 after one line on stderr.
vm_kernel_args() {
	[ -n "$1" ] || { echo "$VM_PROG: --arch x86_64|arm64 is required" >&2; return 2; }
	VM_ARCH=$(vm_arch_norm "$1") || return 2
	vm_series_check "$VM_PROG" "$2" || return 2
	VM_SERIES=$(vm_own_kernel_series "$3" "$4") || return 2
	[ -n "$VM_SERIES" ] || VM_SERIES=$2
}

# vm_kernel_pick ARCH SERIES IMAGE BUILD: prints the kernel directory: the
# user's own build (vm_kernel_custom) when IMAGE is given, else
# fetch-kernel's SERIES (vm_kernel).
vm_kernel_pick() {
	if [ -n "$3" ]; then
		vm_kernel_custom "$1" "$3" "$4" "$DMABENCH_CACHE/kernel-$1-$2"
	else
		vm_kernel "$1" "$2"
	fi
}

# vm_kernel_custom ARCH IMAGE BUILD DIR: a kernel the user built (bzImage or
# arm64 Image, its O= build directory); makes DIR look like fetch-kernel's
# (vmlinuz, build, release, version) after checking its .config; prints DIR.
vm_kernel_custom() {
	local arch=$1 image=$2 kb=$3 dir=$4 miss rel
	[ -f "$image" ] || vm_die "--kernel-image $image: no such file"
	{ [ -f "$kb/Makefile" ] && [ -f "$kb/.config" ]; } ||
		vm_die "--kernel-build $kb: not a kernel build directory (no Makefile and .config; pass the O= directory of the build)"
	[ -f "$kb/Module.symvers" ] ||
		vm_die "--kernel-build $kb: no Module.symvers: build the kernel there first ('make' or 'make modules_prepare vmlinux')"
	rel=$(cat "$kb/include/config/kernel.release" 2>/dev/null) ||
		vm_die "--kernel-build $kb: no include/config/kernel.release (an unconfigured tree?)"
	if ! miss=$(vm_check_config "$arch" "$kb/.config"); then
		echo "$VM_PROG: the kernel in $kb lacks what the test bed needs; set these in its .config (=y) and rebuild:" >&2
		printf '%s\n' "$miss" | sed 's/^/  /' >&2
		exit 1
	fi
	mkdir -p "$dir" || exit 1
	ln -sfn "$(cd "$(dirname "$image")" && pwd)/$(basename "$image")" "$dir/vmlinuz"
	ln -sfn "$(cd "$kb" && pwd)" "$dir/build"
	echo "$rel" > "$dir/release"
	echo "own build ($kb)" > "$dir/version"
	: > "$dir/toolchain"
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

# vm_export_src: prints a clean copy of the source tree to build from, so a
# tree configured in place (./configure && make, the README's "Building by
# hand") still builds out of tree: a VPATH build refuses a configured
# source directory.  A git checkout is exported with its tracked and
# untracked-but-not-ignored files (uncommitted edits included) into
# $DMABENCH_CACHE/src-HASH; only files whose content changed are copied (so
# make rebuilds only those) and files gone from the tree leave the copy.
# Without git the tree itself is used, unless it is configured in place.
vm_export_src() {
	local src=$VM_SRCDIR exp list
	if ! command -v git >/dev/null 2>&1 || ! git -C "$src" rev-parse --git-dir >/dev/null 2>&1; then
		if [ -f "$src/config.status" ]; then
			echo "$VM_PROG: $src is configured in place (it has config.status) and is not a git checkout, so there is no clean copy to build from: run 'make distclean' in $src, then run this again" >&2
			return 1
		fi
		echo "$src"
		return 0
	fi
	exp=$DMABENCH_CACHE/src-$(printf %s "$src" | md5sum | cut -c1-8)
	mkdir -p "$exp" || return 1
	list=$(mktemp "${TMPDIR:-/tmp}/dmabench-export.XXXXXX") || return 1
	# results/ (measurements kept in the tree, tens of MB) is not built from.
	(cd "$src" && git ls-files -z --cached --others --exclude-standard -- . ':!results/' |
		xargs -0 -r sh -c 'for f; do [ -f "$f" ] && printf "%s\n" "$f"; done' sh) |
		LC_ALL=C sort > "$list" || { rm -f "$list"; return 1; }
	if [ -f "$exp/.export-list" ]; then
		# Files that left the tree leave the copy.
		LC_ALL=C comm -23 "$exp/.export-list" "$list" | (cd "$exp" && xargs -d '\n' -r rm -f --)
	fi
	(cd "$src" && xargs -d '\n' -r sh -c '
		exp=$1; shift
		for f; do
			cmp -s "$f" "$exp/$f" 2>/dev/null && continue
			mkdir -p "$exp/$(dirname "$f")" && cp "$f" "$exp/$f" || exit 1
			# keep the mode (scripts stay executable)
			[ -x "$f" ] && chmod +x "$exp/$f"
		done
		true' sh "$exp" < "$list") || { rm -f "$list"; return 1; }
	mv "$list" "$exp/.export-list"
	echo "$exp"
}

# vm_toolchain_pkgs ARCH: what a release's chroot needs to build the module
# and the static bench for ARCH (its own gcc, and cross gcc for arm64).
vm_toolchain_pkgs() {
	local -a p=(gcc make libc6-dev bc kmod dwarves pkg-config libnuma-dev)  # dwarves brings libelf (objtool)
	[ "$1" = arm64 ] && p+=(gcc-aarch64-linux-gnu libc6-dev-arm64-cross libnuma-dev:arm64)
	echo "${p[@]}"
}

# vm_build ARCH SERIES KDIR: configure (when needed) and make dmabench in
# $DMABENCH_CACHE/build-ARCH-SERIES-HASH from a clean copy of the source
# tree (vm_export_src); prints the build dir.  When KDIR/toolchain names a
# Debian release (5.10: bullseye, latest: trixie), configure and make run
# in that release's chroot (scripts/lib/chroot.sh) with its gcc and cross
# gcc, the cache bind-mounted at its own path; otherwise on the host.  Call
# it as $(vm_build ...): it locks the build dir (one build at a time) until
# its subshell ends.
vm_build() {
	local arch=$1 series=$2 kdir=$3 b sysroot stale src toolchain croot srclock
	local -a args run=()
	if [ -n "${DMABENCH_PREBUILT:-}" ]; then
		echo "$DMABENCH_PREBUILT"
		return 0
	fi
	[ -f "$VM_SRCDIR/configure.ac" ] || vm_die "no configure.ac in $VM_SRCDIR"
	# One build directory per source tree, so two checkouts never share objects.
	b=${DMABENCH_BUILD:-$DMABENCH_CACHE/build-$arch-$series-$(printf %s "$VM_SRCDIR" | md5sum | cut -c1-8)}
	mkdir -p "$b" "$DMABENCH_CACHE" || vm_die "cannot create $b"
	b=$(cd "$b" && pwd -P)
	if ! { exec 8>"$b/.vm-build.lock" && flock 8; }; then vm_die "cannot lock $b"; fi
	# The export and autoreconf write into one directory per tree: one at a time.
	srclock=$DMABENCH_CACHE/.src-$(printf %s "$VM_SRCDIR" | md5sum | cut -c1-8).lock
	src=$(
		exec 9>"$srclock" && flock 9 || exit 1
		src=$(vm_export_src) || exit 1
		stale=
		if [ ! -x "$src/configure" ]; then
			stale=1
		elif [ -n "$(find "$src" -path "$src/.git" -prune -o \
			\( -name configure.ac -o -name Makefile.am -o -name '*.m4' \) \
			-newer "$src/configure" -print 2>/dev/null |
			grep -v '/aclocal.m4$' | head -n 1)" ]; then
			stale=1
		fi
		if [ -n "$stale" ]; then
			vm_log "autoreconf -fi in $src"
			(cd "$src" && autoreconf -fi) >&2 || exit 1
		fi
		echo "$src"
	) || vm_die "preparing the sources (export, autoreconf -fi) failed"
	# Builds for other arches or kernels read the same copy: hold it shared
	# until this build is done, so the next export (exclusive) waits.
	if ! { exec 6>"$srclock" && flock -s 6; }; then vm_die "cannot lock $srclock"; fi

	toolchain=$(cat "$kdir/toolchain" 2>/dev/null || true)
	args=(--with-linux="$kdir/build")
	if [ -n "$toolchain" ]; then
		# shellcheck disable=SC2046  # a list of package names
		croot=$(chroot_ensure "$toolchain" $(vm_toolchain_pkgs "$arch")) ||
			vm_die "no $toolchain build chroot for Linux $series"
		run=(chroot_run "$croot" --bind "$DMABENCH_CACHE")
		case "$b" in "$DMABENCH_CACHE"/*) ;; *) run+=(--bind "$b") ;; esac
		case "$src" in "$DMABENCH_CACHE"/*) ;; *) run+=(--bind "$src") ;; esac
		run+=(--)
		# The chroot's multiarch libnuma-dev:arm64 needs no sysroot.
		[ "$arch" = arm64 ] && args+=(--host=aarch64-linux-gnu)
		args+=("LDFLAGS=-static")
	elif [ "$arch" = arm64 ]; then
		sysroot=$(vm_sysroot_arm64) || exit 1
		args+=(--host=aarch64-linux-gnu "CPPFLAGS=-I$sysroot/usr/include"
			"LDFLAGS=-static -L$sysroot/usr/lib/aarch64-linux-gnu")
	else
		args+=("LDFLAGS=-static")
	fi
	if [ ! -f "$b/config.status" ] || [ "$src/configure" -nt "$b/config.status" ] ||
		[ "$(cat "$b/.vm-configure-args" 2>/dev/null)" != "$src ${toolchain:-host} ${args[*]}" ]; then
		vm_log "configuring $b${toolchain:+ in the $toolchain chroot}: ${args[*]}"
		"${run[@]}" /bin/sh -c 'cd "$1" && shift && exec "$@"' sh "$b" "$src/configure" "${args[@]}" \
			> "$b/.vm-configure.log" 2>&1 || {
			tail -n 30 "$b/.vm-configure.log" >&2
			vm_die "configure failed (log: $b/.vm-configure.log, config.log)"
		}
		printf '%s' "$src ${toolchain:-host} ${args[*]}" > "$b/.vm-configure-args"
	elif [ "$src/kmod/Kbuild.in" -nt "$b/kmod/Kbuild" ]; then
		# Kbuild is a configure output that automake does not track
		"${run[@]}" /bin/sh -c 'cd "$1" && ./config.status kmod/Kbuild' sh "$b" > /dev/null ||
			vm_die "config.status kmod/Kbuild failed in $b"
	fi
	vm_log "make in $b${toolchain:+ (in the $toolchain chroot)}"
	"${run[@]}" make -C "$b" -j"$(nproc)" > "$b/.vm-make.log" 2>&1 || {
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
	if [ -f "$b/tests/guest/json_check" ]; then
		cp "$b/tests/guest/json_check" "$stage/usr/bin/json_check"
	fi
	if [ -f "$b/tests/guest/mapbench_check" ]; then
		cp "$b/tests/guest/mapbench_check" "$stage/usr/bin/mapbench_check"
	fi
	if [ -f "$b/tests/guest/ktap_check" ]; then
		cp "$b/tests/guest/ktap_check" "$stage/usr/bin/ktap_check"
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
	vm_initramfs_topology "$stage"
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
	# The machine, its IOMMU(s) and edu devices: vm_machine (VM_IOMMU,
	# VM_SMMU_INSTANCES; the default model of ARCH, one instance).
	vm_machine "$arch" "${VM_IOMMU:-$(vm_iommu_default "$arch")}" "${VM_SMMU_INSTANCES:-1}" "$ndev"
	qemu=("${VM_MACHINE_QEMU[@]}")
	append="$VM_MACHINE_APPEND $append"
	# A newer QEMU runs in its chroot: absolute paths, bound in.
	local qout=$out qinitrd=$initrd qkernel=$kdir/vmlinuz qroot=
	local -a wrap=()
	if [ "$VM_MACHINE_NEWER" = 1 ]; then
		mkdir -p "$out" || vm_die "cannot create $out"
		qroot=$(vm_qemu_newer) || exit 1
		qout=$(readlink -f "$out") qinitrd=$(readlink -f "$initrd") qkernel=$(readlink -f "$kdir/vmlinuz")
		vm_qemu_newer_wrap "$qroot" "$qout" "$qinitrd" "$qkernel"
		wrap=("${VM_QEMU_WRAP[@]}")
		# UEFI firmware first, on a loaded host: more time to start
		VM_START_TIMEOUT=${VM_START_TIMEOUT:-300}
	fi
	[ -n "$strict" ] && append+=" iommu.strict=$strict"
	[ -n "${VM_APPEND:-}" ] && append+=" $VM_APPEND"
	rm -f "$out/qemu.pid" "$out/.start-hung"
	qemu+=(-accel tcg,thread=multi -cpu max -smp "$smp" -m "$mem" -nic none
		-pidfile "$qout/qemu.pid"
		-no-reboot -nographic -kernel "$qkernel" -initrd "$qinitrd"
		-append "$append")
	qemu+=("${VM_MACHINE_DEVICES[@]}")
	mkdir -p "$out"
	printf '%q ' "${qemu[@]}" > "$out/qemu-cmdline"
	echo >> "$out/qemu-cmdline"
	[ -z "$qroot" ] || echo "# run inside the chroot $qroot" >> "$out/qemu-cmdline"
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
	timeout --foreground -k 10 "$tmo" "${wrap[@]}" "${qemu[@]}" < /dev/null 2> "$out/qemu.stderr" |
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

# Kernel lines that mean something went wrong (one extended regex shared
# with the guest's checks, lib.sh's BAD_RE): panics, oopses, warnings,
# lockups, stalls, KASAN/UBSAN/kmemleak, and SLUB's reports under
# slub_debug ("BUG kmalloc-64 (Not tainted): Poison overwritten", Redzone,
# Object padding).  Only lines with a printk time stamp are looked at, so
# the bench's own output cannot trip it.
VM_BAD_RE=$(cat "$VM_SCRIPTS/guest/kernel-log-bad.ere")

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

# ---- IOMMU model and topology (vm-run/vm-test --iommu, --smmu-instances) ----
#
# Models: vtd (Intel VT-d, x86_64), amd (AMD-Vi, x86_64), smmuv3 (Arm
# SMMUv3, arm64), virtio (virtio-iommu-pci, both).  Several SMMUv3 instances
# need a newer QEMU than bookworm's 7.2 and UEFI + ACPI (IORT); see
# vm_qemu_newer.

# vm_iommu_default ARCH: the model vm-run uses without --iommu.
vm_iommu_default() {
	case "$1" in
	x86_64) echo vtd ;;
	*) echo smmuv3 ;;
	esac
}

# vm_iommu_check ARCH MODEL NINST: 0 when QEMU can build that machine; else
# one line saying why on stderr, returns 2.
vm_iommu_check() {
	local arch=$1 model=$2 ninst=$3
	case "$model:$arch" in
	vtd:x86_64|amd:x86_64|smmuv3:arm64|virtio:*) ;;
	vtd:*|amd:*|smmuv3:*)
		echo "$VM_PROG: --iommu $model is not an IOMMU of $arch machines: use $(vm_iommu_default "$arch") or virtio" >&2
		return 2 ;;
	*)
		echo "$VM_PROG: --iommu must be vtd, amd, smmuv3 or virtio, not '$model'" >&2
		return 2 ;;
	esac
	case "$ninst" in
	''|*[!0-9]*|0)
		echo "$VM_PROG: --smmu-instances takes a number from 1 to 8, not '$ninst'" >&2
		return 2 ;;
	esac
	if [ "$ninst" -gt 8 ]; then
		echo "$VM_PROG: --smmu-instances $ninst: at most 8 (each takes 16 PCI bus numbers)" >&2
		return 2
	fi
	if [ "$ninst" -gt 1 ] && [ "$model" != smmuv3 ]; then
		echo "$VM_PROG: --smmu-instances $ninst needs --iommu smmuv3 (arm64): QEMU has one $model per machine" >&2
		return 2
	fi
	return 0
}

# vm_machine ARCH MODEL NINST NDEV: the QEMU machine with its IOMMU(s) and
# NDEV edu devices.  Sets VM_MACHINE_QEMU (the emulator and machine
# options), VM_MACHINE_DEVICES (the -device options), VM_MACHINE_APPEND
# (kernel parameters) and VM_MACHINE_NEWER (1: runs vm_qemu_newer's QEMU).
vm_machine() {
	local arch=$1 model=$2 ninst=$3 ndev=$4 i k
	# The edu clamps DMA addresses to its dma_mask (QEMU's default 28 bits);
	# 40 bits let it work without translation too (--domain identity: the
	# arm64 virt machine's RAM starts at 1 GiB).  /init loads the module
	# with edu_dma_bits=40 to match.
	local edu=edu,dma_mask=0xffffffffff
	VM_MACHINE_DEVICES=()
	VM_MACHINE_NEWER=0
	case "$arch:$model" in
	x86_64:vtd)
		VM_MACHINE_QEMU=(qemu-system-x86_64 -M q35,kernel-irqchip=split
			-device intel-iommu,intremap=on)
		# no_timer_check: on a loaded host the IO-APIC timer check of
		# a TCG guest can miss its ticks, and 5.10 then panics ("timer
		# doesn't work through Interrupt-remapped IO-APIC").
		VM_MACHINE_APPEND="console=ttyS0 intel_iommu=on no_timer_check" ;;
	x86_64:amd)
		# AMD-Vi is a PCI function itself (00:02.0): the edu devices
		# come after it.  Interrupt remapping on (split irqchip): without
		# it Linux 6.1 panics, "timer doesn't work through
		# Interrupt-remapped IO-APIC".  With it, the same panic comes when
		# a loaded host delays the timer test: no_timer_check skips it.
		VM_MACHINE_QEMU=(qemu-system-x86_64 -M q35,kernel-irqchip=split
			-device amd-iommu,intremap=on)
		VM_MACHINE_APPEND="console=ttyS0 no_timer_check" ;;
	x86_64:virtio)
		VM_MACHINE_QEMU=(qemu-system-x86_64 -M q35 -device virtio-iommu-pci)
		VM_MACHINE_APPEND="console=ttyS0" ;;
	arm64:virtio)
		VM_MACHINE_QEMU=(qemu-system-aarch64 -M virt,gic-version=3
			-device virtio-iommu-pci)
		VM_MACHINE_APPEND="console=ttyAMA0" ;;
	arm64:smmuv3)
		VM_MACHINE_APPEND="console=ttyAMA0"
		if [ "$ninst" -le 1 ]; then
			VM_MACHINE_QEMU=(qemu-system-aarch64 -M virt,iommu=smmuv3,gic-version=3)
		else
			# One pxb-pcie host bridge per SMMUv3, each edu behind
			# its own root port (so in its own group), spread
			# round-robin.  Only ACPI (IORT) describes SMMUs on
			# other buses than pcie.0: UEFI firmware, acpi=force.
			VM_MACHINE_NEWER=1
			VM_MACHINE_QEMU=(qemu-system-aarch64 -M virt,gic-version=3
				-bios "${VM_EFI_AARCH64:-/usr/share/qemu-efi-aarch64/QEMU_EFI.fd}")
			VM_MACHINE_APPEND+=" acpi=force"
			for ((k = 1; k <= ninst; k++)); do
				VM_MACHINE_QEMU+=(-device "pxb-pcie,id=pcie.$k,bus_nr=$((16 * k)),bus=pcie.0"
					-device "arm-smmuv3,primary-bus=pcie.$k,id=smmuv3.$k")
			done
			for ((i = 0; i < ndev; i++)); do
				k=$((i % ninst + 1))
				VM_MACHINE_DEVICES+=(-device "pcie-root-port,id=rp$i,bus=pcie.$k,chassis=$((i + 1))"
					-device "$edu,bus=rp$i")
			done
			return 0
		fi ;;
	esac
	for ((i = 0; i < ndev; i++)); do
		VM_MACHINE_DEVICES+=(-device "$edu")
	done
	# VM_SHARED_GROUP=1 (vm-run --shared-group): two more edu behind one
	# conventional PCI bridge: the IOMMU cannot tell them apart, so the
	# kernel puts them in one IOMMU group (issue 14, defect 3).
	# arm-smmu-v3 gives no group to two devices with one stream ID (the
	# bridge's), so arm64 gets two more as functions 0 and 1 of one slot:
	# without ACS the kernel groups them, each with its own stream ID.
	if [ "${VM_SHARED_GROUP:-0}" = 1 ]; then
		VM_MACHINE_DEVICES+=(-device pci-bridge,id=dmabr,chassis_nr=7
			-device "$edu,bus=dmabr,addr=1" -device "$edu,bus=dmabr,addr=2")
		[ "$arch" = arm64 ] &&
			VM_MACHINE_DEVICES+=(-device "$edu,addr=0x10.0,multifunction=on"
				-device "$edu,addr=0x10.1")
	fi
}

# vm_ko_cat FILE: the module FILE uncompressed on stdout
vm_ko_cat() {
	case "$1" in
	*.xz) xz -dc "$1" ;;
	*.zst) zstd -dcq "$1" ;;
	*.gz) gzip -dc "$1" ;;
	*) cat "$1" ;;
	esac
}

# vm_guest_modules KDIR NAME...: prints the .ko files of the kernel's own
# modules NAME... and of everything they depend on, dependencies first.
# The dependencies are the modules' own "depends=" (their .modinfo): the
# same list depmod writes to modules.dep, which Debian's packages do not
# ship (depmod runs at install).  Dies when one is missing.
vm_guest_modules() {
	local kdir=$1 mdir name
	shift
	mdir=$(readlink -f "$kdir/modules") || vm_die "no modules directory in $kdir"
	local -A seen_mods=()
	local -a order=()
	_vm_mod_add() {
		local n=${1//-/_} re f d
		[ -n "${seen_mods[$n]:-}" ] && return 0
		seen_mods[$n]=1
		# module names say _ where file names may say - (virtio-iommu.ko)
		re=${n//_/[_-]}
		f=$(find "$mdir" -regextype posix-extended \
			-regex ".*/$re\\.ko(\\.xz|\\.zst|\\.gz)?" -print | head -n 1)
		if [ -z "$f" ]; then
			# built in: nothing to load
			grep -Eq "/$re\\.ko\$" "$mdir/modules.builtin" 2>/dev/null && return 0
			vm_die "the kernel in $kdir has no module $n (neither a .ko nor built in)"
		fi
		for d in $(vm_ko_cat "$f" | tr '\0' '\n' | sed -n 's/^depends=//p' | tr , ' '); do
			_vm_mod_add "$d"
		done
		order+=("$f")
	}
	for name in "$@"; do
		_vm_mod_add "$name"
	done
	printf '%s\n' "${order[@]}"
}

# vm_initramfs_topology STAGE: the IOMMU model for the guest's tests
# (/etc/dmabench/config) and the kernel modules of $VM_GUEST_MODULES (one
# .ko path a line, dependencies first), uncompressed into
# /lib/dmabench/modules; /init loads them in /etc/dmabench/modules' order
# before dmabench.ko, so a modular IOMMU driver is there before any edu
# device is bound.
vm_initramfs_topology() {
	local stage=$1 f n i=0
	{
		echo "IOMMU=${VM_IOMMU:-}"
		echo "SMMU_INSTANCES=${VM_SMMU_INSTANCES:-1}"
	} >> "$stage/etc/dmabench/config"
	: > "$stage/etc/dmabench/modules"
	[ -n "${VM_GUEST_MODULES:-}" ] || return 0
	mkdir -p "$stage/lib/dmabench/modules"
	while IFS= read -r f; do
		[ -n "$f" ] || continue
		n=$(basename "$f")
		n=$(printf '%02d-%s' "$i" "${n%.ko*}.ko")
		vm_ko_cat "$f" > "$stage/lib/dmabench/modules/$n" || vm_die "cannot unpack $f"
		echo "$n" >> "$stage/etc/dmabench/modules"
		i=$((i + 1))
	done <<< "$VM_GUEST_MODULES"
}

# vm_qemu_newer: prints the root of the Debian sid chroot (scripts/lib/
# chroot.sh, made once) with a QEMU that has several SMMUv3 instances
# (11.x) and the aarch64 UEFI firmware.
vm_qemu_newer() {
	local root
	# shellcheck source=chroot.sh
	. "$VM_SCRIPTS/lib/chroot.sh"
	root=$(chroot_ensure sid qemu-system-arm qemu-efi-aarch64) ||
		vm_die "no sid chroot with qemu-system-arm and qemu-efi-aarch64 (scripts/lib/chroot.sh)"
	[ -x "$root/usr/bin/qemu-system-aarch64" ] ||
		vm_die "no usr/bin/qemu-system-aarch64 in $root"
	[ -f "$root/usr/share/qemu-efi-aarch64/QEMU_EFI.fd" ] ||
		vm_die "no UEFI firmware in $root/usr/share/qemu-efi-aarch64"
	echo "$root"
}

# vm_qemu_newer_wrap ROOT PATH...: sets VM_QEMU_WRAP, the command prefix
# that runs a QEMU command line inside ROOT (chroot_run) with the host
# directories of the PATHs (kernel, initrd, output) at the same place, so
# the command line reads the same inside and out.
vm_qemu_newer_wrap() {
	local root=$1 p
	local -a binds=()
	shift
	for p in "$@"; do
		p=$(readlink -f "$p")
		[ -d "$p" ] || p=${p%/*}
		binds+=(--bind "$p")
	done
	# shellcheck disable=SC2016  # expanded by the inner bash
	VM_QEMU_WRAP=(bash -c '. "$0"; chroot_run "$@"' "$VM_SCRIPTS/lib/chroot.sh"
		"$root" "${binds[@]}" --)
}

# vm_iommu_modules KDIR MODEL: sets VM_GUEST_MODULES to the kernel modules
# the guest must load for MODEL (virtio: virtio_iommu and virtio_pci with
# their dependencies, unless built in).  Returns 1 with one line on stderr
# when the kernel does not have the model's driver at all (its .config),
# 2 when it has it as a module that is not among the kernel's modules.
vm_iommu_modules() {
	local kdir=$1 model=$2 cfg mods
	VM_GUEST_MODULES=
	[ "$model" = virtio ] || return 0
	cfg=$(sed -n 's/^CONFIG_VIRTIO_IOMMU=//p' "$kdir/build/.config" 2>/dev/null)
	case "$cfg" in
	y) return 0 ;;
	m) ;;
	*)
		echo "$VM_PROG: Linux $(cat "$kdir/release") has no virtio-iommu driver (CONFIG_VIRTIO_IOMMU is not set): --iommu virtio needs a kernel with it" >&2
		return 1 ;;
	esac
	# virtio_pci binds the device: a module too on some kernels (6.1)
	mods=virtio_iommu
	grep -q '^CONFIG_VIRTIO_PCI=m$' "$kdir/build/.config" && mods="virtio_pci $mods"
	# shellcheck disable=SC2086
	VM_GUEST_MODULES=$(vm_guest_modules "$kdir" $mods) || {
		echo "$VM_PROG: Linux $(cat "$kdir/release") builds virtio-iommu as a module, and $kdir/modules lacks it or its dependencies (fetch the kernel's modules package again)" >&2
		return 2
	}
}

# vm_iommu_lazy_domain MODEL: the default domain type a guest booted with
# iommu.strict=0 gets.  AMD-Vi under QEMU: Linux forces strict mode ("AMD-Vi:
# Using strict mode due to virtualization", the emulated IOMMU caches
# non-present entries), so DMA, not DMA-FQ; vm_iommu_lazy_why says so.
vm_iommu_lazy_domain() {
	case "$1" in
	amd) echo DMA ;;
	*) echo DMA-FQ ;;
	esac
}

# vm_iommu_lazy_why MODEL DMESG: when MODEL cannot have a lazy (DMA-FQ)
# default domain, prints why, after checking that the guest kernel's log
# DMESG says so; prints "FAIL: ..." when it does not.  Nothing otherwise.
vm_iommu_lazy_why() {
	case "$1" in
	amd)
		if grep -q 'AMD-Vi: Using strict mode due to virtualization' "$2" 2>/dev/null; then
			echo "AMD-Vi under QEMU has no lazy DMA-FQ default domain: Linux says 'Using strict mode due to virtualization'"
		else
			echo "FAIL: no 'AMD-Vi: Using strict mode due to virtualization' in $2"
		fi ;;
	esac
}
