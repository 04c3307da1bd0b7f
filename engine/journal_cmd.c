/*
 * journal_cmd.c - `interdict journal [-q] PATH...`: print journal
 * records as JSON lines.
 *
 * Design: each PATH is a journal file, or a journal prefix/directory
 * (as journal.path), which expands to all its files in order.  Every
 * record becomes one line
 *   {"seq":N,"topic":"...","partition":P,"offset":O,
 *    "lists_version":"...","verdict":{...}}
 * with the stored verdict JSON embedded verbatim.  A torn tail (or a
 * corrupt record) is reported on stderr with the byte offset and the
 * number of bytes not read; that is expected after a crash, so the
 * exit status stays 0.  Exit 1 for bad usage or a file that cannot be
 * opened or is not a journal.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "commands.h"
#include "journal.h"

static void put_json_string(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c < 0x20)
			fprintf(out, "\\u%04x", c);
		else
			fputc(c, out);
	}
	fputc('"', out);
}

static void print_record(FILE *out, uint64_t seq, const journal_rec *rec)
{
	size_t len = rec->len;

	while (len > 0 && (rec->verdict_json[len - 1] == '\n' ||
			   rec->verdict_json[len - 1] == '\r'))
		len--;
	fprintf(out, "{\"seq\":%llu,\"topic\":", (unsigned long long)seq);
	put_json_string(out, rec->topic);
	fprintf(out, ",\"partition\":%d,\"offset\":%lld,\"lists_version\":",
		rec->partition, (long long)rec->offset);
	put_json_string(out, rec->lists_version);
	fputs(",\"verdict\":", out);
	if (len)
		fwrite(rec->verdict_json, 1, len, out);
	else
		fputs("null", out);
	fputs("}\n", out);
}

/* Print one file; 0 (also after a torn tail) or -1. */
static int dump_file(const char *path, int quiet)
{
	char err[512];
	journal_reader *r = journal_reader_open(path, err, sizeof(err));
	journal_rec rec;
	uint64_t seq;
	int rc;

	if (!r) {
		fprintf(stderr, "interdict journal: %s\n", err);
		return -1;
	}
	while ((rc = journal_reader_next(r, &rec, &seq)) == 1)
		if (!quiet)
			print_record(stdout, seq, &rec);
	if (rc == -EBADMSG) {
		uint64_t off = journal_reader_offset(r);

		fprintf(stderr,
			"interdict journal: %s: torn tail at byte %llu: "
			"%llu bytes not read\n",
			path, (unsigned long long)off,
			(unsigned long long)(journal_reader_size(r) - off));
	} else if (rc < 0) {
		fprintf(stderr, "interdict journal: %s: %s\n", path,
			strerror(-rc));
	}
	journal_reader_close(r);
	return rc == 0 || rc == -EBADMSG ? 0 : -1;
}

static int dump_path(const char *path, int quiet)
{
	struct stat st;
	char **files;
	int n, rc = 0;

	if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
		return dump_file(path, quiet);
	n = journal_list_files(path, &files);
	if (n <= 0) {
		fprintf(stderr, "interdict journal: %s: %s\n", path,
			n == 0 ? "no journal files" : strerror(-n));
		return -1;
	}
	for (int i = 0; i < n && rc == 0; i++)
		rc = dump_file(files[i], quiet);
	journal_files_free(files, n);
	return rc;
}

static void usage(FILE *out)
{
	fputs("usage: interdict journal [-q] PATH...\n"
	      "  PATH  a journal file, or a journal.path prefix/directory\n"
	      "  -q    only check (report torn tails), print nothing\n",
	      out);
}

int cmd_journal(int argc, char **argv)
{
	int c, quiet = 0, rc = 0;

	optind = 1;
	while ((c = getopt(argc, argv, "qh")) != -1) {
		switch (c) {
		case 'q':
			quiet = 1;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 1;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return 1;
	}
	for (int i = optind; i < argc; i++)
		if (dump_path(argv[i], quiet) < 0)
			rc = 1;
	if (fflush(stdout) != 0)
		rc = 1;
	return rc;
}
