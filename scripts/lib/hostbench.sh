# shellcheck shell=sh
# scripts/lib/hostbench.sh: find a dmabench that runs on this host (for
# report, compare and plot of results the guests brought back), sourced by
# scripts/plot and scripts/vm-sweep (POSIX sh).  hostbench_find PROG sets
# DMABENCH: $DMABENCH if set, else dmabench from the build tree or PATH,
# else it builds the user-space part once (configure --without-linux) in
# $DMABENCH_CACHE (default /var/cache/dmabench, or ~/.cache/dmabench).
# The test bed's own builds are static and may be arm64, so not those.
# Returns 1 with one line on stderr when there is none.
hostbench_src=$(cd "$(dirname "$0")/.." && pwd)

hostbench_build() {
	cache=${DMABENCH_CACHE:-/var/cache/dmabench}
	mkdir -p "$cache" 2>/dev/null && [ -w "$cache" ] ||
		cache=${XDG_CACHE_HOME:-$HOME/.cache}/dmabench
	b=$cache/build-host-$(printf %s "$hostbench_src" | md5sum | cut -c1-8)
	echo "$1: building dmabench for this host in $b" >&2
	mkdir -p "$b" || return 1
	if [ ! -x "$hostbench_src/configure" ]; then
		(cd "$hostbench_src" && autoreconf -fi) >"$b/autoreconf.log" 2>&1 ||
			{ cat "$b/autoreconf.log" >&2; return 1; }
	fi
	if [ ! -f "$b/config.status" ]; then
		(cd "$b" && "$hostbench_src/configure" --without-linux) \
			>"$b/configure.log" 2>&1 ||
			{ tail -n 20 "$b/configure.log" >&2; return 1; }
	fi
	make -C "$b/bench" >"$b/make.log" 2>&1 ||
		{ tail -n 20 "$b/make.log" >&2; return 1; }
	DMABENCH=$b/bench/dmabench
}

hostbench_find() {
	[ -z "${DMABENCH:-}" ] || return 0
	if [ -x "$hostbench_src/bench/dmabench" ]; then
		DMABENCH=$hostbench_src/bench/dmabench
	elif command -v dmabench >/dev/null 2>&1; then
		DMABENCH=dmabench
	elif ! hostbench_build "$1"; then
		echo "$1: no dmabench binary and building one failed: build it (see README) or set DMABENCH" >&2
		return 1
	fi
}
