// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * CSV and JSON writers: the exact CSV header, RFC 4180 quoting, a row
 * written and parsed back field by field, JSON string escaping, a JSON
 * document that a strict parser accepts, and the text table's width and
 * emulation NOTE.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "util/output.h"

static const char csv_header[] =
	"test,device,dma_ops,domain_type,size,nents,threads,dir,phase,ops,"
	"mean_ns,stddev_ns,p50_ns,p90_ns,p99_ns,p999_ns,max_ns,ops_per_sec,"
	"min_ns,errors,status,elapsed_ns,timer_overhead_ns,platform,"
	"scope,flush,devices,domains,instances,iova_bits,live,slow_allocs,"
	"inval_per_buf_ns,seg_size,layout,dma_segs_min,dma_segs_max,attrs,"
	"coherency,coherent,bounced,thread_ops_per_sec_min,"
	"thread_ops_per_sec_max,align,depth,order,hold,pairs,footprint,size_mix,"
	"size_class,footprint_mapped,queue_min_ns,queue_mean_ns,queue_max_ns,"
	"time_s" TIMING_HEADER "\n";

#define N_CSV 63		/* columns of a run CSV (not a sweep's) */

/* Render with @fn into a malloc'ed string. */
#define CAPTURE(buf, call)						\
	do {								\
		size_t len_;						\
		FILE *f_ = open_memstream(&(buf), &len_);		\
		FILE *f = f_;						\
		call;							\
		fclose(f_);						\
	} while (0)

static void sample_row(struct result_row *r)
{
	memset(r, 0, sizeof(*r));
	strcpy(r->test, "map_single");
	strcpy(r->device, "0000:00:03.0");
	strcpy(r->dma_ops, "iommu");
	strcpy(r->domain_type, "DMA-FQ");
	r->size = 65536;
	r->nents = 1;
	r->threads = 4;
	strcpy(r->dir, "bidir");
	strcpy(r->phase, "map");
	r->st.ops = 123456789;
	r->st.mean_ns = 1234.56;
	r->st.stddev_ns = 78.91;
	r->st.p50_ns = 1200;
	r->st.p90_ns = 1300;
	r->st.p99_ns = 2000;
	r->st.p999_ns = 5000;
	r->st.max_ns = 99999;
	r->st.min_ns = 800;
	r->st.ops_per_sec = 24691357.8;
	r->errors = 3;
	strcpy(r->status, "done");
	r->elapsed_ns = 5000000123ULL;
	r->timer_overhead_ns = 21.5;
	strcpy(r->platform, "qemu-emulated");
}

/* The name of CSV column @i of a run (results columns, no sweep ones). */
static const char *csv_name(int i)
{
	for (unsigned c = 0; c < NCOLS; c++) {
		const struct column *col = &result_columns[c];

		if (!(col->files & FILES_R) || col->shown == SHOWN_SWEEP)
			continue;
		if (!i--)
			return col->name;
	}
	return "?";
}

/* Split one CSV record (RFC 4180) into fields; returns the count. */
static int csv_split(const char *line, char fields[][128], int max)
{
	int n = 0;
	const char *p = line;

	while (n < max) {
		size_t k = 0;

		if (*p == '"') {
			p++;
			while (*p && !(*p == '"' && p[1] != '"')) {
				if (*p == '"')
					p++;
				fields[n][k++] = *p++;
			}
			p++;	/* closing quote */
		} else {
			while (*p && *p != ',' && *p != '\n')
				fields[n][k++] = *p++;
		}
		fields[n++][k] = '\0';
		if (*p != ',')
			break;
		p++;
	}
	return n;
}

static void test_csv(void)
{
	static const char *const want[] = {
		"map_single", "0000:00:03.0", "iommu", "DMA-FQ", "65536", "1",
		"4", "bidir", "map", "123456789", "1234.6", "78.9", "1200",
		"1300", "2000", "5000", "99999", "24691357.8", "800", "3",
		"done", "5000000123", "21.500", "qemu-emulated",
		/* not an IOMMU test: the IOMMU columns stay empty */
		"", "", "", "", "", "", "", "", "",
		/* nor the DMA-API ones the row does not fill */
		"", "", "", "", "", "", "", "", "", "",
		/* align: always written */
		"0",
		/* no shape, no pairs, no --interval: empty */
		"", "", "", "", "", "", "", "", "", "", "", "",
		/* the timing columns: the row has none */
		"", "", "", "", "", "", "",
	};
	struct result_row row;
	char fields[64][128];
	char *buf = NULL, *line2;
	int n;

	CAPTURE(buf, output_csv_header(f));
	CHECK(!strcmp(buf, csv_header), "header:\n%s", buf);
	free(buf);

	sample_row(&row);
	CAPTURE(buf, output_csv_row(f, &row));
	n = csv_split(buf, fields, 64);
	CHECK(n == N_CSV, "%d fields in '%s'", n, buf);
	for (int i = 0; i < n && i < N_CSV; i++)
		CHECK(!strcmp(fields[i], want[i]), "column %s: '%s' want '%s'",
		      csv_name(i), fields[i], want[i]);
	free(buf);

	/* quoting: a comma, a quote and a newline survive a round trip */
	strcpy(row.device, "odd,name \"x\"");
	strcpy(row.platform, "line1\nline2");
	CAPTURE(buf, output_csv_row(f, &row));
	CHECK(strstr(buf, ",\"odd,name \"\"x\"\"\",") != NULL, "quoted: %s",
	      buf);
	n = csv_split(buf, fields, 64);
	CHECK(n == N_CSV && !strcmp(fields[1], "odd,name \"x\"") &&
	      !strcmp(fields[23], "line1\nline2"), "round trip: %d '%s' '%s'",
	      n, fields[1], fields[23]);
	free(buf);

	/* output_write: header then rows */
	sample_row(&row);
	{
		struct run_meta m;

		memset(&m, 0, sizeof(m));
		strcpy(m.platform, "native");
		CAPTURE(buf, output_write(f, OUTPUT_CSV, &m, &row, 1));
	}
	line2 = strchr(buf, '\n');
	CHECK(line2 && !strncmp(buf, csv_header, strlen(csv_header)) &&
	      !strncmp(line2 + 1, "map_single,", 11), "csv doc: %s", buf);
	free(buf);
}

static void json_escape_case(const char *in, const char *want)
{
	char *buf = NULL;

	CAPTURE(buf, output_json_string(f, in));
	CHECK(!strcmp(buf, want), "escape: got %s want %s", buf, want);
	free(buf);
}

/* A strict JSON syntax checker: enough to prove the writer's output. */
struct jp {
	const char *p;
	int objects;
};

static int jp_value(struct jp *j);

static void jp_ws(struct jp *j)
{
	while (*j->p == ' ' || *j->p == '\n' || *j->p == '\t' || *j->p == '\r')
		j->p++;
}

static int jp_string(struct jp *j)
{
	if (*j->p != '"')
		return -1;
	for (j->p++; *j->p != '"'; j->p++) {
		unsigned char c = (unsigned char)*j->p;

		if (c < 0x20)
			return -1;
		if (c == '\\') {
			j->p++;
			if (*j->p == 'u') {
				for (int i = 1; i <= 4; i++)
					if (!isxdigit((unsigned char)j->p[i]))
						return -1;
				j->p += 4;
			} else if (!strchr("\"\\/bfnrt", *j->p) || !*j->p) {
				return -1;
			}
		}
	}
	j->p++;
	return 0;
}

static int jp_number(struct jp *j)
{
	const char *s = j->p;

	if (*j->p == '-')
		j->p++;
	if (!isdigit((unsigned char)*j->p))
		return -1;
	if (*j->p == '0' && isdigit((unsigned char)j->p[1]))
		return -1;	/* no leading zeros */
	while (isdigit((unsigned char)*j->p))
		j->p++;
	if (*j->p == '.') {
		j->p++;
		if (!isdigit((unsigned char)*j->p))
			return -1;
		while (isdigit((unsigned char)*j->p))
			j->p++;
	}
	return j->p > s ? 0 : -1;
}

static int jp_container(struct jp *j, char open, char close)
{
	j->p++;
	jp_ws(j);
	if (*j->p == close) {
		j->p++;
		return 0;
	}
	for (;;) {
		jp_ws(j);
		if (open == '{') {
			if (jp_string(j))
				return -1;
			jp_ws(j);
			if (*j->p++ != ':')
				return -1;
		}
		if (jp_value(j))
			return -1;
		jp_ws(j);
		if (*j->p == ',') {
			j->p++;
			continue;
		}
		if (*j->p++ != close)
			return -1;
		return 0;
	}
}

static int jp_value(struct jp *j)
{
	jp_ws(j);
	switch (*j->p) {
	case '{':
		j->objects++;
		return jp_container(j, '{', '}');
	case '[':
		return jp_container(j, '[', ']');
	case '"':
		return jp_string(j);
	case 'n':
		if (strncmp(j->p, "null", 4))
			return -1;
		j->p += 4;
		return 0;
	default:
		return jp_number(j);
	}
}

static int json_valid(const char *doc, int *objects)
{
	struct jp j = { .p = doc };

	if (jp_value(&j))
		return 0;
	jp_ws(&j);
	*objects = j.objects;
	return *j.p == '\0';
}

static void test_json(void)
{
	struct result_row rows[3];
	struct run_meta m;
	char *buf = NULL;
	int objects = 0;

	json_escape_case("plain", "\"plain\"");
	json_escape_case("a\"b\\c", "\"a\\\"b\\\\c\"");
	json_escape_case("tab\there\nnl\r", "\"tab\\there\\nnl\\r\"");
	json_escape_case("\x01\x1f\x7f", "\"\\u0001\\u001f\\u007f\"");
	json_escape_case("caf\xc3\xa9", "\"caf\xc3\xa9\"");
	json_escape_case("", "\"\"");

	/* the checker itself must reject bad documents */
	CHECK(!json_valid("{\"a\": 1,}", &objects), "trailing comma accepted");
	CHECK(!json_valid("{\"a\": \"x\ny\"}", &objects), "raw newline");
	CHECK(!json_valid("{\"a\": 01}", &objects), "leading zero");
	CHECK(json_valid("{\"a\": [1, 2.5, \"\\u00e9\"]}", &objects), "valid");

	memset(&m, 0, sizeof(m));
	strcpy(m.version, "0.1");
	strcpy(m.kernel_release, "6.1.0-test");
	m.cmdline = strdup("console=ttyS0 quote=\"x\" back\\slash");
	strcpy(m.arch, "x86_64");
	strcpy(m.cpu_model, "QEMU TCG CPU");
	strcpy(m.board, "QEMU Standard PC (Q35 + ICH9, 2009)");
	strcpy(m.iommu_drivers[0], "dmar");
	strcpy(m.iommu_drivers[1], "arm-smmu-v3");
	m.n_iommu_drivers = 2;
	m.timer_overhead_ns = 20.25;
	strcpy(m.date, "2024-01-02T03:04:05Z");
	strcpy(m.placement, "cpus 0-1");
	strcpy(m.platform, "qemu-emulated");
	m.command = strdup("dmabench run --test map_single");
	for (int i = 0; i < 3; i++) {
		sample_row(&rows[i]);
		rows[i].threads = (uint32_t)i + 1;
	}
	strcpy(rows[2].device, "we\"ird\\dev\t");

	CAPTURE(buf, output_json(f, &m, rows, 3));
	CHECK(json_valid(buf, &objects), "invalid JSON:\n%s", buf);
	/* top level + metadata + 3 rows */
	CHECK(objects == 5, "%d objects", objects);
	CHECK(strstr(buf, "\"kernel_cmdline\": \"console=ttyS0 quote=\\\"x\\\" "
		      "back\\\\slash\"") != NULL, "cmdline escaping");
	CHECK(strstr(buf, "\"iommu_drivers\": [\"dmar\", \"arm-smmu-v3\"]"),
	      "iommu drivers");
	CHECK(strstr(buf, "\"device\": \"we\\\"ird\\\\dev\\t\""), "row escape");
	CHECK(strstr(buf, "\"test\": \"map_single\", \"device\": "
		      "\"0000:00:03.0\", \"dma_ops\": \"iommu\", "
		      "\"domain_type\": \"DMA-FQ\", \"size\": 65536, "
		      "\"nents\": 1, \"threads\": 1,"), "row keys:\n%s", buf);
	CHECK(strstr(buf, "\"platform\": \"qemu-emulated\", \"scope\": \"\", "
		      "\"flush\": \"\", \"devices\": null,"), "IOMMU keys empty");
	CHECK(strstr(buf, "\"inval_per_buf_ns\": null, \"seg_size\": null, "
		      "\"layout\": \"\", \"dma_segs_min\": null, "
		      "\"dma_segs_max\": null, \"attrs\": \"\", "
		      "\"coherency\": \"\", \"coherent\": \"\", "
		      "\"bounced\": null, \"thread_ops_per_sec_min\": null, "
		      "\"thread_ops_per_sec_max\": null, \"align\": 0, "
		      "\"depth\": null, \"order\": \"\", \"hold\": \"\", "
		      "\"pairs\": \"\", \"footprint\": null, "
		      "\"size_mix\": \"\", \"size_class\": \"\", "
		      "\"footprint_mapped\": null, \"queue_min_ns\": null, "
		      "\"queue_mean_ns\": null, \"queue_max_ns\": null, "
		      "\"time_s\": null, "
		      "\"timing\": \"\", \"clock\": \"\", \"clock_res_ns\": null, "
		      "\"clock_share\": null, \"warmup_ops\": null, "
		      "\"drift_pct\": null, \"drift\": \"\", "
		      "\"thread_ops_per_sec\": []}"), "last keys:\n%s", buf);
	CHECK(strstr(buf, "\"timer_overhead_ns\": 20.250"), "metadata number");
	free(buf);

	CAPTURE(buf, output_json(f, &m, rows, 0));
	CHECK(json_valid(buf, &objects) && objects == 2 &&
	      strstr(buf, "\"rows\": []"), "empty rows:\n%s", buf);
	free(buf);
	free(m.cmdline);
	free(m.command);
}

static void test_text(void)
{
	struct result_row rows[2];
	struct run_meta m;
	char *buf = NULL, *line, *save = NULL;
	size_t widest = 0;

	memset(&m, 0, sizeof(m));
	strcpy(m.version, "0.1");
	strcpy(m.kernel_release, "6.12.0-1-amd64");
	strcpy(m.arch, "x86_64");
	strcpy(m.placement, "any");
	strcpy(m.platform, "qemu-emulated");
	sample_row(&rows[0]);
	sample_row(&rows[1]);
	strcpy(rows[1].phase, "unmap");

	CAPTURE(buf, output_text(f, &m, rows, 2));
	CHECK(!strncmp(buf, "NOTE: qemu-emulated platform", 28), "NOTE:\n%s",
	      buf);
	CHECK(strstr(buf, "size 64K, threads 4, dir bidir"), "config:\n%s",
	      buf);
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		if (strlen(line) > widest)
			widest = strlen(line);
	CHECK(widest <= 80, "text is %zu columns wide", widest);
	free(buf);

	strcpy(m.platform, "native");
	CAPTURE(buf, output_text(f, &m, rows, 2));
	CHECK(!strstr(buf, "NOTE"), "NOTE on native:\n%s", buf);
	CHECK(strstr(buf, "\nmap    123456789   1234.6    1200    1300    "
		      "2000    5000    99999   24691358\n") != NULL,
	      "phase line:\n%s", buf);
	free(buf);
}

/* An IOMMU test row (iommu_map): its columns, text with long phases. */
static void iommu_sample(struct result_row *r, const char *phase)
{
	sample_row(r);
	strcpy(r->test, "iommu_map");
	strcpy(r->device, "all");
	strcpy(r->phase, phase);
	r->iommu = 1;
	strcpy(r->scope, "per-instance");
	strcpy(r->flush, "batch:32");
	r->ndevices = 4;
	r->ndomains = 1;
	r->ninstances = 1;
	r->iova_bits = 48;
	r->live = 16;
	r->slow_allocs = 7;
	r->inval_per_buf_ns = 12.25;
}

static void test_iommu_columns(void)
{
	struct result_row rows[2];
	struct run_meta m;
	char fields[64][128];
	char *buf = NULL, *p, *q;
	int n, objects;

	iommu_sample(&rows[0], "iova_alloc");
	iommu_sample(&rows[1], "map");
	CAPTURE(buf, output_csv_row(f, &rows[0]));
	n = csv_split(buf, fields, 64);
	CHECK(n == N_CSV, "%d fields", n);
	if (n == N_CSV) {
		static const char *const want[] = {
			"per-instance", "batch:32", "4", "1", "1", "48", "16",
			"7", "12.2",
		};

		for (int i = 0; i < 9; i++)
			CHECK(!strcmp(fields[24 + i], want[i]),
			      "column %s: '%s' want '%s'",
			      csv_name(24 + i), fields[24 + i],
			      want[i]);
		CHECK(!strcmp(fields[8], "iova_alloc"), "phase %s", fields[8]);
	}
	free(buf);

	memset(&m, 0, sizeof(m));
	strcpy(m.platform, "native");
	CAPTURE(buf, output_json(f, &m, rows, 2));
	CHECK(json_valid(buf, &objects) && objects == 4, "json:\n%s", buf);
	CHECK(strstr(buf, "\"scope\": \"per-instance\", \"flush\": "
		      "\"batch:32\", \"devices\": 4, \"domains\": 1, "
		      "\"instances\": 1, \"iova_bits\": 48, \"live\": 16, "
		      "\"slow_allocs\": 7, \"inval_per_buf_ns\": 12.2,"),
	      "json iommu keys:\n%s", buf);
	free(buf);

	/* text: the config line names scope/flush; phases stay aligned */
	CAPTURE(buf, output_text(f, &m, rows, 2));
	CHECK(strstr(buf, "per-instance, flush batch:32"), "text:\n%s", buf);
	CHECK(strstr(buf, "invalidation 12.2 ns per buffer, 7 slow"),
	      "text inval:\n%s", buf);
	p = strstr(buf, "\niova_alloc ");
	q = strstr(buf, "\nmap        ");
	CHECK(p && q, "phase names padded to the longest:\n%s", buf);
	if (p && q) {
		/* the ops numbers end in the same column */
		size_t a = strcspn(p + 1, "0123456789");
		size_t b = strcspn(q + 1, "0123456789");

		CHECK(a == b, "ops columns %zu vs %zu:\n%s", a, b, buf);
	}
	p = strstr(buf, "\nphase      ");
	CHECK(p != NULL, "header padded:\n%s", buf);
	{
		/* 80 columns with the long phase names and wide numbers */
		size_t widest = 0;
		char *line, *save = NULL;

		for (line = strtok_r(buf, "\n", &save); line;
		     line = strtok_r(NULL, "\n", &save))
			if (strlen(line) > widest)
				widest = strlen(line);
		CHECK(widest <= 80, "iommu text is %zu columns wide",
		      widest);
	}
	free(buf);
}

/* A map_sg row with every DMA-API column filled; an alloc row. */
static void test_dma_columns(void)
{
	static const char *const want[] = {
		"65536", "scattered", "3", "16", "", "noncoherent", "no", "7",
		"100.0", "300.0",
	};
	struct result_row rows[2];
	struct run_meta m;
	char fields[64][128];
	char *buf = NULL;
	int n, objects;

	sample_row(&rows[0]);
	strcpy(rows[0].test, "map_sg");
	rows[0].nents = 16;
	rows[0].size = 16 * 65536;
	rows[0].sg = 1;
	rows[0].seg_size = 65536;
	strcpy(rows[0].layout, "scattered");
	rows[0].dma_segs_min = 3;
	rows[0].dma_segs_max = 16;
	strcpy(rows[0].coherency, "noncoherent");
	strcpy(rows[0].coherent, "no");
	rows[0].has_bounced = 1;
	rows[0].bounced = 7;
	rows[0].nthread_rates = 3;
	rows[0].thread_rate[0] = 200;
	rows[0].thread_rate[1] = 100;
	rows[0].thread_rate[2] = 300;
	rows[0].thread_rate_min = 100;
	rows[0].thread_rate_max = 300;
	rows[0].threads = 3;
	sample_row(&rows[1]);
	rows[1].config = 1;
	strcpy(rows[1].test, "alloc");
	strcpy(rows[1].attrs, "WRITE_COMBINE|NO_KERNEL_MAPPING");
	strcpy(rows[1].coherency, "device");
	strcpy(rows[1].coherent, "yes");
	rows[1].has_bounced = 1;	/* 0 bounced: the warning */

	CAPTURE(buf, output_csv_row(f, &rows[0]));
	n = csv_split(buf, fields, 64);
	CHECK(n == N_CSV, "%d fields in %s", n, buf);
	for (int i = 0; n == N_CSV && i < 10; i++)
		CHECK(!strcmp(fields[33 + i], want[i]),
		      "column %s: '%s' want '%s'", csv_name(33 + i),
		      fields[33 + i], want[i]);
	CHECK(!strcmp(fields[5], "16"), "nents %s", fields[5]);
	free(buf);
	CAPTURE(buf, output_csv_row(f, &rows[1]));
	CHECK(strstr(buf, ",,,,,WRITE_COMBINE|NO_KERNEL_MAPPING,device,yes,0,,,0"
		     ",,,,,,,,,,,," NO_TIMING "\n"), "alloc row: %s", buf);
	free(buf);

	memset(&m, 0, sizeof(m));
	strcpy(m.platform, "native");
	CAPTURE(buf, output_json(f, &m, rows, 2));
	CHECK(json_valid(buf, &objects) && objects == 4, "json:\n%s", buf);
	CHECK(strstr(buf, "\"thread_ops_per_sec\": [200.0, 100.0, 300.0]}"),
	      "thread array:\n%s", buf);
	CHECK(strstr(buf, "\"layout\": \"scattered\", \"dma_segs_min\": 3"),
	      "json sg:\n%s", buf);
	free(buf);

	CAPTURE(buf, output_text(f, &m, rows, 2));
	CHECK(strstr(buf, "  16 x 64K scattered, DMA segments: 3..16\n"),
	      "text sg:\n%s", buf);
	CHECK(strstr(buf, "  coherency noncoherent (device coherent during "
		     "the run: no)\n"), "text coherency:\n%s", buf);
	CHECK(strstr(buf, "  bounced 7 of 123456789 mappings\n"),
	      "text bounced:\n%s", buf);
	CHECK(strstr(buf, "  per thread: 100 .. 300 ops/s (3 threads)\n"),
	      "text per thread:\n%s", buf);
	CHECK(strstr(buf, "  attrs WRITE_COMBINE|NO_KERNEL_MAPPING\n"),
	      "text attrs:\n%s", buf);
	CHECK(strstr(buf, "warning: no mapping bounced: the buffers lie below "
		     "the DMA mask; boot with swiotlb=force"),
	      "bounce warning:\n%s", buf);
	free(buf);
}

int main(void)
{
	enum output_format fmt;

	CHECK(output_parse_format("csv", &fmt) == 0 && fmt == OUTPUT_CSV, "csv");
	CHECK(output_parse_format("json", &fmt) == 0 && fmt == OUTPUT_JSON,
	      "json");
	CHECK(output_parse_format("xml", &fmt) == -1, "xml");
	CHECK(!strcmp(output_status_name(DMABENCH_STATUS_INTERRUPTED),
		      "interrupted"), "status name");
	test_csv();
	test_json();
	test_text();
	test_iommu_columns();
	test_dma_columns();
	return test_report();
}
