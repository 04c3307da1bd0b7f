/*
 * loader.h - turn "FORMAT:PATH" into a finished wl_list.
 *
 * One loader per SPEC.md section 3 format.  Every loader fills a
 * wl_list created by the dispatcher through the model.h builder, then
 * the dispatcher calls wl_list_finish() and times the load.
 *
 * Contract for every wl_load_<format>():
 *   - returns 0 or -errno (-EINVAL for bad content, -ENOENT missing
 *     file, -ENOMEM); on error writes "file:line: reason" (or
 *     "file: reason" when no line applies) into errstr;
 *   - never crashes and never half-loads: on error the caller frees the
 *     list, so nothing partial is ever used;
 *   - non-fatal oddities (e.g. OFAC add/alt rows whose entry is absent
 *     from sdn.csv) increment l->warnings and print ONE summary line to
 *     stderr per kind, naming the file and the count.
 *   - sets l->id when the default from the dispatcher is not right.
 *
 * Spec syntax: "[ID=]FORMAT[,OPTION...]:PATH"; options set
 * l->load_flags (WL_LOAD_* in model.h).  Without ID the list id defaults to
 * the format's usual name: ofac-sdn / ofac-cons, un, eu, uk, us-csl,
 * chpl, the file's stem for ftm and interdict-csv.
 */
#ifndef INTERDICT_LOADER_H
#define INTERDICT_LOADER_H

#include <stddef.h>

#include "../model.h"

int wl_load_spec(const char *spec, wl_list **out, char *errstr,
		 size_t errlen);
int wl_load(const char *id, const char *format, const char *path,
	    wl_list **out, char *errstr, size_t errlen);

int wl_load_ofac(wl_list *l, const char *dir, char *errstr, size_t errlen);
int wl_load_un(wl_list *l, const char *path, char *errstr, size_t errlen);
int wl_load_eu(wl_list *l, const char *path, char *errstr, size_t errlen);
int wl_load_uk(wl_list *l, const char *path, char *errstr, size_t errlen);
int wl_load_csl(wl_list *l, const char *path, char *errstr, size_t errlen);
int wl_load_ftm(wl_list *l, const char *path, char *errstr, size_t errlen);
int wl_load_chpl(wl_list *l, const char *path, char *errstr, size_t errlen);
int wl_load_icsv(wl_list *l, const char *path, char *errstr, size_t errlen);

/* Loaders may call this to parse free-form "Remarks"-style text (OFAC
 * remarks, UN/EU/UK comments) into typed ids, dates, countries and
 * aliases of entity e.  Returns the number of parts it classified
 * (>= 0; unclassified parts are kept as attr "remark") or -ENOMEM.
 * Implemented in ofac_remarks.c. */
int wl_remarks_parse(wl_list *l, uint32_t e, const char *text, size_t len);

#endif
