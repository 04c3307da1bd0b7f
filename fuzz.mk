# fuzz.mk - libFuzzer targets for every parser (docs/fuzzing.md).
#
# Included by the main Makefile (`-include fuzz.mk`, after `all`), and
# also usable alone: `make -f fuzz.mk fuzz-build`.
#
#   make fuzz                      build, run every target FUZZ_SECONDS
#   make fuzz FUZZ_SECONDS=60      longer runs
#   make fuzz FUZZ_TARGETS="fuzz_json fuzz_event"   a subset
#   make fuzz-build                only build build/fuzz/bin/fuzz_*
#   make fuzz-smoke                seed corpus only (what `make test` runs)
#
# Each target tests/fuzz/fuzz_X.c links against the library sources
# (matchers/*.c matchers/lists/*.c, never engine/) compiled with clang
# and -fsanitize=fuzzer-no-link,address,undefined into build/fuzz/.
# Seeds are read from tests/fuzz/corpus/fuzz_X/ (never written); new
# corpus entries go to build/fuzz/corpus/fuzz_X/; crash, leak, timeout
# and OOM reproducers are copied to tests/fuzz/crashes/ and fail the run.

FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 20
FUZZ_FLAGS   ?= -timeout=10 -rss_limit_mb=2048 -print_final_stats=1
FUZZ_OUT     := build/fuzz
FUZZ_PKGS    := rdkafka liburing libxxhash libutf8proc libxml-2.0 \
                liburcu-qsbr libmicrohttpd icu-uc icu-i18n
FUZZ_PKG_CFLAGS := $(shell pkg-config --cflags $(FUZZ_PKGS) 2>/dev/null)
FUZZ_PKG_LIBS   := $(shell pkg-config --libs $(FUZZ_PKGS) 2>/dev/null)
FUZZ_SANFLAGS   := -fsanitize=address,undefined -fno-sanitize-recover=all \
                   -fno-omit-frame-pointer
FUZZ_CFLAGS  := -g -O1 -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror \
                -pthread -Imatchers -Iengine $(FUZZ_PKG_CFLAGS)

FUZZ_LIB_SRC := $(sort $(wildcard matchers/*.c matchers/lists/*.c))
FUZZ_LIB_OBJ := $(FUZZ_LIB_SRC:%.c=$(FUZZ_OUT)/obj/%.o)
FUZZ_LIB     := $(FUZZ_OUT)/libinterdict-fuzz.a
FUZZ_SRC     := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_ALL     := $(FUZZ_SRC:tests/fuzz/%.c=%)
FUZZ_TARGETS ?= $(FUZZ_ALL)
FUZZ_BIN     := $(FUZZ_ALL:%=$(FUZZ_OUT)/bin/%)

.PHONY: fuzz fuzz-build fuzz-smoke

$(FUZZ_OUT)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_SANFLAGS) -fsanitize=fuzzer-no-link \
		-MMD -MP -c $< -o $@

$(FUZZ_LIB): $(FUZZ_LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

# A static archive: a target links only the objects it needs, so a
# target whose parser does not use a half-written module still builds.
$(FUZZ_OUT)/bin/%: tests/fuzz/%.c tests/fuzz/fuzz_util.h $(FUZZ_LIB)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_SANFLAGS) -fsanitize=fuzzer \
		-MMD -MP -MF $@.d -o $@ $< $(FUZZ_LIB) $(FUZZ_PKG_LIBS) -lm

fuzz-build: $(FUZZ_BIN)

fuzz-smoke:
	@sh tests/integration/fuzz_smoke.sh

fuzz: fuzz-build
	@mkdir -p tests/fuzz/crashes; failed=""; \
	for t in $(FUZZ_TARGETS); do \
		art=$(FUZZ_OUT)/artifacts/$$t; corp=$(FUZZ_OUT)/corpus/$$t; \
		mkdir -p $$art $$corp tests/fuzz/corpus/$$t; \
		echo "== $$t ($(FUZZ_SECONDS) s)"; \
		if ! $(FUZZ_OUT)/bin/$$t $(FUZZ_FLAGS) \
		     -max_total_time=$(FUZZ_SECONDS) -artifact_prefix=$$art/ \
		     $$corp tests/fuzz/corpus/$$t > $(FUZZ_OUT)/$$t.log 2>&1; \
		then failed="$$failed $$t"; \
		     echo "FAILED: $$t (log $(FUZZ_OUT)/$$t.log)"; \
		     grep -E '^(==[0-9]+==ERROR|SUMMARY|fuzz check failed)' \
		       $(FUZZ_OUT)/$$t.log | head -5; fi; \
		grep -E '^(stat::number_of_executed_units|stat::average_exec_per_sec|Done)|(INITED|DONE) +cov:' \
		  $(FUZZ_OUT)/$$t.log | tail -3 | sed 's/^/   /'; \
		for f in $$art/crash-* $$art/leak-* $$art/timeout-* $$art/oom-*; do \
			[ -e "$$f" ] || continue; \
			cp "$$f" tests/fuzz/crashes/$$t-$${f##*/}; \
			echo "   reproducer: tests/fuzz/crashes/$$t-$${f##*/}"; \
			rm -f "$$f"; \
		done; \
	done; \
	if [ -n "$$failed" ]; then echo "fuzz: crashed:$$failed"; exit 1; fi; \
	echo "fuzz: all $(words $(FUZZ_TARGETS)) targets ran $(FUZZ_SECONDS) s without a crash"

-include $(FUZZ_LIB_OBJ:.o=.d) $(FUZZ_BIN:=.d)
