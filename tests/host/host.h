/*
 * tests/host/host.h - helpers for tests that run only on the host.
 *
 * HOST_EXPECT_PANIC(stmt) runs stmt and evaluates to true if it called
 * panic() (whose message is then in host_panic_msg). Use it to test that a
 * kernel check fires, e.g. a double free.
 */
#ifndef TESTS_HOST_HOST_H
#define TESTS_HOST_HOST_H

#include <setjmp.h>
#include "kernel/types.h"

extern jmp_buf *host_panic_jmp;
extern char host_panic_msg[256];

void host_console_init(void);

#define HOST_EXPECT_PANIC(stmt) ({ \
	jmp_buf __jb; \
	bool __panicked = false; \
	host_panic_msg[0] = '\0'; \
	if (setjmp(__jb) == 0) { \
		host_panic_jmp = &__jb; \
		stmt; \
		host_panic_jmp = NULL; \
	} else { \
		__panicked = true; \
	} \
	__panicked; \
})

/* What schedule() runs on the host while a wait's condition is false
 * (tests/host/sleep.c): complete queued I/O; true if it did anything. */
void host_set_idle_work(bool (*fn)(void));

/* The host's "user memory" is this process's own (tests/host/shim.c's
 * arch_copy_to_user/arch_copy_from_user/arch_clear_user are memcpy and
 * memset). A test sets host_user_fault_at to make every user byte at or
 * above it fail, as an unmapped user page would; NULL: none fails. */
extern char *host_user_fault_at;

/* current_killed() (kernel/signal.h) on the host: false for the first
 * n - 1 times it is asked after this call, true from the n-th on; n = 0:
 * never (the default). */
void host_kill_after_checks(unsigned long n);

#endif
