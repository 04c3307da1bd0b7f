/*
 * legalform.c - recognise legal-form designators in normalised names.
 *
 * "OOO Rosoboroneksport", "Rosoboroneksport LLC" and "Obshchestvo s
 * ogranichennoy otvetstvennostyu Rosoboroneksport" name one company;
 * the scorer must see the designator, drop it from the distinctive
 * tokens and compare its family (OOO == LLC).  Designators are kept as
 * a const table of token patterns over the normalised form (periods
 * already deleted, so "A.Ş." is "as" and "Sp. z o.o." is "sp z oo").
 * A pattern is tokens separated by single spaces; a token may list
 * alternatives with '|', which covers the spellings of the Russian
 * and Ukrainian long forms under every transliteration standard
 * without listing their product.  The longest pattern wins.
 */
#include <pthread.h>
#include <stdint.h>
#include <string.h>

#include "norm.h"

typedef struct lf_entry {
	const char *pat;
	enum norm_lf_kind kind;
} lf_entry;

#define OBSH "obshchestvo|obshhestvo|obshestvo|obschestvo"
#define AKTS "aktsionernoe|aktsionernoye|aktsionernoie|akcionernoe"
#define OGR "ogranichennoy|ogranichennoi|ogranichennoj"
#define OTV "otvetstvennostyu|otvetstvennostiu|otvetstvennostju"
#define PRED "predpriyatie|predpriiatie|predprijatie|predpriyatiye"
#define UNIT "unitarnoe|unitarnoye|unitarnoie"
#define GOS "gosudarstvennoe|gosudarstvennoye|gosudarstvennoie"
#define JSCO "joint stock company|co"

static const lf_entry lf_table[] = {
	/* limited liability */
	{ "ooo", NORM_LF_LLC },
	{ "llc", NORM_LF_LLC },
	{ "ltd|limited", NORM_LF_LLC },
	{ "ltd sti", NORM_LF_LLC },
	{ "co|company ltd|limited", NORM_LF_LLC },
	{ "pvt|private|pte|pty ltd|limited", NORM_LF_LLC },
	{ "sdn bhd", NORM_LF_LLC },
	{ "bhd", NORM_LF_LLC },
	{ "gmbh", NORM_LF_LLC },
	{ "sarl", NORM_LF_LLC },
	{ "sa rl", NORM_LF_LLC },
	{ "srl", NORM_LF_LLC },
	{ "sro", NORM_LF_LLC },
	{ "spol s ro", NORM_LF_LLC },
	{ "sp z oo", NORM_LF_LLC },
	{ "sp zoo", NORM_LF_LLC },
	{ "spzoo", NORM_LF_LLC },
	{ "sl", NORM_LF_LLC },
	{ "slu", NORM_LF_LLC },
	{ "ltda", NORM_LF_LLC },
	{ "tov", NORM_LF_LLC },
	{ "too", NORM_LF_LLC },
	{ "doo", NORM_LF_LLC },
	{ "ood", NORM_LF_LLC },
	{ "eood", NORM_LF_LLC },
	{ "kft", NORM_LF_LLC },
	{ "uab", NORM_LF_LLC },
	{ "sia", NORM_LF_LLC },
	{ "bvba", NORM_LF_LLC },
	{ "aps", NORM_LF_LLC },
	{ "limited liability company|co", NORM_LF_LLC },
	{ OBSH " s " OGR " " OTV, NORM_LF_LLC },
	{ "tovarishchestvo|tovarishestvo s " OGR " " OTV, NORM_LF_LLC },
	{ "tovarystvo|tovarystva z obmezhenoiu|obmezhenoyu|obmezhenoju "
	  "vidpovidalnistiu|vidpovidalnistyu|vidpovidalnistju",
	  NORM_LF_LLC },
	{ "gesellschaft mit beschrankter haftung", NORM_LF_LLC },
	{ "limited company", NORM_LF_LLC },
	{ "ou", NORM_LF_LLC },
	{ "pt", NORM_LF_LLC },
	{ "perseroan terbatas", NORM_LF_LLC },
	{ "sendirian berhad", NORM_LF_LLC },
	{ "berhad", NORM_LF_LLC },
	{ "spolka z ograniczona odpowiedzialnoscia", NORM_LF_LLC },
	{ "korlatolt felelossegu tarsasag", NORM_LF_LLC },
	{ "zrt|nyrt", NORM_LF_JSC },
	{ "spolka akcyjna", NORM_LF_JSC },
	{ "societa a responsabilita limitata", NORM_LF_LLC },
	{ "sociedad de responsabilidad limitada", NORM_LF_LLC },
	{ "sociedade limitada", NORM_LF_LLC },
	{ "sociedad anonima|anonyme", NORM_LF_JSC },
	{ "societa per azioni", NORM_LF_JSC },
	{ "besloten vennootschap", NORM_LF_LLC },
	{ "naamloze vennootschap", NORM_LF_JSC },
	{ "osakeyhtio", NORM_LF_LLC },
	{ "aktiebolag|aktieselskab|aksjeselskap", NORM_LF_JSC },
	{ "kabushiki gaisha|kaisha", NORM_LF_OTHER },
	{ "yugen kaisha|gaisha", NORM_LF_LLC },
	{ "societe a responsabilite limitee", NORM_LF_LLC },
	/* joint-stock */
	{ "ao", NORM_LF_JSC },
	{ "zao", NORM_LF_JSC },
	{ "oao", NORM_LF_JSC },
	{ "jsc", NORM_LF_JSC },
	{ "cjsc", NORM_LF_JSC },
	{ "ojsc", NORM_LF_JSC },
	{ "as", NORM_LF_JSC },
	{ "a s", NORM_LF_JSC },
	{ "asa", NORM_LF_JSC },
	{ "ag", NORM_LF_JSC },
	{ "sa", NORM_LF_JSC },
	{ "sas", NORM_LF_JSC },
	{ "spa", NORM_LF_JSC },
	{ "ad", NORM_LF_JSC },
	{ "prat", NORM_LF_JSC },
	{ "vat", NORM_LF_JSC },
	{ "zat", NORM_LF_JSC },
	{ "sa de cv", NORM_LF_JSC },
	{ "aktiengesellschaft", NORM_LF_JSC },
	{ "anonim sirketi", NORM_LF_JSC },
	{ "societe anonyme", NORM_LF_JSC },
	{ JSCO, NORM_LF_JSC },
	{ "jointstock company|co", NORM_LF_JSC },
	{ "closed|open|private|nonpublic " JSCO, NORM_LF_JSC },
	{ AKTS " " OBSH, NORM_LF_JSC },
	{ "zakrytoe|zakrytoye|zakrytoie|otkrytoe|otkrytoye|otkrytoie|"
	  "nepublichnoe|nepublichnoye " AKTS " " OBSH, NORM_LF_JSC },
	{ "aktsionerne|akcionerne tovarystvo", NORM_LF_JSC },
	{ "pryvatne|zakryte|vidkryte aktsionerne|akcionerne tovarystvo",
	  NORM_LF_JSC },
	/* public joint-stock */
	{ "pao", NORM_LF_PJSC },
	{ "pjsc", NORM_LF_PJSC },
	{ "plc", NORM_LF_PJSC },
	{ "pat", NORM_LF_PJSC },
	{ "public " JSCO, NORM_LF_PJSC },
	{ "public limited company", NORM_LF_PJSC },
	{ "publichnoe|publichnoye|publichnoie " AKTS " " OBSH, NORM_LF_PJSC },
	{ "publichne aktsionerne|akcionerne tovarystvo", NORM_LF_PJSC },
	/* state */
	{ "fgup", NORM_LF_STATE },
	{ "gup", NORM_LF_STATE },
	{ "mup", NORM_LF_STATE },
	{ "sue", NORM_LF_STATE },
	{ "fsue", NORM_LF_STATE },
	{ "federalnoe|federalnoye|federalnoie " GOS " " UNIT " " PRED,
	  NORM_LF_STATE },
	{ GOS " " UNIT " " PRED, NORM_LF_STATE },
	{ "munitsipalnoe|munitsipalnoye|municipalnoe " UNIT " " PRED,
	  NORM_LF_STATE },
	{ "federal state unitary enterprise", NORM_LF_STATE },
	{ "state unitary enterprise", NORM_LF_STATE },
	/* free zone */
	{ "fze", NORM_LF_FREEZONE },
	{ "fzco", NORM_LF_FREEZONE },
	{ "fzc", NORM_LF_FREEZONE },
	{ "fzllc", NORM_LF_FREEZONE },
	{ "fz llc|co", NORM_LF_FREEZONE },
	{ "fze llc", NORM_LF_FREEZONE },
	/* partnerships */
	{ "llp", NORM_LF_PARTNER },
	{ "lp", NORM_LF_PARTNER },
	{ "lllp", NORM_LF_PARTNER },
	{ "kg", NORM_LF_PARTNER },
	{ "gmbh|ag co kg", NORM_LF_PARTNER },
	{ "sti", NORM_LF_PARTNER },
	{ "koll|kom sti", NORM_LF_PARTNER },
	{ "ohg", NORM_LF_PARTNER },
	{ "snc", NORM_LF_PARTNER },
	{ "limited|general partnership", NORM_LF_PARTNER },
	{ "limited liability partnership", NORM_LF_PARTNER },
	{ "sp j", NORM_LF_PARTNER },
	{ "sp k", NORM_LF_PARTNER },
	{ "ska", NORM_LF_PARTNER },
	{ "s k a", NORM_LF_PARTNER },
	{ "spolka jawna|komandytowa|partnerska", NORM_LF_PARTNER },
	{ "spolka komandytowo akcyjna", NORM_LF_PARTNER },
	{ "cv", NORM_LF_PARTNER },
	{ "commanditaire vennootschap", NORM_LF_PARTNER },
	{ "vennootschap onder firma", NORM_LF_PARTNER },
	{ "kommanditgesellschaft", NORM_LF_PARTNER },
	{ "offene handelsgesellschaft", NORM_LF_PARTNER },
	/* other incorporations */
	{ "inc|incorporated", NORM_LF_OTHER },
	{ "corp|corporation", NORM_LF_OTHER },
	{ "co|company", NORM_LF_OTHER },
	{ "bv", NORM_LF_OTHER },
	{ "nv", NORM_LF_OTHER },
	{ "oy|oyj", NORM_LF_OTHER },
	{ "ab", NORM_LF_OTHER },
	{ "kk", NORM_LF_OTHER },
	{ "kabushiki kaisha", NORM_LF_OTHER },
};

/*
 * Length of the one alternative of slot [a, end) that is a whole token
 * at tok[0..len), or 0.
 */
static size_t slot_match(const char *a, const char *end, const char *tok,
			 size_t len)
{
	while (a < end) {
		const char *bar = memchr(a, '|', (size_t)(end - a));
		size_t al = (size_t)((bar ? bar : end) - a);

		if (al <= len && !memcmp(tok, a, al) &&
		    (al == len || tok[al] == ' '))
			return al;
		if (!bar)
			break;
		a = bar + 1;
	}
	return 0;
}

/* Bytes of tok[0..len) covered by pattern pat, or 0. */
static size_t pat_match(const char *pat, const char *tok, size_t len)
{
	size_t pos = 0;

	for (;;) {
		const char *sp = strchr(pat, ' ');
		const char *end = sp ? sp : pat + strlen(pat);
		size_t m = slot_match(pat, end, tok + pos, len - pos);

		if (!m)
			return 0;
		pos += m;
		if (!sp)
			return pos;
		if (pos >= len || tok[pos] != ' ')
			return 0;
		pos++;
		pat = sp + 1;
	}
}

#define LF_N (sizeof(lf_table) / sizeof(lf_table[0]))

/* Per first byte of a token: the table rows whose first slot has an
 * alternative starting with it (built once), so a call tries a handful
 * of patterns instead of the whole table. */
static uint8_t lf_by_first[256][64];
static uint8_t lf_n_first[256];
static pthread_once_t lf_once = PTHREAD_ONCE_INIT;

static void lf_index(void)
{
	size_t i;

	for (i = 0; i < LF_N; i++) {
		const char *p = lf_table[i].pat;
		uint8_t seen[256] = {0};

		for (;;) {
			unsigned char c = (unsigned char)*p;

			if (!seen[c] && lf_n_first[c] < sizeof(lf_by_first[0])) {
				seen[c] = 1;
				lf_by_first[c][lf_n_first[c]++] = (uint8_t)i;
			}
			p += strcspn(p, "| ");
			if (*p != '|')
				break;
			p++;
		}
	}
}

size_t norm_legal_form(const char *tok, size_t len, enum norm_lf_kind *kind)
{
	size_t best = 0, i;
	enum norm_lf_kind k = NORM_LF_NONE;

	if (!tok)
		len = 0;
	if (len) {
		unsigned char c = (unsigned char)tok[0];

		pthread_once(&lf_once, lf_index);
		for (i = 0; i < lf_n_first[c]; i++) {
			const lf_entry *e = &lf_table[lf_by_first[c][i]];
			size_t m = pat_match(e->pat, tok, len);

			if (m > best) {
				best = m;
				k = e->kind;
			}
		}
	}
	if (kind)
		*kind = k;
	return best;
}
