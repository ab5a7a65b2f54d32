// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The result column table (util/columns.h) and the readers built on it:
 * the CSV and hist.csv headers are the table's names in order; rows
 * written, read back and written again are byte for byte the same; files
 * of older versions (fewer columns, unknown extra ones) load and match new
 * rows; bad files fail with the line and column named; the key keeps
 * configurations apart exactly by the table's roles.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"
#include "util/output.h"
#include "util/parse.h"
#include "util/resdir.h"

#define NROWS 5

static char tmpdir[] = "/tmp/dmabench-test-columns.XXXXXX";

#define CAPTURE(buf, call)						\
	do {								\
		size_t len_;						\
		FILE *f = open_memstream(&(buf), &len_);		\
		call;							\
		fclose(f);						\
	} while (0)

static void write_text(const char *name, const char *text)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	f = fopen(path, "w");
	if (!f) {
		perror(path);
		exit(99);
	}
	fputs(text, f);
	fclose(f);
}

static char *read_text(const char *name)
{
	static char buf[1 << 16];
	char path[256];
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	f = fopen(path, "r");
	n = f ? fread(buf, 1, sizeof(buf) - 1, f) : 0;
	buf[n] = '\0';
	if (f)
		fclose(f);
	return buf;
}

/* Rows that fill every part of the table: plain, IOMMU, map_sg, ... */
static void sample_rows(struct result_row *r)
{
	memset(r, 0, NROWS * sizeof(*r));
	for (int i = 0; i < NROWS; i++) {
		strcpy(r[i].test, "map_single");
		strcpy(r[i].device, "0000:00:03.0");
		strcpy(r[i].dma_ops, "iommu");
		strcpy(r[i].domain_type, "DMA");
		r[i].size = 4096u << i;
		r[i].nents = 1;
		r[i].threads = 2;
		strcpy(r[i].dir, "bidir");
		strcpy(r[i].phase, i & 1 ? "unmap" : "map");
		r[i].st.ops = 1000 + (uint64_t)i;
		r[i].st.mean_ns = 812.25;
		r[i].st.stddev_ns = 3.5;
		r[i].st.p50_ns = 800;
		r[i].st.p90_ns = 900;
		r[i].st.p99_ns = 990;
		r[i].st.p999_ns = 999;
		r[i].st.max_ns = 5000;
		r[i].st.min_ns = 700;
		r[i].st.ops_per_sec = 123456.7;
		strcpy(r[i].status, "done");
		r[i].elapsed_ns = 1000000;
		r[i].timer_overhead_ns = 25.125;
		strcpy(r[i].platform, "qemu-emulated");
		strcpy(r[i].coherency, "device");
		strcpy(r[i].coherent, "no");
		snprintf(r[i].job, sizeof(r[i].job), "job %d", i);
		r[i].rep = (uint32_t)i;
	}
	/* iommu_map: the IOMMU columns, a quoted job name */
	strcpy(r[1].test, "iommu_map");
	strcpy(r[1].job, "a,\"b\"");
	r[1].iommu = 1;
	strcpy(r[1].scope, "per-instance");
	strcpy(r[1].flush, "batch:32");
	r[1].ndevices = 4;
	r[1].ndomains = 1;
	r[1].ninstances = 1;
	r[1].iova_bits = 48;
	r[1].live = 16;
	r[1].slow_allocs = 7;
	r[1].inval_per_buf_ns = 12.5;
	r[1].coherency[0] = r[1].coherent[0] = '\0';
	/* map_sg: scatterlist, bounce and per-thread rates */
	strcpy(r[2].test, "map_sg");
	r[2].sg = 1;
	r[2].nents = 16;
	r[2].seg_size = 4096;
	strcpy(r[2].layout, "scattered");
	r[2].dma_segs_min = 3;
	r[2].dma_segs_max = 16;
	r[2].has_bounced = 1;
	r[2].bounced = 9;
	r[2].nthread_rates = 2;
	r[2].thread_rate_min = 100.5;
	r[2].thread_rate_max = 300.5;
	/* alloc: attributes and coherency */
	strcpy(r[3].test, "alloc");
	strcpy(r[3].attrs, "WRITE_COMBINE|NO_KERNEL_MAPPING");
	strcpy(r[3].coherency, "noncoherent");
	/* --align */
	r[4].align = 64;
}

static void test_headers(void)
{
	char want[2048] = "", *buf = NULL;

	for (unsigned i = 0; i < NCOLS; i++) {
		const struct column *c = &result_columns[i];

		CHECK(col_by_name(c->name) == c, "column %s named twice",
		      c->name);
		if ((c->files & FILES_R) && c->shown != SHOWN_SWEEP)
			snprintf(want + strlen(want),
				 sizeof(want) - strlen(want), "%s%s",
				 want[0] ? "," : "", c->name);
	}
	strcat(want, "\n");
	CAPTURE(buf, output_csv_header(f));
	CHECK(!strcmp(buf, want), "header %s, table %s", buf, want);
	/* the first 18 are a contract with scripts: pinned */
	CHECK(!strncmp(buf, "test,device,dma_ops,domain_type,size,nents,"
		       "threads,dir,phase,ops,mean_ns,stddev_ns,p50_ns,p90_ns,"
		       "p99_ns,p999_ns,max_ns,ops_per_sec,", 118), "%s", buf);
	free(buf);

	output_set_sweep(1);
	CAPTURE(buf, output_csv_header(f));
	CHECK(strstr(buf, ",queue_max_ns,time_s" TIMING_HEADER ",job,rep\n") &&
	      strlen(buf) == strlen(want) + strlen(",job,rep"),
	      "sweep header: %s", buf);
	free(buf);
	output_set_sweep(0);

	CAPTURE(buf, output_hist_header(f));
	CHECK(!strcmp(buf, "job,test,device,domain_type,size,nents,threads,"
		      "dir,phase,lower_ns,count,scope,flush,iova_bits,live,"
		      "seg_size,layout,attrs,coherency,bounce,align,depth,order,"
		      "hold,pairs,footprint,size_mix,size_class\n"),
	      "hist header: %s", buf);
	free(buf);
}

/* results.csv and hist.csv of @rows, the way sweep writes them. */
static void write_dir(const struct result_row *rows, int n)
{
	struct result_row h;
	char *buf = NULL;
	size_t len;
	FILE *f = open_memstream(&buf, &len);

	output_set_sweep(1);
	output_csv_header(f);
	for (int i = 0; i < n; i++)
		output_csv_row(f, &rows[i]);
	fclose(f);
	write_text("results.csv", buf);
	free(buf);
	f = open_memstream(&buf, &len);
	output_hist_header(f);
	for (int i = 0; i < n; i++)
		for (uint64_t b = 1; b <= 2; b++) {
			h = rows[i];
			h.hist_lower = 100 * b;
			h.hist_count = 10 * b + (uint64_t)i;
			output_hist_row(f, &h);
		}
	fclose(f);
	output_set_sweep(0);
	write_text("hist.csv", buf);
	free(buf);
}

static void test_round_trip(void)
{
	static struct result_row rows[NROWS];
	struct hist_cfg *h = NULL;
	struct rdir d;
	char err[512], *buf = NULL, *first;
	size_t len;
	long nh;
	FILE *f;

	sample_rows(rows);
	write_dir(rows, NROWS);
	first = strdup(read_text("results.csv"));
	CHECK(!rdir_load(tmpdir, &d, err, sizeof(err)) && d.n == NROWS,
	      "load: %s", err);
	for (size_t i = 0; i < d.n; i++)
		CHECK(row_same(&d.rows[i], &rows[i], config_key(1)),
		      "row %zu read back differs", i);
	output_set_sweep(1);
	f = open_memstream(&buf, &len);
	output_csv_header(f);
	for (size_t i = 0; i < d.n; i++)
		output_csv_row(f, &d.rows[i]);
	fclose(f);
	output_set_sweep(0);
	CHECK(first && !strcmp(buf, first), "written again:\n%s\nfirst:\n%s",
	      buf, first);
	free(buf);
	free(first);

	first = strdup(read_text("hist.csv"));
	nh = rdir_load_hist(tmpdir, &h, err, sizeof(err));
	CHECK(nh == NROWS, "%ld hist configurations: %s", nh, err);
	f = open_memstream(&buf, &len);
	output_hist_header(f);
	for (long i = 0; i < nh; i++) {
		CHECK(h[i].n == 2 && row_same(&h[i].row, &d.rows[i],
					       hist_key()),
		      "hist %ld: %zu buckets", i, h[i].n);
		for (size_t b = 0; b < h[i].n; b++) {
			h[i].row.hist_lower = h[i].b[b].lower;
			h[i].row.hist_count = h[i].b[b].count;
			output_hist_row(f, &h[i].row);
		}
	}
	fclose(f);
	CHECK(first && !strcmp(buf, first), "hist again:\n%s\nfirst:\n%s",
	      buf, first);
	free(buf);
	free(first);
	hist_cfgs_free(h, nh);
	rdir_free(&d);
}

/*
 * A results directory of dmabench 0.1 (the columns up to platform, then
 * job and rep) plus a column this version does not know: it loads, and
 * its rows are the same configurations as the new rows.
 */
static void test_old_format(void)
{
	static struct result_row rows[NROWS];
	struct hist_cfg *h = NULL;
	struct rdir d;
	char err[512];
	long nh;

	sample_rows(rows);
	write_text("results.csv",
		   "test,device,dma_ops,domain_type,size,nents,threads,dir,"
		   "phase,ops,mean_ns,stddev_ns,p50_ns,p90_ns,p99_ns,p999_ns,"
		   "max_ns,ops_per_sec,min_ns,errors,status,elapsed_ns,"
		   "timer_overhead_ns,platform,job,rep,cycles_per_op\n"
		   "map_single,0000:00:03.0,iommu,DMA,4096,1,2,bidir,map,1000,"
		   "812.2,3.5,800,900,990,999,5000,123456.7,700,0,done,1000000,"
		   "25.125,qemu-emulated,job 0,0,17.5\n");
	write_text("hist.csv",
		   "job,test,device,domain_type,size,nents,threads,dir,phase,"
		   "lower_ns,count\n"
		   "job 0,map_single,0000:00:03.0,DMA,4096,1,2,bidir,map,100,"
		   "10\n");
	CHECK(!rdir_load(tmpdir, &d, err, sizeof(err)) && d.n == 1,
	      "old results.csv: %s", err);
	if (d.n == 1) {
		/* "device" coherency (new) and no column (old) agree */
		CHECK(row_same(&d.rows[0], &rows[0], config_key(1)),
		      "old row is not the new row's configuration");
		CHECK(!d.rows[0].iommu && !d.rows[0].sg &&
		      !d.rows[0].has_bounced && !d.rows[0].align &&
		      !d.rows[0].coherency[0], "missing columns not empty");
		CHECK(!row_same(&d.rows[0], &rows[4], config_key(1)),
		      "align 64 matches the old row");
	}
	nh = rdir_load_hist(tmpdir, &h, err, sizeof(err));
	CHECK(nh == 1 && h[0].n == 1 && h[0].b[0].count == 10 &&
	      d.n == 1 && row_same(&h[0].row, &d.rows[0], hist_key()),
	      "old hist.csv: %ld %s", nh, err);
	hist_cfgs_free(h, nh > 0 ? nh : 0);
	rdir_free(&d);
}

/* load_error(results.csv text, what the error must say) */
static void load_error(const char *csv, const char *want)
{
	struct rdir d;
	char err[512] = "";

	write_text("results.csv", csv);
	CHECK(rdir_load(tmpdir, &d, err, sizeof(err)) == -1 &&
	      strstr(err, want), "want '%s', got '%s'", want, err);
}

static void test_bad_input(void)
{
	static const char hdr[] =
		"test,device,dma_ops,domain_type,size,nents,threads,dir,phase,"
		"mean_ns,p50_ns,p90_ns,p99_ns,p999_ns,max_ns,ops_per_sec\n";
	struct hist_cfg *h;
	char err[512] = "", text[1024];

	load_error("", "no column 'test': not a dmabench CSV");
	load_error("test,device\nx,y\n", "no column 'dma_ops'");
	load_error(hdr, "no results in it");
	snprintf(text, sizeof(text), "%sm,d,o,DMA,12x,1,1,bidir,map,1,1,1,1,"
		 "1,1,1\n", hdr);
	load_error(text, "results.csv:2: column 'size': '12x' is not a "
		   "valid value");
	snprintf(text, sizeof(text), "%sm,d,o,DMA,4096,1,-2,bidir,map,1,1,1,"
		 "1,1,1,1\n", hdr);
	load_error(text, "column 'threads': '-2'");
	snprintf(text, sizeof(text), "%sm,d,o,DMA,4096,1,4294967296,bidir,"
		 "map,1,1,1,1,1,1,1\n", hdr);
	load_error(text, "column 'threads': '4294967296'");
	snprintf(text, sizeof(text), "%sm,d,o,DMA,4096,1,1,bidir,map,fast,1,"
		 "1,1,1,1,1\n", hdr);
	load_error(text, "column 'mean_ns': 'fast'");
	/* a short last line (an interrupted sweep) is left out */
	snprintf(text, sizeof(text), "%sm,d,o,DMA,4096,1,1,bidir,map,1,1,1,"
		 "1,1,1,1\nm,d,o,DMA,8192,1\n", hdr);
	write_text("results.csv", text);
	{
		struct rdir d;

		CHECK(!rdir_load(tmpdir, &d, err, sizeof(err)) && d.n == 1,
		      "short line: %s", err);
		rdir_free(&d);
	}
	write_text("hist.csv", "job,test,device,domain_type,size,nents,"
		   "threads,dir,phase,lower_ns,count\n"
		   "j,m,d,DMA,4096,1,1,bidir,map,100,many\n");
	errno = 0;
	CHECK(rdir_load_hist(tmpdir, &h, err, sizeof(err)) == -1 &&
	      errno == EINVAL && strstr(err, "hist.csv:2: column 'count'"),
	      "hist: %s", err);
	write_text("hist.csv", "job,test\n");
	CHECK(rdir_load_hist(tmpdir, &h, err, sizeof(err)) == -1 &&
	      strstr(err, "no column 'device'") == NULL &&
	      strstr(err, "no column 'domain_type'"), "hist header: %s", err);
}

static void test_key(void)
{
	static struct result_row r[NROWS], a, b;
	char var[128];

	sample_rows(r);
	/* seg_size is in every key (it was not in the variant before) */
	a = r[2];
	b = r[2];
	b.seg_size = 8192;
	CHECK(!row_same(&a, &b, config_key(0)) &&
	      !row_same(&a, &b, hist_key()), "seg_size not in the key");
	CHECK(row_same(&a, &b, col_roles(ROLE_VARIANT)),
	      "seg_size splits the tables (it goes with size)");
	/* the default coherency and none at all agree */
	b = a;
	b.coherency[0] = '\0';
	CHECK(row_same(&a, &b, config_key(1)), "coherency default");
	/* align: a variant of its own */
	CHECK(!row_same(&r[0], &r[4], col_roles(ROLE_VARIANT)) &&
	      !strcmp(row_variant(&r[4], var, sizeof(var)), "align 64"),
	      "align variant: '%s'", var);
	CHECK(!strcmp(row_variant(&r[2], var, sizeof(var)),
		      "scattered, 16 entries, bounce"), "sg variant: %s", var);
	CHECK(!strcmp(row_variant(&r[1], var, sizeof(var)),
		      "per-instance, batch:32, live 16"), "iommu: %s", var);
	/* key order: job first, then test */
	a = r[0];
	b = r[0];
	strcpy(a.job, "a");
	strcpy(a.test, "z");
	strcpy(b.job, "b");
	strcpy(b.test, "a");
	CHECK(row_cmp(&a, &b, config_key(0)) < 0, "job sorts first");
	/* domain only with_domain; dma_ops never in hist */
	b = a;
	strcpy(b.domain_type, "DMA-FQ");
	strcpy(b.dma_ops, "direct");
	CHECK(row_same(&a, &b, config_key(0)) &&
	      !row_same(&a, &b, config_key(1)) &&
	      !row_same(&a, &b, hist_key()), "domain in the key");
	strcpy(b.domain_type, a.domain_type);
	CHECK(row_same(&a, &b, hist_key()), "dma_ops in hist_key");
}

/* Column sets span both words: columns 64 and up count like the others. */
static void test_colset(void)
{
	colset a = COLSET(COL_TEST, COL_TIME_S), b = { { 0 } };

	b = colset_add(b, 70);
	b = colset_add(b, 3);
	CHECK(colset_has(b, 70) && colset_has(b, 3) && !colset_has(b, 6) &&
	      !colset_has(b, 71) && !colset_has(b, 64),
	      "bits 3 and 70");
	b = colset_or(b, a);
	CHECK(colset_has(b, COL_TEST) && colset_has(b, COL_TIME_S) &&
	      colset_has(b, 70), "or");
	b = colset_minus(b, COLSET(COL_TEST, 70));
	CHECK(!colset_has(b, COL_TEST) && !colset_has(b, 70) &&
	      colset_has(b, 3) && colset_has(b, COL_TIME_S), "minus");
	CHECK(colset_has(col_roles(ROLE_SIZE), COL_SIZE_CLASS) &&
	      colset_has(col_roles(ROLE_VARIANT), COL_SIZE_MIX) &&
	      !colset_has(col_roles(ROLE_ALL), COL_TIME_S), "roles");
}


int main(void)
{
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 99;
	}
	test_headers();
	test_round_trip();
	test_old_format();
	test_bad_input();
	test_key();
	test_colset();
	{
		char path[300];

		snprintf(path, sizeof(path), "%s/results.csv", tmpdir);
		unlink(path);
		snprintf(path, sizeof(path), "%s/hist.csv", tmpdir);
		unlink(path);
		rmdir(tmpdir);
	}
	return test_report();
}
