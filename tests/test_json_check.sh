#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# tests/guest/json_check (the guest's JSON validator) on valid and invalid
# documents: RFC 8259 grammar, UTF-8, escapes, nesting, -u and -m; every
# refusal is one line naming the problem and its place.
set -u

JSON_CHECK=${JSON_CHECK:-$(dirname "$0")/guest/json_check}
pass=0
fail=0
TMP=$(mktemp -d /tmp/dmabench-test-json.XXXXXX) || exit 99
trap 'rm -rf "$TMP"' EXIT

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); printf 'FAIL: %s\n' "$*" >&2; }

# valid NAME PRINTF-FORMAT [OPTIONS...]: the document must be accepted
# silently
valid() {
	name=$1 doc=$2
	shift 2
	# shellcheck disable=SC2059
	printf "$doc" > "$TMP/doc"
	"$JSON_CHECK" "$@" < "$TMP/doc" > "$TMP/out" 2>&1
	rc=$?
	if [ $rc -ne 0 ]; then bad "valid $name: exit $rc: $(cat "$TMP/out")"
	elif [ -s "$TMP/out" ]; then bad "valid $name: printed $(cat "$TMP/out")"
	else ok
	fi
}

# invalid NAME PRINTF-FORMAT WORDS [OPTIONS...]: exit 1 and one line that
# contains WORDS (a fixed string)
invalid() {
	name=$1 doc=$2 words=$3
	shift 3
	# shellcheck disable=SC2059
	printf "$doc" > "$TMP/doc"
	"$JSON_CHECK" "$@" < "$TMP/doc" > "$TMP/out" 2>&1
	rc=$?
	if [ $rc -ne 1 ]; then bad "invalid $name: exit $rc (want 1): $(cat "$TMP/out")"
	elif [ "$(grep -c . "$TMP/out")" -ne 1 ]; then bad "invalid $name: not one line: $(cat "$TMP/out")"
	elif ! grep -qF -- "$words" "$TMP/out"; then bad "invalid $name: no '$words' in: $(cat "$TMP/out")"
	else ok
	fi
}

# scalars at the top level are JSON texts (RFC 8259, unlike 4627)
valid scalar_number '42'
valid scalar_string '"x"'
valid scalar_true ' true '
valid scalar_null 'null\n'
valid empty_object '{}'
valid empty_array '[ ]'
valid nested '{"a": [1, {"b": null}, [], {}], "c": {"d": [true, false]}}'
valid numbers '[0, -0, 1, -1, 0.5, -0.5, 10, 1e5, 1E+5, 1e-5, 12.34e-10, 123456789012345678901234567890]'
valid whitespace ' \t\r\n{ \t\r\n"a" \t\r\n: \t\r\n1 \t\r\n} \t\r\n'
valid escapes '"\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u0041 \\u00e9 \\u20AC"'
valid surrogate_pair '"\\ud83d\\ude00"'
valid utf8 '"\303\251 \342\202\254 \360\237\230\200"'
valid utf8_edges '"\302\200 \337\277 \340\240\200 \355\237\277 \356\200\200 \364\217\277\277"'
valid deep_1000 "$(i=0; while [ $i -lt 1000 ]; do printf '['; i=$((i + 1)); done; i=0; while [ $i -lt 1000 ]; do printf ']'; i=$((i + 1)); done)"
valid repeated_names_without_u '{"a": 1, "a": 2}'
valid unique_names '{"a": 1, "b": {"a": 2}, "c": [{"a": 3}, {"a": 4}]}' -u
valid escaped_names_differ '{"a": 1, "\\u0062": 2}' -u
valid members '{"metadata": {}, "rows": []}' -m metadata -m rows
valid member_escaped '{"\\u0072ows": []}' -m rows
valid dmabench_like '{\n  "metadata": {"platform": "qemu-tcg", "kernel": "6.1.0"},\n  "rows": [\n    {"test": "map_single", "p50_ns": 1234, "mean_ns": 1.5e3}\n  ]\n}\n' -u -m metadata -m rows

invalid empty '' 'empty input'
invalid only_space ' \n\t ' 'empty input'
invalid bom '\357\273\277{}' 'byte order mark'
invalid trailing_comma_array '[1, 2,]' 'expected a value'
invalid trailing_comma_object '{"a": 1,}' 'expected a member name'
invalid missing_comma '[1 2]' "expected ',' or ']'"
invalid missing_colon '{"a" 1}' "expected ':'"
invalid single_quotes "{'a': 1}" 'expected a member name'
invalid unquoted_name '{a: 1}' 'expected a member name'
invalid comment '{"a": 1 /* no */}' "expected ',' or '}'"
invalid leading_zero '[01]' 'leading zero'
invalid plus_sign '[+1]' 'expected a value'
invalid bare_dot '[1.]' "after the '.'"
invalid dot_first '[.5]' 'expected a value'
invalid exponent_empty '[1e]' 'exponent'
invalid minus_alone '[-]' 'number without digits'
invalid nan '[NaN]' 'expected a value'
invalid infinity '[Infinity]' 'expected a value'
invalid hex_number '[0x10]' "expected ',' or ']'"
invalid true_caps 'True' 'expected a value'
invalid truncated_literal 'nul' 'expected a value'
invalid two_values '{} {}' 'text after the JSON value'
invalid garbage_after '[1] x' 'text after'
invalid unclosed_array '[1, 2' 'array not closed'
invalid unclosed_object '{"a": 1' 'object not closed'
invalid unclosed_string '"abc' 'string not closed'
invalid unbalanced_close '[1]]' 'text after'
invalid control_char '"a\tb"' 'control character'
invalid newline_in_string '"a\nb"' 'control character'
invalid nul_in_string '"a\000b"' 'control character'
invalid bad_escape '"\\x41"' 'unknown escape'
invalid short_u '"\\u12"' 'four hex digits'
invalid u_not_hex '"\\u12G4"' 'four hex digits'
invalid lone_high_surrogate '"\\ud83d"' 'high surrogate'
invalid high_then_other '"\\ud83d\\u0041"' 'high surrogate'
invalid lone_low_surrogate '"\\ude00"' 'low surrogate'
invalid latin1 '"caf\351"' 'invalid UTF-8'
invalid overlong_slash '"\300\257"' 'invalid UTF-8'
invalid overlong_3 '"\340\200\257"' 'invalid UTF-8'
invalid utf8_surrogate '"\355\240\200"' 'invalid UTF-8'
invalid above_10ffff '"\364\220\200\200"' 'invalid UTF-8'
invalid truncated_utf8 '"\342\202"' 'invalid UTF-8'
invalid continuation_alone '"\200"' 'invalid UTF-8'
invalid utf8_outside_string '\303\251' 'expected a value'
invalid deep_1001 "$(i=0; while [ $i -lt 1001 ]; do printf '['; i=$((i + 1)); done; i=0; while [ $i -lt 1001 ]; do printf ']'; i=$((i + 1)); done)" 'nested deeper than 1000'
invalid repeated_name '{"a": 1, "b": 2, "a": 3}' 'member name "a" repeated' -u
invalid repeated_after_escape '{"a": 1, "\\u0061": 2}' 'member name "a" repeated' -u
invalid repeated_nested '{"x": {"k": 1, "k": 2}}' 'repeated' -u
invalid missing_member '{"metadata": {}}' 'no member "rows"' -m metadata -m rows
invalid member_only_nested '{"a": {"rows": []}}' 'no member "rows"' -m rows
invalid member_not_object '[{"rows": []}]' 'not an object' -m rows
# the place of the problem: line and column
invalid where '{\n  "a": 1,\n  "b": 01\n}' 'line 3, column 8'

# usage errors: exit 2
"$JSON_CHECK" -x < /dev/null > /dev/null 2>&1
[ $? -eq 2 ] && ok || bad "json_check -x: exit not 2"
"$JSON_CHECK" -m < /dev/null > /dev/null 2>&1
[ $? -eq 2 ] && ok || bad "json_check -m without a name: exit not 2"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
