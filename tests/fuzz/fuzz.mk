# tests/fuzz/fuzz.mk - fuzz targets for the code that parses what the boot
# loader and the firmware hand over, and what a network peer sends
# (nbd_proto) (included by the Makefile).
#
#   make fuzz-replay               replay every saved input (seconds, gcc only)
#   make fuzz                      run every target FUZZ_SECONDS each (clang)
#   make fuzz FUZZ_SECONDS=300     longer
#   make fuzz FUZZ=boot            only some targets (fuzz-replay too)
#   make $(O)/host/fuzz-boot       build one; run it by hand with libFuzzer flags
#
# A target NAME is tests/fuzz/NAME_fuzz.c defining LLVMFuzzerTestOneInput,
# linked with all portable code and the host shim. Adding one is one line
# here, in this list (it must come before the rules below):
FUZZ_TARGETS += boot
FUZZ_TARGETS += fdt
FUZZ_TARGETS += acpi_prt
FUZZ_TARGETS += elf
FUZZ_TARGETS += cpio
FUZZ_TARGETS += ext2_super
FUZZ_TARGETS += ext2_inode
FUZZ_TARGETS += ext2_dir
FUZZ_TARGETS += swap_header
FUZZ_TARGETS += nbd_proto
FUZZ_TARGETS += partition
FUZZ_TARGETS += rpi_mbox
FUZZ_TARGETS += mmc_regs

# Inputs live in tests/fuzz/corpus/NAME/ (committed, at least one: it is
# the target's regression set) and tests/fuzz/crashes/NAME/ (past
# crashers, kept after their fix). What `make fuzz` learns goes to the
# scratch corpus $(O)/fuzz/NAME/, and what crashes to $(O)/fuzz/NAME-crash-*.
FUZZ         ?= $(FUZZ_TARGETS)
FUZZ_SECONDS ?= 60
FUZZ_CC      := clang
FUZZ_SAN     := address,undefined
FUZZ_CFLAGS  := -std=gnu11 -O1 -g $(WARN) -I. -Itests/host/include \
		-DHOST_BUILD -MMD -MP -fno-omit-frame-pointer \
		-fsanitize=fuzzer-no-link,$(FUZZ_SAN) \
		-fno-sanitize-recover=undefined
FUZZ_SRCS    := $(filter-out kernel/lib/string.c,$(PORTABLE_SRCS)) \
		kernel/printk.c tests/host/shim.c
FUZZ_OBJ     := $(O)/host/obj-fuzz
FUZZ_OBJS    := $(patsubst %.c,$(FUZZ_OBJ)/%.o,$(FUZZ_SRCS))

$(FUZZ_OBJ)/%.o: %.c | $(call DEPS,fuzz)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  FUZZCC  $<")
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -c $< -o $@

# The portable objects go in an archive, so a target links only the members
# its parser reaches (someone's half-finished driver does not break it).
FUZZ_LIB := $(FUZZ_OBJ)/libportable.a
$(FUZZ_LIB): $(FUZZ_OBJS)
	$(Q)rm -f $@ && ar rcs $@ $^

$(O)/host/fuzz-%: $(FUZZ_OBJ)/tests/fuzz/%_fuzz.o $(FUZZ_LIB)
	@$(if $(Q),echo "  FUZZLD  $@")
	$(Q)$(FUZZ_CC) -fsanitize=fuzzer,$(FUZZ_SAN) -o $@ $^ -lm

# Not intermediate: keep the objects between builds.
.SECONDARY: $(FUZZ_OBJS) $(call DEPS,fuzz) \
	$(patsubst %,$(FUZZ_OBJ)/tests/fuzz/%_fuzz.o,$(FUZZ_TARGETS))

-include $(FUZZ_OBJS:.o=.d) $(patsubst %,$(FUZZ_OBJ)/tests/fuzz/%_fuzz.d,$(FUZZ_TARGETS))

# ---------------------------------------------------------------- replay
# The corpora as regression tests: each target's LLVMFuzzerTestOneInput,
# built by gcc with the host tests' sanitizers (their objects are shared
# with build/host/unit), linked with tests/fuzz/replay.c's main, which
# feeds it every saved input. One line a target; exit 1 if any failed.
REPLAY_SRCS := $(filter-out kernel/lib/string.c,$(PORTABLE_SRCS)) \
	       kernel/printk.c tests/host/shim.c
REPLAY_LIB  := $(O)/host/obj/libreplay.a
$(REPLAY_LIB): $(patsubst %.c,$(HOBJ)/%.o,$(REPLAY_SRCS))
	$(Q)rm -f $@ && ar rcs $@ $^

$(O)/host/replay-%: $(HOBJ)/tests/fuzz/%_fuzz.o $(HOBJ)/tests/fuzz/replay.o \
		    $(REPLAY_LIB)
	@$(if $(Q),echo "  HOSTLD  $@")
	$(Q)$(HCC) $(HFLAGS) -o $@ $^ -lm

.SECONDARY: $(HOBJ)/tests/fuzz/replay.o \
	$(patsubst %,$(HOBJ)/tests/fuzz/%_fuzz.o,$(FUZZ_TARGETS))
-include $(HOBJ)/tests/fuzz/replay.d \
	$(patsubst %,$(HOBJ)/tests/fuzz/%_fuzz.d,$(FUZZ_TARGETS))

.PHONY: fuzz-replay
fuzz-replay: $(patsubst %,$(O)/host/replay-%,$(FUZZ))
	$(Q)fail=0; for t in $(FUZZ); do \
		$(O)/host/replay-$$t $$t tests/fuzz/corpus/$$t \
			tests/fuzz/crashes/$$t || fail=1; \
	done; exit $$fail

# ---------------------------------------------------------------- fuzz
# Each target runs FUZZ_SECONDS with libFuzzer, growing its scratch corpus
# from the committed one (which it never writes). Every target runs even
# if one crashes; the run then fails and says how to keep the crasher.
.PHONY: fuzz
fuzz: $(patsubst %,$(O)/host/fuzz-%,$(FUZZ))
	$(Q)fail=; for t in $(FUZZ); do \
		echo "== fuzz-$$t for $(FUZZ_SECONDS)s"; \
		mkdir -p $(O)/fuzz/$$t; \
		$(O)/host/fuzz-$$t -max_total_time=$(FUZZ_SECONDS) -timeout=10 \
			-artifact_prefix=$(O)/fuzz/$$t- -print_final_stats=1 \
			$(O)/fuzz/$$t tests/fuzz/corpus/$$t \
			$(wildcard tests/fuzz/crashes/$$t) || fail="$$fail $$t"; \
	done; \
	echo "== The scratch corpora are $(O)/fuzz/NAME/. To add what they found to the"; \
	echo "   committed regression set: $(O)/host/fuzz-NAME -merge=1 tests/fuzz/corpus/NAME $(O)/fuzz/NAME"; \
	[ -z "$$fail" ] && exit 0; \
	for t in $$fail; do \
		echo "== fuzz-$$t FAILED; its input(s):"; \
		ls -t $(O)/fuzz/$$t-crash-* $(O)/fuzz/$$t-leak-* \
			$(O)/fuzz/$$t-timeout-* $(O)/fuzz/$$t-oom-* 2>/dev/null | sed 's/^/     /'; \
		echo "   Reproduce: $(O)/host/fuzz-$$t FILE (or $(O)/host/replay-$$t $$t DIR)."; \
		echo "   Fix the bug, then keep the input as a regression test, named for what it broke:"; \
		echo "     mkdir -p tests/fuzz/crashes/$$t && cp FILE tests/fuzz/crashes/$$t/WHAT-IT-BROKE"; \
		echo "     make fuzz-replay      (fails before the fix, passes after; commit input and fix)"; \
	done; exit 1
