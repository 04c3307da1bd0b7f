# interdict - build, test, run, bench.
#
#   make              bin/interdict (and bench tools)
#   make test         every test (installs Debian deps first)
#   make run          the zero-setup demo: engine on librdkafka's mock cluster
#   make SAN=address,undefined test   /   make SAN=thread test
#   make eval | bench | bench-match | fuzz
#
# Sources are discovered by wildcard: matchers/**.c form libinterdict.a,
# engine/*.c the daemon, tests/unit/test_*.c one cmocka binary each.

CC      ?= cc
comma   := ,
SAN     ?=
OPT     ?= -O2
PKGS    := rdkafka liburing libxxhash libutf8proc libxml-2.0 liburcu-qsbr \
           libmicrohttpd icu-uc icu-i18n
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)

CFLAGS  ?= $(OPT) -g
CFLAGS  += -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -pthread \
           -Imatchers -Iengine $(PKG_CFLAGS)
LDLIBS  += $(PKG_LIBS) -lm -pthread
ifeq ($(SAN),)
BUILD   := build/default
BIN     := bin
JEMALLOC := -ljemalloc
else
BUILD   := build/san-$(subst $(comma),-,$(SAN))
BIN     := $(BUILD)/bin
CFLAGS  += -fsanitize=$(SAN) -fno-omit-frame-pointer -fno-sanitize-recover=all
LDFLAGS += -fsanitize=$(SAN)
JEMALLOC :=
endif

LIB_SRC    := $(sort $(wildcard matchers/*.c matchers/lists/*.c))
ENGINE_SRC := $(sort $(filter-out engine/main.c,$(wildcard engine/*.c)))
TEST_SRC   := $(sort $(wildcard tests/unit/test_*.c))
BENCH_SRC  := $(sort $(wildcard bench/*.c))

LIB_OBJ    := $(LIB_SRC:%.c=$(BUILD)/%.o)
ENGINE_OBJ := $(ENGINE_SRC:%.c=$(BUILD)/%.o)
LIB        := $(BUILD)/libinterdict.a
ENGINE_LIB := $(BUILD)/libinterdict-engine.a
TESTS      := $(TEST_SRC:tests/unit/%.c=$(BUILD)/tests/%)
BENCH_BIN  := $(BENCH_SRC:bench/%.c=$(BIN)/%)
# Integration scripts find the binaries of this build here.
export INTERDICT_BIN := $(abspath $(BIN))
export INTERDICT_SAN := $(SAN)

.PHONY: all deps test unit integration run clean eval bench bench-match bench-text loadgen format

all: $(BIN)/interdict $(BENCH_BIN)

deps:
	@sh deploy/install-deps.sh

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -MMD -MP -c $< -o $@

$(LIB): $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(ENGINE_LIB): $(ENGINE_OBJ)
	@rm -f $@
	ar rcs $@ $^ $(if $(ENGINE_OBJ),,$(LIB_OBJ))

$(BIN)/interdict: $(BUILD)/engine/main.o $(ENGINE_LIB) $(LIB)
	@mkdir -p $(BIN)
	$(CC) $(LDFLAGS) -o $@ $^ $(JEMALLOC) $(LDLIBS)

$(BIN)/%: $(BUILD)/bench/%.o $(ENGINE_LIB) $(LIB)
	@mkdir -p $(BIN)
	$(CC) $(LDFLAGS) -o $@ $^ $(JEMALLOC) $(LDLIBS)

$(BUILD)/tests/%: $(BUILD)/tests/unit/%.o $(ENGINE_LIB) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ -lcmocka $(LDLIBS)

unit: $(TESTS) $(BIN)/interdict
	@sh tests/run-unit.sh $(TESTS)

integration: $(BIN)/interdict $(BENCH_BIN)
	@sh tests/run-integration.sh

test: deps
	@$(MAKE) --no-print-directory unit
	@$(MAKE) --no-print-directory integration

run: deps
	@$(MAKE) --no-print-directory bin/interdict
	./bin/interdict demo --duration 20

eval: deps
	@$(MAKE) --no-print-directory bin/interdict-eval
	./bin/interdict-eval

bench-match: deps
	@$(MAKE) --no-print-directory bin/interdict-bench-match
	./bin/interdict-bench-match

bench: deps
	@sh deploy/install-deps.sh --bench
	@$(MAKE) --no-print-directory bin/interdict $(BENCH_BIN)
	sh bench/run-bench.sh

bench-text: deps
	@sh deploy/install-deps.sh --bench
	@$(MAKE) --no-print-directory bin/interdict-bench-text
	./bin/interdict-bench-text

loadgen: $(BIN)/interdict-loadgen

clean:
	rm -rf build bin

format:
	clang-format -i $(LIB_SRC) $(ENGINE_SRC) engine/main.c matchers/*.h matchers/lists/*.h engine/*.h

# libFuzzer targets (clang): make fuzz, fuzz-build, fuzz-smoke.
-include fuzz.mk

-include $(LIB_OBJ:.o=.d) $(ENGINE_OBJ:.o=.d) $(BUILD)/engine/main.d
-include $(BENCH_SRC:bench/%.c=$(BUILD)/bench/%.d) $(TEST_SRC:tests/unit/%.c=$(BUILD)/tests/unit/%.d)
# Keep bench and test objects between links.
.SECONDARY: $(BENCH_SRC:bench/%.c=$(BUILD)/bench/%.o) $(TEST_SRC:tests/unit/%.c=$(BUILD)/tests/unit/%.o)
