# presetgen — plain Makefile; every dependency found with pkg-config.
#   make run     install what is missing, build, build the site into dist/
#   make check   install what is missing, build, run every test
#   make bench   the benchmark (not a test)
#   make install PREFIX=/usr/local DESTDIR=

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
VERSION := 0.1.0

PKGS := yaml-0.1 libcmark jansson libxml-2.0 libcrypto zlib libarchive libutf8proc icu-i18n icu-uc \
	libpng stb libmicrohttpd
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS = $(shell pkg-config --libs $(PKGS) 2>/dev/null || echo "-lyaml -lcmark -ljansson -lxml2 -lcrypto -lz -larchive -lutf8proc -licui18n -licuuc -licudata -lpng16 -lstb -lmicrohttpd")
CMOCKA_LIBS = $(shell pkg-config --libs cmocka 2>/dev/null || echo "-lcmocka")

CC ?= cc
OPT ?= -O2 -g
WARN := -std=c17 -Wall -Wextra -Werror -Wstrict-prototypes -Wmissing-prototypes \
	-Wwrite-strings -Wvla -Wformat-security -Wpointer-arith -Wshadow=local
CPPFLAGS += -D_GNU_SOURCE -DPRESETGEN_VERSION='"$(VERSION)"' -Isrc
ALL_CFLAGS = $(OPT) $(WARN) $(CPPFLAGS) $(PKG_CFLAGS) $(CFLAGS)
LIBS = $(PKG_LIBS) -lpthread -lm
SAN := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
TSAN := -fsanitize=thread -fno-omit-frame-pointer

# make V=1 shows every command
V ?= 0
ifeq ($(V),0)
Q := @
say = @printf '  %-6s %s\n' $(1) $(2);
else
Q :=
say :=
endif

# The library, one folder per subsystem; the program is main.c and cmd/.
LIB_SRCS := $(wildcard src/base/*.c src/data/*.c src/template/*.c src/icons/*.c src/site/*.c \
	src/mobile/*.c src/serve/*.c)
CMD_SRCS := src/main.c $(wildcard src/cmd/*.c)
UNIT_SRCS := $(wildcard tests/unit/test_*.c)

B := build
LIB_OBJS := $(LIB_SRCS:src/%.c=$(B)/obj/%.o)
OBJS := $(LIB_OBJS) $(CMD_SRCS:src/%.c=$(B)/obj/%.o)
ASAN_LIB_OBJS := $(LIB_SRCS:src/%.c=$(B)/asan/%.o)
ASAN_OBJS := $(ASAN_LIB_OBJS) $(CMD_SRCS:src/%.c=$(B)/asan/%.o)
TSAN_LIB_OBJS := $(LIB_SRCS:src/%.c=$(B)/tsan/%.o)
UNITS := $(UNIT_SRCS:tests/unit/%.c=$(B)/tests/%)
ASAN_UNITS := $(UNIT_SRCS:tests/unit/%.c=$(B)/tests-asan/%)
# the unit test that builds two sites at once, under ThreadSanitizer too
TSAN_UNITS := $(B)/tests-tsan/test_library

.PHONY: all deps run check test bench install clean regen
# objects are never intermediate files to delete
.SECONDARY:

all: $(B)/presetgen

deps:
	@sh scripts/deps.sh

# The sub-make reads pkg-config only after deps has installed what it names.
run: deps
	@$(MAKE) --no-print-directory all
	./$(B)/presetgen build

check:
	@DEPS_TESTS=1 sh scripts/deps.sh
	@$(MAKE) --no-print-directory test

test: $(B)/presetgen $(UNITS) $(B)/mustache-spec $(B)/snapshot-facts $(B)/benchgen \
	$(B)/asan/presetgen $(ASAN_UNITS) $(B)/asan/mustache-spec $(TSAN_UNITS)
	@sh tests/run.sh $(B)

bench: deps
	@$(MAKE) --no-print-directory $(B)/presetgen $(B)/benchgen
	@sh tests/bench.sh $(B)

$(B)/benchgen: tests/benchgen.c
	$(call say,LINK,$@)$(CC) $(ALL_CFLAGS) -o $@ $<

$(B)/presetgen: $(OBJS)
	$(call say,LINK,$@)$(CC) $(OPT) -o $@ $(OBJS) $(LIBS)

$(B)/asan/presetgen: $(ASAN_OBJS)
	$(call say,LINK,$@)$(CC) $(SAN) -o $@ $(ASAN_OBJS) $(LIBS)

# Objects mirror src/; -MMD -MP writes each one's header dependencies.
$(B)/obj/%.o: src/%.c Makefile
	@mkdir -p $(@D)
	$(call say,CC,$@)$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

$(B)/asan/%.o: src/%.c Makefile
	@mkdir -p $(@D)
	$(call say,CC,$@)$(CC) $(ALL_CFLAGS) -O1 $(SAN) -MMD -MP -c -o $@ $<

$(B)/tsan/%.o: src/%.c Makefile
	@mkdir -p $(@D)
	$(call say,CC,$@)$(CC) $(ALL_CFLAGS) -O1 $(TSAN) -MMD -MP -c -o $@ $<

$(B)/tests/%: tests/unit/%.c $(LIB_OBJS)
	@mkdir -p $(@D)
	$(call say,LINK,$@)$(CC) $(ALL_CFLAGS) -MMD -MP -o $@ $< $(LIB_OBJS) $(CMOCKA_LIBS) $(LIBS)

$(B)/tests-asan/%: tests/unit/%.c $(ASAN_LIB_OBJS)
	@mkdir -p $(@D)
	$(call say,LINK,$@)$(CC) $(ALL_CFLAGS) -O1 $(SAN) -MMD -MP -o $@ $< $(ASAN_LIB_OBJS) $(CMOCKA_LIBS) $(LIBS)

$(B)/tests-tsan/%: tests/unit/%.c $(TSAN_LIB_OBJS)
	@mkdir -p $(@D)
	$(call say,LINK,$@)$(CC) $(ALL_CFLAGS) -O1 $(TSAN) -MMD -MP -o $@ $< $(TSAN_LIB_OBJS) $(CMOCKA_LIBS) $(LIBS)

$(B)/mustache-spec: tests/mustache_spec.c $(LIB_OBJS)
	$(call say,LINK,$@)$(CC) $(ALL_CFLAGS) -MMD -MP -o $@ $< $(LIB_OBJS) $(LIBS)

$(B)/snapshot-facts: tests/snapshot_facts.c $(LIB_OBJS)
	$(call say,LINK,$@)$(CC) $(ALL_CFLAGS) -MMD -MP -o $@ $< $(LIB_OBJS) $(LIBS)

$(B)/asan/mustache-spec: tests/mustache_spec.c $(ASAN_LIB_OBJS)
	$(call say,LINK,$@)$(CC) $(ALL_CFLAGS) -O1 $(SAN) -MMD -MP -o $@ $< $(ASAN_LIB_OBJS) $(LIBS)

-include $(shell find $(B) -name '*.d' 2>/dev/null)

# Rewrites the end-to-end golden files after showing what would change.
regen: $(B)/presetgen
	@sh tests/e2e/regen.sh $(B)/presetgen

install: $(B)/presetgen
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1
	install -m 755 $(B)/presetgen $(DESTDIR)$(BINDIR)/presetgen
	install -m 644 doc/presetgen.1 $(DESTDIR)$(MANDIR)/man1/presetgen.1

clean:
	rm -rf $(B)
