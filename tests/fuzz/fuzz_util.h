/*
 * fuzz_util.h - helpers shared by the libFuzzer targets in tests/fuzz/.
 *
 * Header-only (static functions) so each fuzz_*.c stays one translation
 * unit.  Nothing here keeps state between calls except the lazily made
 * temp folder of fuzz_tmpdir(), which is per process and removed at exit.
 */
#ifndef INTERDICT_FUZZ_UTIL_H
#define INTERDICT_FUZZ_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "lists/loader.h"
#include "model.h"

/* abort() with a message: libFuzzer reports it as a crash. */
#define FUZZ_CHECK(cond, ...)                                            \
	do {                                                             \
		if (!(cond)) {                                           \
			fprintf(stderr, "fuzz check failed: %s (%s:%d): ", \
				#cond, __FILE__, __LINE__);              \
			fprintf(stderr, __VA_ARGS__);                    \
			fputc('\n', stderr);                             \
			abort();                                         \
		}                                                        \
	} while (0)

/* Strict UTF-8 (no overlongs, no surrogates, <= U+10FFFF), written here
 * independently of norm_utf8_valid() so the two can be compared. */
static inline int fuzz_utf8_valid(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;

	while (i < n) {
		unsigned c = s[i], need;
		uint32_t cp, min;

		if (c < 0x80) {
			i++;
			continue;
		} else if (c >= 0xc2 && c <= 0xdf) {
			need = 1, cp = c & 0x1f, min = 0x80;
		} else if (c >= 0xe0 && c <= 0xef) {
			need = 2, cp = c & 0x0f, min = 0x800;
		} else if (c >= 0xf0 && c <= 0xf4) {
			need = 3, cp = c & 0x07, min = 0x10000;
		} else {
			return 0;
		}
		if (n - i <= need)
			return 0;
		for (unsigned k = 1; k <= need; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return 0;
			cp = cp << 6 | (s[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		i += need + 1;
	}
	return 1;
}

/* errstr must be NUL-terminated inside its buffer. */
static inline void fuzz_check_err(const char *err, size_t cap)
{
	FUZZ_CHECK(memchr(err, '\0', cap) != NULL, "error text not terminated");
}

/*
 * Write data to an anonymous memory file; path receives
 * "/proc/self/fd/N".  Returns the fd (close it when done) or -1.
 */
static inline int fuzz_memfile(const uint8_t *data, size_t size, char *path,
			       size_t cap)
{
	int fd = memfd_create("interdict-fuzz", MFD_CLOEXEC);
	size_t off = 0;

	if (fd < 0)
		return -1;
	while (off < size) {
		ssize_t w = write(fd, data + off, size - off);

		if (w <= 0) {
			close(fd);
			return -1;
		}
		off += (size_t)w;
	}
	snprintf(path, cap, "/proc/self/fd/%d", fd);
	return fd;
}

/* Invariants every successfully loaded list must hold. */
static inline void fuzz_check_list(const wl_list *l)
{
	FUZZ_CHECK(l->priv == NULL, "list not finished");
	for (uint32_t i = 0; i < l->n_entities; i++) {
		const wl_entity *e = &l->entities[i];

		FUZZ_CHECK(e->idx == i, "entity %u has idx %u", i, e->idx);
		FUZZ_CHECK(e->type < WL_ENT__COUNT, "entity %u type %u", i,
			   e->type);
		FUZZ_CHECK(e->id != NULL, "entity %u has no id", i);
		FUZZ_CHECK(e->programs != NULL, "entity %u programs NULL", i);
		for (uint32_t k = 0; k < e->n_names; k++) {
			const char *t = e->names[k].text;

			FUZZ_CHECK(t && fuzz_utf8_valid(t, strlen(t)),
				   "entity %s name %u not UTF-8", e->id, k);
			FUZZ_CHECK(e->names[k].strength < WL_NAME__COUNT,
				   "bad strength");
			FUZZ_CHECK(e->names[k].script < WL_SCRIPT__COUNT,
				   "bad script");
		}
		for (uint32_t k = 0; k < e->n_ids; k++)
			FUZZ_CHECK(e->ids[k].value &&
					   e->ids[k].type < WL_ID__COUNT,
				   "entity %s id %u", e->id, k);
		for (uint32_t k = 0; k < e->n_countries; k++) {
			const char *c = e->countries[k];

			FUZZ_CHECK(c[0] >= 'A' && c[0] <= 'Z' && c[1] >= 'A' &&
					   c[1] <= 'Z' && c[2] == '\0',
				   "entity %s country %u not alpha-2", e->id,
				   k);
		}
		for (uint32_t k = 0; k < e->n_attrs; k++)
			FUZZ_CHECK(e->attrs[k].key && e->attrs[k].value,
				   "entity %s attr %u NULL", e->id, k);
	}
	for (uint32_t i = 0; i < l->n_goods; i++) {
		size_t n = strnlen(l->goods[i].hs, sizeof(l->goods[i].hs));

		FUZZ_CHECK(n >= 2 && n <= 10, "good %u hs length %zu", i, n);
		for (size_t k = 0; k < n; k++)
			FUZZ_CHECK(l->goods[i].hs[k] >= '0' &&
					   l->goods[i].hs[k] <= '9',
				   "good %u hs not digits", i);
		FUZZ_CHECK(memchr(l->goods[i].tier, '\0',
				  sizeof(l->goods[i].tier)),
			   "good %u tier not terminated", i);
	}
	(void)wl_list_memory(l);
}

/*
 * The body of every single-file loader target: put the input in a
 * memory file, load it as format, check the result, free it.  Leaks on
 * the error path are caught by LeakSanitizer.
 */
static inline void fuzz_load_one(const char *format, const uint8_t *data,
				 size_t size)
{
	char path[64], err[512];
	wl_list *l = NULL;
	int fd = fuzz_memfile(data, size, path, sizeof(path));
	int rc;

	if (fd < 0)
		return;
	rc = wl_load(NULL, format, path, &l, err, sizeof(err));
	fuzz_check_err(err, sizeof(err));
	if (rc == 0) {
		FUZZ_CHECK(l != NULL, "wl_load returned 0 but no list");
		fuzz_check_list(l);
		wl_list_free(l);
	} else {
		FUZZ_CHECK(l == NULL, "wl_load failed (%d) but set a list", rc);
		FUZZ_CHECK(err[0] != '\0', "wl_load failed (%d) silently", rc);
	}
	close(fd);
}

#endif
