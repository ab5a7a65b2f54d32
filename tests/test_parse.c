// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Size, number, duration and list parsing; size and CPU-list formatting. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "util/parse-options.h"
#include "util/parse.h"

static void size_ok(const char *s, uint64_t want)
{
	uint64_t v = 0;
	enum parse_result r = parse_size(s, &v);

	CHECK(r == PARSE_OK && v == want, "'%s' -> %d, %llu (want %llu)", s,
	      r, (unsigned long long)v, (unsigned long long)want);
}

static void size_bad(const char *s, enum parse_result want)
{
	uint64_t v = 12345;
	enum parse_result r = parse_size(s, &v);

	CHECK(r == want && v == 12345, "'%s' -> %d (want %d), value %llu", s,
	      r, want, (unsigned long long)v);
}

static void test_sizes(void)
{
	size_ok("1", 1);
	size_ok("4096", 4096);
	size_ok("4K", 4096);
	size_ok("4k", 4096);
	size_ok("64K", 65536);
	size_ok("4KiB", 4096);
	size_ok("4KB", 4096);
	size_ok("1M", 1ULL << 20);
	size_ok("3m", 3ULL << 20);
	size_ok("1G", 1ULL << 30);
	size_ok("2T", 2ULL << 40);
	size_ok("007K", 7 * 1024);
	size_ok("18446744073709551615", UINT64_MAX);
	size_ok("16777215T", 16777215ULL << 40);

	size_bad("", PARSE_EMPTY);
	size_bad("0", PARSE_ZERO);
	size_bad("0K", PARSE_ZERO);
	size_bad("K", PARSE_GARBAGE);
	size_bad("abc", PARSE_GARBAGE);
	size_bad("-1", PARSE_GARBAGE);
	size_bad("+4K", PARSE_GARBAGE);
	size_bad(" 4K", PARSE_GARBAGE);
	size_bad("4K ", PARSE_GARBAGE);
	size_bad("4.5K", PARSE_GARBAGE);
	size_bad("4X", PARSE_SUFFIX);
	size_bad("4KX", PARSE_SUFFIX);
	size_bad("4Kb5", PARSE_GARBAGE);
	size_bad("4P", PARSE_SUFFIX);
	size_bad("0x10", PARSE_SUFFIX);
	size_bad("18446744073709551616", PARSE_OVERFLOW);
	size_bad("99999999999999999999999", PARSE_OVERFLOW);
	size_bad("16777216T", PARSE_OVERFLOW);	/* 2^64 */
	size_bad("17179869184G", PARSE_OVERFLOW);	/* 2^64 */
}

static void test_u64_seconds(void)
{
	uint64_t v = 0;

	CHECK(parse_u64("42", &v) == PARSE_OK && v == 42, "42");
	CHECK(parse_u64("0", &v) == PARSE_OK && v == 0, "0 is a number");
	CHECK(parse_u64("4K", &v) == PARSE_GARBAGE, "no suffix for counts");
	CHECK(parse_u64("-3", &v) == PARSE_GARBAGE, "negative");
	CHECK(parse_u64("", &v) == PARSE_EMPTY, "empty");

	CHECK(parse_seconds("5", &v) == PARSE_OK && v == 5000000000ULL, "5 s");
	CHECK(parse_seconds("0.25", &v) == PARSE_OK && v == 250000000ULL,
	      "0.25 s -> %llu", (unsigned long long)v);
	CHECK(parse_seconds(".5", &v) == PARSE_OK && v == 500000000ULL, ".5");
	CHECK(parse_seconds("0", &v) == PARSE_ZERO, "0 s");
	CHECK(parse_seconds("0.0000000001", &v) == PARSE_ZERO, "< 1 ns");
	CHECK(parse_seconds("-1", &v) == PARSE_GARBAGE, "-1");
	CHECK(parse_seconds("inf", &v) == PARSE_GARBAGE, "inf");
	CHECK(parse_seconds("nan", &v) == PARSE_GARBAGE, "nan");
	CHECK(parse_seconds("0x10", &v) == PARSE_GARBAGE, "hex");
	CHECK(parse_seconds("5s", &v) == PARSE_GARBAGE, "5s");
	CHECK(parse_seconds("", &v) == PARSE_EMPTY, "empty");
	CHECK(parse_seconds("1e30", &v) == PARSE_OVERFLOW, "1e30");
}

static void test_lists(void)
{
	const char *bad = NULL;
	uint64_t *v = NULL;
	size_t n = 0, badlen = 0;
	enum parse_result r;
	const char *s;

	r = parse_list("4K,64K,1M", parse_size, 1, 1ULL << 26, &v, &n, &bad,
		       &badlen);
	CHECK(r == PARSE_OK && n == 3 && v[0] == 4096 && v[1] == 65536 &&
	      v[2] == 1048576, "three sizes: r=%d n=%zu", r, n);
	free(v);
	v = NULL;

	r = parse_list("8", parse_u64, 1, 1024, &v, &n, &bad, &badlen);
	CHECK(r == PARSE_OK && n == 1 && v[0] == 8, "single");
	free(v);
	v = NULL;

	s = "4K,,8K";
	r = parse_list(s, parse_size, 1, 1ULL << 26, &v, &n, &bad, &badlen);
	CHECK(r == PARSE_EMPTY && bad == s + 3 && badlen == 0 && !v,
	      "empty item: r=%d off=%td", r, bad - s);

	s = "1,2,";
	r = parse_list(s, parse_u64, 1, 1024, &v, &n, &bad, &badlen);
	CHECK(r == PARSE_EMPTY && bad == s + 4, "trailing comma");

	s = "1,2048,3";
	r = parse_list(s, parse_u64, 1, 1024, &v, &n, &bad, &badlen);
	CHECK(r == PARSE_RANGE && bad == s + 2 && badlen == 4,
	      "range: r=%d", r);

	s = "4K,128M";
	r = parse_list(s, parse_size, 1, 64ULL << 20, &v, &n, &bad, &badlen);
	CHECK(r == PARSE_RANGE && bad == s + 3 && badlen == 4, "size range");

	s = "1,x";
	r = parse_list(s, parse_u64, 1, 1024, &v, &n, &bad, &badlen);
	CHECK(r == PARSE_GARBAGE && bad == s + 2, "garbage item");

	r = parse_list("", parse_u64, 1, 1024, &v, &n, &bad, &badlen);
	CHECK(r == PARSE_EMPTY, "empty list");
}

static void test_format(void)
{
	uint64_t bits[16] = { 0 };
	char buf[256], small[8];

	CHECK(!strcmp(format_size(4096, buf, sizeof(buf)), "4K"), "%s", buf);
	CHECK(!strcmp(format_size(1536, buf, sizeof(buf)), "1536"), "%s", buf);
	CHECK(!strcmp(format_size(64ULL << 20, buf, sizeof(buf)), "64M"),
	      "%s", buf);
	CHECK(!strcmp(format_size(3ULL << 30, buf, sizeof(buf)), "3G"),
	      "%s", buf);
	CHECK(!strcmp(format_size(1, buf, sizeof(buf)), "1"), "%s", buf);

	CHECK(!strcmp(format_cpulist(bits, 16, buf, sizeof(buf)), ""), "none");
	bits[0] = 0xf | (1 << 8) | (3 << 10);
	CHECK(!strcmp(format_cpulist(bits, 16, buf, sizeof(buf)),
		      "0-3,8,10-11"), "%s", buf);
	memset(bits, 0, sizeof(bits));
	bits[0] = 1ULL << 63;
	bits[1] = 1;
	bits[15] = 1ULL << 63;
	CHECK(!strcmp(format_cpulist(bits, 16, buf, sizeof(buf)),
		      "63-64,1023"), "%s", buf);
	bits[0] = 0x5555;	/* 0,2,4,...: too long for 8 bytes */
	format_cpulist(bits, 16, small, sizeof(small));
	CHECK(strlen(small) < sizeof(small) &&
	      !strcmp(small + strlen(small) - 3, "..."), "truncated '%s'",
	      small);

	str_copy(small, sizeof(small), "abcdefghij");
	CHECK(!strcmp(small, "abcdefg"), "str_copy '%s'", small);
}

/* ---- util/parse-options: a table of every kind ---- */

struct popts {
	int flag;
	uint32_t u32;
	uint64_t size;
	const char *str;
	uint32_t pick;
	uint64_t *sizes;
	size_t nsizes;
	uint32_t *picks;
	size_t npicks;
};

static const struct opt_name pick_names[] = {
	{ "one", 1, 0 }, { "two", 2, 0 }, { "deux", 2, 1 }, { NULL, 0, 0 },
};

static const struct parse_opt ptable[] = {
	OPT_FLAG('F', "flag", struct popts, flag, "a flag"),
	OPT_UINT(0, "u32", struct popts, u32, 3, 9, "N", "three to nine"),
	OPT_SIZE('s', "size", struct popts, size, 1, 1 << 20, "S",
		 "a size\ncontinued"),
	OPT_STRING(0, "str", struct popts, str, "X", "a string"),
	OPT_ENUM(0, "pick", struct popts, pick, pick_names, "NAME", "one|two"),
	OPT_SIZE_LIST(0, "sizes", struct popts, sizes, nsizes, 1, 1 << 20,
		      "LIST", "sizes"),
	OPT_ENUM_LIST(0, "picks", struct popts, picks, npicks, pick_names,
		      "LIST", "names"),
	OPT_TEXT("Paragraph.\n"),
	OPT_END(),
};

static void test_parse_options(void)
{
	char *argv[] = {
		"x", "-F", "--u32", "5", "-s", "4K", "--str", "hi", "--pick",
		"DEUX", "--sizes", "1K,2K", "pos", "--sizes", "8K,16K",
		"--picks", "one,two,one", NULL,
	};
	unsigned char given[16] = { 0 };
	struct parse_ctx ctx = {
		.cmd = "x", .max_args = 1, .given = given,
		.ngiven = sizeof(given),
	};
	struct popts o = { 0 };
	char *help = NULL;
	size_t helplen = 0;
	FILE *f;
	int r = parse_options(&ctx, 17, argv, ptable, &o);

	CHECK(r == 0 && o.flag == 1 && o.u32 == 5 && o.size == 4096 &&
	      !strcmp(o.str, "hi") && o.pick == 2, "values: %d %u %llu",
	      r, o.u32, (unsigned long long)o.size);
	/* a list given twice: the last one wins */
	CHECK(o.nsizes == 2 && o.sizes[0] == 8192 && o.sizes[1] == 16384 &&
	      o.npicks == 3 && o.picks[1] == 2 && o.picks[2] == 1,
	      "lists: %zu %zu", o.nsizes, o.npicks);
	CHECK(ctx.nargs == 1 && !strcmp(ctx.args[0], "pos") && given[0] &&
	      given[6] && !given[7], "positional and given");
	CHECK(!strcmp(opt_name_of(pick_names, 2), "two"), "alias not named");
	fprintf(stderr, "(four usage errors expected:)\n");
	CHECK(parse_option_value("x", &ptable[1], "10", &o) == 2 &&
	      o.u32 == 5, "out of range kept %u", o.u32);
	CHECK(parse_option_value("x", &ptable[4], "one,two", &o) == 2 &&
	      parse_option_value("x", &ptable[4], "three", &o) == 2 &&
	      o.pick == 2, "one enum name");
	CHECK(parse_option_value("x", &ptable[6], "one,,two", &o) == 2 &&
	      !o.picks, "bad list leaves none");
	parse_options_free(ptable, &o);
	CHECK(!o.sizes && !o.nsizes, "freed");

	f = open_memstream(&help, &helplen);
	if (!f)
		return;
	parse_options_usage(f, "usage: x\n", ptable);
	fclose(f);
	CHECK(strstr(help, "usage: x\n"
			   "  -h, --help              show this help and exit\n"
			   "  -F, --flag              a flag\n") &&
	      strstr(help, "      --u32 N             three to nine\n") &&
	      strstr(help, "  -s, --size S            a size\n"
			   "                          continued\n") &&
	      strstr(help, "names\nParagraph.\n"), "help:\n%s", help);
	free(help);
}

int main(void)
{
	test_sizes();
	test_u64_seconds();
	test_lists();
	test_format();
	test_parse_options();
	return test_report();
}
