# shellcheck shell=bash
# shellcheck disable=SC2016  # sh -c scripts and dpkg-query formats are literal
# scripts/lib/chroot.sh: minimal Debian chroots (debootstrap --variant=minbase),
# one per Debian release, made once and cached; sourced by bash scripts.
# Used for a kernel's own toolchain (5.10: bullseye's gcc-10; latest:
# trixie's gcc-14) and for newer tools than the host has (sid's QEMU).
# Needs root (debootstrap, chroot, unshare).
#
# API (every function prints errors to stderr and returns non-zero):
#   chroot_ensure SUITE [PKG...]
#       Makes (once) the chroot for SUITE and installs the PKGs missing in it
#       with apt-get; prints its directory.  SUITE: bullseye, bookworm,
#       trixie, forky, sid, or BASE-backports (the BASE chroot with BASE's
#       backports in its sources: the same directory as BASE).  A PKG may
#       be arch-qualified (libnuma-dev:arm64): the architecture is added.
#   chroot_run DIR [--bind PATH]... [--] CMD [ARG...]
#       Runs CMD inside DIR with /proc, /dev and each PATH (a host
#       directory, at the same path inside) mounted.  The mounts live in a
#       private mount namespace (unshare -m) that ends with CMD, so nothing
#       is left mounted, whatever way CMD ends.  The environment is a clean
#       one (PATH, HOME, LC_ALL=C, DEBIAN_FRONTEND) plus CHROOT_ENV's
#       NAME=VALUE words.
#   chroot_apt DIR APT-GET-ARGS...
#       apt-get inside DIR (Check-Valid-Until off: sid's Release file is
#       past its Valid-Until by some clocks).
#   chroot_dir SUITE
#       Prints where SUITE's chroot is (made or not).
# Layout: $DMABENCH_CACHE/chroot-BASE/ (DMABENCH_CACHE default
# /var/cache/dmabench), locked by $DMABENCH_CACHE/.chroot-BASE.lock while
# made or changed; .dmabench-complete inside marks a finished debootstrap.
# DMABENCH_MIRROR: the Debian mirror (default http://deb.debian.org/debian).

DMABENCH_CACHE=${DMABENCH_CACHE:-/var/cache/dmabench}
DMABENCH_MIRROR=${DMABENCH_MIRROR:-http://deb.debian.org/debian}
CHROOT_PROG=${VM_PROG:-${CHROOT_PROG:-chroot}}

chroot_err() { echo "$CHROOT_PROG: $*" >&2; }

# chroot_base SUITE: the release a suite's chroot is made from.
chroot_base() {
	case "$1" in
	bullseye|bookworm|trixie|forky|sid) echo "$1" ;;
	bullseye-backports|bookworm-backports|trixie-backports|forky-backports)
		echo "${1%-backports}" ;;
	*) chroot_err "no chroot for Debian suite '$1' (bullseye, bookworm, trixie, forky, sid, or one of those with -backports)"
	   return 2 ;;
	esac
}

chroot_dir() {
	local base
	base=$(chroot_base "$1") || return
	echo "$DMABENCH_CACHE/chroot-$base"
}

chroot_run() {
	local dir=$1 p
	local -a binds=() envs
	shift
	while [ $# -gt 0 ]; do
		case "$1" in
		--bind) binds+=("$2"); shift 2 ;;
		--) shift; break ;;
		*) break ;;
		esac
	done
	[ $# -gt 0 ] || { chroot_err "chroot_run: no command"; return 2; }
	[ -x "$dir/bin/sh" ] || { chroot_err "chroot_run: $dir is not a chroot"; return 1; }
	[ "$(id -u)" = 0 ] || { chroot_err "chroot_run needs root (chroot, mount)"; return 1; }
	for p in "${binds[@]}"; do
		[ -d "$p" ] || { chroot_err "chroot_run: --bind $p: not a directory"; return 1; }
	done
	envs=(PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
		HOME=/root LC_ALL=C DEBIAN_FRONTEND=noninteractive)
	# shellcheck disable=SC2206  # CHROOT_ENV is a list of NAME=VALUE words
	envs+=(${CHROOT_ENV:-})
	# The mount script gets: root, the number of binds, the binds, then
	# the env words (env -i takes them before the command), the command.
	unshare --mount --propagation private -- /bin/sh -c '
		set -e
		root=$1; n=$2; shift 2
		mount -t proc proc "$root/proc"
		mount --bind /dev "$root/dev"
		while [ "$n" -gt 0 ]; do
			mkdir -p "$root$1"
			mount --bind "$1" "$root$1"
			n=$((n - 1)); shift
		done
		exec chroot "$root" /usr/bin/env -i "$@"
	' chroot-run "$dir" "${#binds[@]}" "${binds[@]}" "${envs[@]}" "$@"
}

chroot_apt() {
	local dir=$1
	shift
	# apt's sandbox user cannot write into bind-mounted download dirs.
	chroot_run "$dir" apt-get -q -y -o Acquire::Check-Valid-Until=false \
		-o APT::Sandbox::User=root "$@"
}

# chroot_sources SUITE BASE: the apt sources of the chroot.
chroot_sources() {
	local base=$2
	echo "deb $DMABENCH_MIRROR $base main"
	case "$base" in
	bookworm|trixie|forky) echo "deb $DMABENCH_MIRROR $base-backports main" ;;
	*) ;; # sid has none; bullseye-backports left the mirror
	esac
}

# chroot_make BASE DIR: debootstrap into DIR (the caller holds the lock).
chroot_make() {
	local base=$1 dir=$2 t0
	command -v debootstrap >/dev/null ||
		{ chroot_err "debootstrap is not installed; run: apt-get install debootstrap"; return 1; }
	rm -rf "$dir"
	t0=$(date +%s)
	chroot_err "debootstrap --variant=minbase $base $dir (once; about a minute)"
	if ! debootstrap --variant=minbase "$base" "$dir" "$DMABENCH_MIRROR" \
		> "$dir.debootstrap.log" 2>&1; then
		tail -n 20 "$dir.debootstrap.log" >&2
		chroot_err "debootstrap $base failed (log: $dir.debootstrap.log)"
		rm -rf "$dir"
		return 1
	fi
	chroot_sources "$base" "$base" > "$dir/etc/apt/sources.list"
	# sid's Release file can be past its Valid-Until by this clock; no
	# recommends: a build chroot wants only what it asks for.
	cat > "$dir/etc/apt/apt.conf.d/90dmabench" <<-'EOF'
		Acquire::Check-Valid-Until "false";
		APT::Install-Recommends "false";
		APT::Sandbox::User "root";
	EOF
	echo "$base" > "$dir/.dmabench-complete"
	chroot_err "chroot $base made in $(($(date +%s) - t0))s"
}

chroot_ensure() {
	local suite=$1 base dir lock p name arch
	local -a missing=() archs=()
	shift
	base=$(chroot_base "$suite") || return
	dir=$DMABENCH_CACHE/chroot-$base
	[ "$(id -u)" = 0 ] || { chroot_err "making or using a build chroot needs root"; return 1; }
	mkdir -p "$DMABENCH_CACHE" || return 1
	lock=$DMABENCH_CACHE/.chroot-$base.lock
	(
		flock 7 || exit 1
		if [ ! -f "$dir/.dmabench-complete" ]; then
			chroot_make "$base" "$dir" || exit 1
		fi
		cp /etc/resolv.conf "$dir/etc/resolv.conf" 2>/dev/null
		for p in "$@"; do
			name=${p%%:*}
			arch=
			[ "$name" = "$p" ] || arch=${p#*:}
			if [ -n "$arch" ] && [ "$arch" != "$(chroot "$dir" dpkg --print-architecture)" ] &&
				! chroot "$dir" dpkg --print-foreign-architectures | grep -qx "$arch"; then
				chroot "$dir" dpkg --add-architecture "$arch" || exit 1
				archs+=("$arch")
			fi
			chroot "$dir" dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null |
				grep -q 'ok installed' || missing+=("$p")
		done
		[ ${#missing[@]} -eq 0 ] && exit 0
		# Lists are fetched when there are none or an architecture came in.
		if [ ${#archs[@]} -gt 0 ] || ! ls "$dir"/var/lib/apt/lists/*_Packages >/dev/null 2>&1; then
			chroot_apt "$dir" update > "$dir.apt.log" 2>&1 ||
				{ tail -n 20 "$dir.apt.log" >&2; chroot_err "apt-get update in $dir failed"; exit 1; }
		fi
		chroot_err "installing in the $base chroot: ${missing[*]}"
		if ! chroot_apt "$dir" install "${missing[@]}" >> "$dir.apt.log" 2>&1; then
			# Stale lists: fetch them and try once more.
			chroot_apt "$dir" update >> "$dir.apt.log" 2>&1 &&
				chroot_apt "$dir" install "${missing[@]}" >> "$dir.apt.log" 2>&1 ||
				{ tail -n 20 "$dir.apt.log" >&2
				  chroot_err "apt-get install ${missing[*]} in $dir failed (log: $dir.apt.log)"; exit 1; }
		fi
	) 7>"$lock" || return 1
	echo "$dir"
}
