// SPDX-License-Identifier: GPL-2.0
/*
 * The table of tests: every line of dmabench_tests.h (name, fields,
 * phases) with its code, dmabench_ops_NAME.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/utsname.h>

#include "dmabench.h"

#define DMABENCH_TEST(_name, _fields, ...) {				\
	.name		= #_name,					\
	.fields		= _fields,					\
	.nphases	= DMABENCH_NPHASES(__VA_ARGS__),		\
	.phases		= { __VA_ARGS__ },				\
	.ops		= &dmabench_ops_##_name,			\
},

const struct dmabench_test dmabench_tests[] = {
#include "dmabench_tests.h"
};

#undef DMABENCH_TEST

const unsigned int dmabench_ntests = ARRAY_SIZE(dmabench_tests);

/* Does this kernel have what the test calls? */
bool dmabench_test_present(const struct dmabench_test *t)
{
	return t->ops->iterate || t->ops->phase[0].op;
}

const struct dmabench_test *dmabench_find_test(const char *name)
{
	const struct dmabench_test *t;

	for (t = dmabench_tests; t < dmabench_tests + dmabench_ntests; t++)
		if (dmabench_test_present(t) && !strcmp(t->name, name))
			return t;
	return NULL;
}

/* The tests a kernel may lack and the Linux version that brought their API. */
struct dmabench_need {
	const char *test;
	const char *version;
	const char *api;
};

#define DMABENCH_NEEDS(_name, _version, _api) {			\
	.test		= #_name,					\
	.version	= _version,					\
	.api		= _api,						\
},

static const struct dmabench_need dmabench_needs[] = {
#include "dmabench_needs.h"
};

#undef DMABENCH_NEEDS

/*
 * Is @name a test (or verify check) this kernel lacks?  Then say in one
 * line which Linux it needs; @what prefixes the line ("run: test").
 */
bool dmabench_test_lacking(const char *name, const char *what)
{
	const struct dmabench_need *n;

	for (n = dmabench_needs; n < dmabench_needs + ARRAY_SIZE(dmabench_needs);
	     n++) {
		if (strcmp(n->test, name))
			continue;
		pr_err_ratelimited("%s %s needs Linux %s (%s); this kernel is %s: run it on %s or later\n",
				   what, name, n->version, n->api,
				   utsname()->release, n->version);
		return true;
	}
	return false;
}
