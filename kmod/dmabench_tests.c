// SPDX-License-Identifier: GPL-2.0
/*
 * The table of tests: every line of dmabench_tests.h (name, fields,
 * phases) with its code, dmabench_ops_NAME.
 */
#include <linux/kernel.h>
#include <linux/string.h>

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
