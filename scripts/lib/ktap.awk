# scripts/lib/ktap.awk: reads a KTAP stream (Documentation/dev-tools/ktap.rst,
# version 1: nested documents indented by two spaces per level) and prints
# one line per result, for scripts/vm-test:
#   PASS path             ok
#   FAIL path: why        not ok (why: the "# path: why" line before it, or
#                         its directive)
#   SKIP path: reason     ok/not ok ... # SKIP reason
#   XFAIL path: reason    ok ... # XFAIL reason (an expected failure)
#   NOTE text             a problem with the stream itself (one line each)
# and last "PASS ktap_stream", or "FAIL ktap_stream: why" when the stream is
# malformed: no version line, no plan or a plan that does not match the
# results, results out of order, a parent "ok" over failed subtests, no
# top-level "# Totals:" line or totals that do not match, "Bail out!", or an
# end inside a subtest.  path is the names of the enclosing tests and the
# result's own, joined by "/".  Only leaves are results; a parent line is a
# result of its own only when it failed while none of its subtests did.
# Lines that are not KTAP (kernel messages on a console) are ignored.
# POSIX awk (mawk, gawk, busybox).

function problem(msg) {
	nprob++
	if (nprob == 1)
		first = msg
	print "NOTE ktap: line " NR ": " msg
}

# out(L, kind, path, msg): a result of level L; level 0's are printed, the
# others wait for their parent's name
function out(L, kind, path, msg,    i) {
	if (L == 0) {
		if (kind == "PASS")
			print "PASS " path
		else
			print kind " " path ": " msg
		return
	}
	i = ++nrec[L]
	rk[L, i] = kind
	rp[L, i] = path
	rm[L, i] = msg
}

# count(L, kind, err): one leaf result counted at level L
function count(L, kind, err) {
	if (kind == "PASS") cpass[L]++
	else if (kind == "SKIP") cskip[L]++
	else if (kind == "XFAIL") cxfail[L]++
	else if (err) cerror[L]++
	else cfail[L]++
}

# close_level(L, name): level L ends; its results move up under name
function close_level(L, name,    i, p) {
	if (!(L in plan))
		problem("subtests of '" name "' have no plan line")
	else if (plan[L] != nres[L])
		problem("subtests of '" name "': plan 1.." plan[L] " but " nres[L] " results")
	for (i = 1; i <= nrec[L]; i++)
		out(L - 1, rk[L, i], name "/" rp[L, i], rm[L, i])
	p = L - 1
	cpass[p] += cpass[L]; cfail[p] += cfail[L]; cxfail[p] += cxfail[L]
	cskip[p] += cskip[L]; cerror[p] += cerror[L]
	delete plan[L]
	nres[L] = nrec[L] = cpass[L] = cfail[L] = cxfail[L] = cskip[L] = cerror[L] = 0
	lastdiag[L] = ""
	subname[L] = ""
	depth = L - 1
}

function level_of(ind,    k) {
	for (k = depth; k >= 0; k--)
		if (indent[k] == ind)
			return k
	return -1
}

BEGIN { depth = -1; nprob = 0 }

{
	sub(/\r+$/, "")
	match($0, /^ */)
	ind = RLENGTH
	body = substr($0, ind + 1)
}

body ~ /^(KTAP version [0-9]+|TAP version 1[34])$/ {
	if (depth < 0) {
		if (started) {
			problem("a second top-level document")
			next
		}
		started = 1
		depth = 0
		indent[0] = ind
	} else if (ind > indent[depth]) {
		depth++
		indent[depth] = ind
		nres[depth] = nrec[depth] = 0
	} else {
		problem("version line inside a document")
	}
	next
}

depth < 0 { next }

body ~ /^1\.\.[0-9]+/ {
	L = level_of(ind)
	if (L < 0) next
	if (L != depth) {
		problem("plan line after the subtests of this level ended")
		next
	}
	if (L in plan) {
		problem("a second plan line")
		next
	}
	match(body, /^1\.\.[0-9]+/)
	plan[L] = substr(body, 4, RLENGTH - 3) + 0
	next
}

body ~ /^(not )?ok( |$)/ {
	L = level_of(ind)
	if (L < 0) next
	ok = body !~ /^not /
	rest = ok ? substr(body, 3) : substr(body, 7)
	sub(/^ +/, "", rest)
	num = ""
	if (match(rest, /^[0-9]+/)) {
		num = substr(rest, 1, RLENGTH) + 0
		rest = substr(rest, RLENGTH + 1)
	}
	directive = ""
	if ((h = index(rest, "#")) > 0) {
		directive = substr(rest, h + 1)
		rest = substr(rest, 1, h - 1)
		sub(/^ +/, "", directive)
		sub(/ +$/, "", directive)
	}
	name = rest
	sub(/^ +/, "", name)
	sub(/ +$/, "", name)
	if (name == "")
		name = "test" num
	parent = 0
	childbad = 0
	if (L < depth) {
		# the levels below L were this result's subtests
		while (depth > L + 1) {
			problem("subtests of '" subname[depth] "' without a result line of their own")
			close_level(depth, subname[depth] != "" ? subname[depth] : "?")
		}
		for (i = 1; i <= nrec[L + 1]; i++)
			if (rk[L + 1, i] == "FAIL")
				childbad++
		close_level(L + 1, name)
		parent = 1
	}
	nres[L]++
	if (num != nres[L])
		problem("result '" name "' is number " num ", expected " nres[L])
	kind = ok ? "PASS" : "FAIL"
	err = 0
	msg = ""
	d = toupper(directive)
	if (d ~ /^SKIP([^A-Z]|$)/) {
		kind = "SKIP"
		msg = substr(directive, 5)
	} else if (d ~ /^(XFAIL|TODO)([^A-Z]|$)/) {
		kind = ok ? "XFAIL" : "FAIL"
		msg = directive
		sub(/^[A-Za-z]+ */, "", msg)
	} else if (!ok) {
		err = d ~ /^(ERROR|TIMEOUT)([^A-Z]|$)/
		msg = lastdiag[L]
		if (index(msg, name ": ") == 1)
			msg = substr(msg, length(name) + 3)
		if (msg == "")
			msg = directive
		if (msg == "")
			msg = "not ok"
	}
	sub(/^ +/, "", msg)
	lastdiag[L] = ""
	if (parent) {
		if (kind == "PASS" && childbad)
			problem("'" name "' is ok, but " childbad " of its subtests failed")
		else if (kind == "FAIL" && !childbad) {
			# a failure of the parent's own: counted, but in no totals
			out(L, "FAIL", name, msg)
		}
		next
	}
	count(L, kind, err)
	out(L, kind, name, msg)
	next
}

body ~ /^# Totals:/ {
	L = level_of(ind)
	if (L < 0) next
	while (depth > L) {
		problem("subtests of '" subname[depth] "' without a result line of their own")
		close_level(depth, subname[depth] != "" ? subname[depth] : "?")
	}
	split("pass fail xfail xpass skip error", keys, " ")
	for (k in keys) tv[keys[k]] = -1
	n = split(substr(body, 10), parts, " ")
	for (i = 1; i <= n; i++)
		if ((c = index(parts[i], ":")) > 0)
			tv[substr(parts[i], 1, c - 1)] = substr(parts[i], c + 1) + 0
	got = "pass:" cpass[L] + 0 " fail:" cfail[L] + 0 " xfail:" cxfail[L] + 0 " xpass:0 skip:" cskip[L] + 0 " error:" cerror[L] + 0
	said = "pass:" tv["pass"] " fail:" tv["fail"] " xfail:" tv["xfail"] " xpass:" tv["xpass"] " skip:" tv["skip"] " error:" tv["error"]
	if (said != got)
		problem("totals say " said ", the results " got)
	if (L == 0)
		totals = 1
	next
}

body ~ /^Bail out!/ {
	problem(body)
	next
}

body ~ /^# Subtest: / {
	L = level_of(ind)
	if (L >= 0)
		subname[L] = substr(body, 12)
	next
}

body ~ /^#/ {
	L = level_of(ind)
	if (L >= 0) {
		lastdiag[L] = substr(body, 2)
		sub(/^ +/, "", lastdiag[L])
	}
	next
}

END {
	if (!started) {
		problem("no KTAP version line")
	} else {
		if (depth > 0)
			problem("the stream ends inside the subtests of '" subname[depth] "' (level " depth ")")
		while (depth > 0)
			close_level(depth, subname[depth] != "" ? subname[depth] : "?")
		if (!(0 in plan))
			problem("no top-level plan line")
		else if (plan[0] != nres[0])
			problem("plan 1.." plan[0] " but " nres[0] " results")
		if (!totals)
			problem("no top-level \"# Totals:\" line")
	}
	if (nprob == 0)
		print "PASS ktap_stream"
	else
		print "FAIL ktap_stream: " first (nprob > 1 ? " (and " nprob - 1 " more problems)" : "")
}
