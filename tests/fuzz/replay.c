/*
 * tests/fuzz/replay.c - replays saved inputs through one fuzz target, so
 * the fuzz corpora are regression tests that need neither clang nor
 * libFuzzer (make fuzz-replay, tests/fuzz/fuzz.mk).
 *
 * Built by gcc with AddressSanitizer and UBSan and linked with one
 * target's LLVMFuzzerTestOneInput (one binary a target, so each keeps
 * libFuzzer's entry name), it feeds the target every file of each
 * directory it is given, in name order, each in its own heap buffer:
 *
 *	build/host/replay-NAME NAME CORPUS_DIR [EXTRA_DIR...]
 *
 * CORPUS_DIR must exist and hold at least one input: a target with no
 * corpus proves nothing. An EXTRA_DIR (tests/fuzz/crashes/NAME, past
 * crashers) may be missing. Files whose names start with '.' are skipped.
 *
 * Prints one line and exits 0 when every input ran cleanly:
 *	ok   fuzz-replay NAME: N inputs
 * Otherwise exits 1 after the report and a line naming the input at fault:
 *	FAIL fuzz-replay NAME: FILE: sanitizer report or crash (above)
 * A failure is a sanitizer report (bad access, undefined behaviour, a
 * leak), a failed CHECK (a trap), an abort or a panic (the input's last
 * kernel log lines are shown), another fatal signal, or an input that
 * runs longer than REPLAY_TIMEOUT seconds.
 */
#include "kernel/printk.h"
#include "tests/fuzz/fuzz.h"

#include <sanitizer/asan_interface.h>
#include <sanitizer/common_interface_defs.h>
#include <sanitizer/lsan_interface.h>

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define REPLAY_TIMEOUT	10	/* seconds an input may run */
#define __stringify_1(x)	#x
#define __stringify(x)		__stringify_1(x)

/* UBSan's options hook (no header declares it). */
const char *__ubsan_default_options(void);

/*
 * Let ASan report (with a stack) the traps of the targets' CHECK() and the
 * aborts of a host panic(), as it does invalid accesses; every report ends
 * in the death callback below. Leaks are checked after each input instead
 * of at exit, so that a leak names its input too.
 */
const char *__asan_default_options(void)
{
	return "handle_sigill=1:handle_abort=1:handle_segv=1:"
	       "handle_sigbus=1:handle_sigfpe=1:detect_leaks=1";
}

const char *__ubsan_default_options(void)
{
	return "print_stacktrace=1:halt_on_error=1";
}

static const char *target;
/* The input being replayed, for the failure line; set before each run. */
static char current[4096];
/* What the kernel code printed during it (a panic says why there). */
static char klog[64 * 1024];

/* Shows the last lines the current input made the kernel code print. */
static void show_klog(void)
{
	static const char head[] = "-- the input's last kernel log lines:\n";
	size_t len = strnlen(klog, sizeof(klog)), start;
	int lines = 0;

	if (!len)
		return;
	for (start = len - 1; start > 0; start--)
		if (klog[start - 1] == '\n' && ++lines == 8)
			break;
	(void)!write(STDOUT_FILENO, head, sizeof(head) - 1);
	(void)!write(STDOUT_FILENO, klog + start, len - start);
	if (klog[len - 1] != '\n')
		(void)!write(STDOUT_FILENO, "\n", 1);
}

/* Writes the failure line for the current input; safe in a signal handler. */
static void report_failure(const char *why)
{
	char line[sizeof(current) + 256];
	int n = snprintf(line, sizeof(line), "FAIL fuzz-replay %s: %s: %s\n",
			 target, current, why);

	if (n > 0)
		(void)!write(STDOUT_FILENO, line,
			     (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1);
}

static void on_sanitizer_death(void)
{
	show_klog();
	report_failure("sanitizer report or crash (above)");
}

static void on_timeout(int sig)
{
	(void)sig;
	show_klog();
	report_failure("timeout (more than "
		       __stringify(REPLAY_TIMEOUT) " seconds)");
	_exit(1);
}

/* A fatal signal the sanitizers did not take: name the input, then die. */
static void on_signal(int sig)
{
	char why[64];

	snprintf(why, sizeof(why), "killed by signal %d (%s)", sig,
		 strsignal(sig));
	show_klog();
	report_failure(why);
	_exit(1);
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Reads all of path into a fresh heap buffer; returns NULL on failure. */
static uint8_t *read_file(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t len = 0, cap = 0, n;

	if (!f)
		return NULL;
	for (;;) {
		if (len == cap) {
			uint8_t *nb;

			cap = cap ? cap * 2 : 4096;
			nb = realloc(buf, cap);
			if (!nb)
				goto fail;
			buf = nb;
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
		if (n == 0)
			break;
	}
	if (ferror(f))
		goto fail;
	fclose(f);
	*size = len;
	return buf;
fail:
	free(buf);
	fclose(f);
	return NULL;
}

/*
 * Replays every regular file of dir. Returns the number of inputs run, or
 * -1 (after a FAIL line) when dir cannot be read or a file cannot be read.
 * A sanitizer report or a crash does not return.
 */
static long replay_dir(const char *dir, int must_exist)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **names = NULL;
	size_t nr = 0, cap = 0;
	long ran = 0;

	if (!d) {
		if (!must_exist && errno == ENOENT)
			return 0;
		char why[128];

		snprintf(why, sizeof(why), "cannot open the directory: %s",
			 strerror(errno));
		snprintf(current, sizeof(current), "%s", dir);
		report_failure(why);
		return -1;
	}
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		if (nr == cap) {
			cap = cap ? cap * 2 : 64;
			names = realloc(names, cap * sizeof(*names));
			if (!names)
				abort();
		}
		names[nr] = strdup(e->d_name);
		if (!names[nr++])
			abort();
	}
	closedir(d);
	if (nr)
		qsort(names, nr, sizeof(*names), name_cmp);

	for (size_t i = 0; i < nr; i++) {
		uint8_t *data;
		size_t size;

		snprintf(current, sizeof(current), "%s/%s", dir, names[i]);
		data = read_file(current, &size);
		if (!data) {
			report_failure("cannot read it");
			ran = -1;
			break;
		}
		printk_capture_start(klog, sizeof(klog));
		alarm(REPLAY_TIMEOUT);
		LLVMFuzzerTestOneInput(data, size);
		alarm(0);
		free(data);
		if (__lsan_do_recoverable_leak_check()) {
			report_failure("memory leak (above)");
			_exit(1);	/* not exit(): LSan would report it again */
		}
		ran++;
	}
	for (size_t i = 0; i < nr; i++)
		free(names[i]);
	free(names);
	return ran;
}

int main(int argc, char **argv)
{
	static const int fatal[] = { SIGILL, SIGABRT, SIGSEGV, SIGBUS, SIGFPE };
	long total = 0, n;

	if (argc < 3) {
		fprintf(stderr, "usage: %s NAME CORPUS_DIR [EXTRA_DIR...]\n",
			argv[0]);
		return 2;
	}
	target = argv[1];
	setvbuf(stdout, NULL, _IONBF, 0);
	__sanitizer_set_death_callback(on_sanitizer_death);
	signal(SIGALRM, on_timeout);
	/* Only where the sanitizer runtime left the default action. */
	for (size_t i = 0; i < sizeof(fatal) / sizeof(fatal[0]); i++) {
		struct sigaction old;

		if (sigaction(fatal[i], NULL, &old) == 0 &&
		    old.sa_handler == SIG_DFL)
			signal(fatal[i], on_signal);
	}

	for (int i = 2; i < argc; i++) {
		n = replay_dir(argv[i], i == 2);
		if (n < 0)
			return 1;
		if (i == 2 && n == 0) {
			snprintf(current, sizeof(current), "%s", argv[i]);
			report_failure("no inputs (a target with no corpus "
				       "proves nothing)");
			return 1;
		}
		total += n;
	}
	printf("ok   fuzz-replay %s: %ld inputs\n", target, total);
	return 0;
}
