/*
 * loader.c - "[ID=]FORMAT:PATH" to a finished wl_list.
 *
 * The dispatcher owns the list's lifetime during a load: it creates
 * the list, lets the format's loader fill it, and either finishes it
 * or frees it, so a failed load can never leave a half-built list
 * behind (the "never half-loads" contract of loader.h).
 */
#include "loader.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

typedef int (*load_fn)(wl_list *, const char *, char *, size_t);

static const struct {
	const char *format;
	const char *default_id; /* NULL: the file's stem */
	load_fn fn;
} formats[] = {
	{ "ofac-csv", "ofac", wl_load_ofac },
	{ "un-xml", "un", wl_load_un },
	{ "eu-xml", "eu", wl_load_eu },
	{ "uk-csv", "uk", wl_load_uk },
	{ "csl-csv", "us-csl", wl_load_csl },
	{ "ftm", NULL, wl_load_ftm },
	{ "chpl-csv", "chpl", wl_load_chpl },
	{ "interdict-csv", NULL, wl_load_icsv },
};

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* "dir/eu_journal_russia_belarus.ftm.json" -> "eu_journal_russia_belarus" */
static void stem(const char *path, char *out, size_t cap)
{
	const char *b = strrchr(path, '/');
	size_t n;

	b = b ? b + 1 : path;
	n = strcspn(b, ".");
	if (n >= cap)
		n = cap - 1;
	memcpy(out, b, n);
	out[n] = '\0';
}

static int parse_options(char *format, unsigned *flags, char *errstr,
			 size_t errlen)
{
	/* '+' and not ',' because config files separate specs by commas. */
	char *opt = strchr(format, '+'), *save = NULL;

	*flags = 0;
	if (!opt)
		return 0;
	*opt++ = '\0';
	for (char *o = strtok_r(opt, "+", &save); o;
	     o = strtok_r(NULL, "+", &save)) {
		if (!strcmp(o, "skip-truncated-tail")) {
			*flags |= WL_LOAD_SKIP_TRUNCATED_TAIL;
			continue;
		}
		snprintf(errstr, errlen, "unknown list option '%s'", o);
		return -EINVAL;
	}
	return 0;
}

int wl_load(const char *id, const char *format_opts, const char *path,
	    wl_list **out, char *errstr, size_t errlen)
{
	char format[64];
	unsigned flags;
	char sid[32];
	wl_list *l;
	double t0;
	int rc;

	*out = NULL;
	snprintf(format, sizeof(format), "%s", format_opts);
	if (parse_options(format, &flags, errstr, errlen) < 0)
		return -EINVAL;
	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		if (strcmp(format, formats[i].format))
			continue;
		if (id && *id)
			snprintf(sid, sizeof(sid), "%s", id);
		else if (formats[i].default_id)
			snprintf(sid, sizeof(sid), "%s", formats[i].default_id);
		else
			stem(path, sid, sizeof(sid));
		l = wl_list_new(sid, format, path);
		if (!l) {
			snprintf(errstr, errlen, "%s: out of memory", path);
			return -ENOMEM;
		}
		l->load_flags = flags;
		t0 = now_ms();
		errstr[0] = '\0';
		rc = formats[i].fn(l, path, errstr, errlen);
		if (rc == 0)
			rc = wl_list_finish(l);
		if (rc < 0) {
			if (!errstr[0])
				snprintf(errstr, errlen, "%s: %s", path,
					 strerror(-rc));
			wl_list_free(l);
			return rc;
		}
		if (id && *id) /* an explicit id wins over the loader's */
			snprintf(l->id, sizeof(l->id), "%s", id);
		l->load_ms = now_ms() - t0;
		*out = l;
		return 0;
	}
	snprintf(errstr, errlen,
		 "%s: unknown list format '%s' (expected ofac-csv, un-xml, "
		 "eu-xml, uk-csv, csl-csv, ftm, chpl-csv, interdict-csv)",
		 path, format);
	return -EINVAL;
}

int wl_load_spec(const char *spec, wl_list **out, char *errstr,
		 size_t errlen)
{
	char buf[1024], *id = NULL, *fmt, *path, *eq, *colon;

	if (snprintf(buf, sizeof(buf), "%s", spec) >= (int)sizeof(buf)) {
		snprintf(errstr, errlen, "list spec too long");
		return -EINVAL;
	}
	fmt = buf;
	colon = strchr(buf, ':');
	eq = strchr(buf, '=');
	if (eq && (!colon || eq < colon)) {
		*eq = '\0';
		id = buf;
		fmt = eq + 1;
	}
	colon = strchr(fmt, ':');
	if (!colon || colon == fmt || !colon[1]) {
		snprintf(errstr, errlen,
			 "bad list spec '%s': expected [ID=]FORMAT:PATH", spec);
		return -EINVAL;
	}
	*colon = '\0';
	path = colon + 1;
	return wl_load(id, fmt, path, out, errstr, errlen);
}
