/*
 * tests/kernel/signal_test.c - signals (kernel/signal.h) without user
 * mode: dispositions, the mask, what is pending and in which order it is
 * taken, what fork and exec keep, and a sleeping thread woken by a
 * signal. The user-mode half (handlers, fatal faults, kill of a running
 * program) is in tests/kernel/user_test.c.
 */
#include "kernel/errno.h"
#include "kernel/kthread.h"
#include "kernel/kunit.h"
#include "kernel/lib/string.h"
#include "kernel/process.h"
#include "kernel/sched.h"
#include "kernel/signal.h"

static struct signal_state ss;

static int sig_init(struct kunit *test)
{
	(void)test;
	signal_state_init(&ss);
	return 0;
}

static struct k_sigaction handler_at(unsigned long pc, unsigned long flags)
{
	return (struct k_sigaction){ .handler = pc, .flags = flags };
}

static void defaults_follow_linux(struct kunit *test)
{
	char buf[16];

	KUNIT_EXPECT_EQ(test, (int)sig_default_action(SIGTERM), (int)SIG_DFL_TERM);
	KUNIT_EXPECT_EQ(test, (int)sig_default_action(SIGKILL), (int)SIG_DFL_TERM);
	KUNIT_EXPECT_EQ(test, (int)sig_default_action(SIGSEGV), (int)SIG_DFL_CORE);
	KUNIT_EXPECT_EQ(test, (int)sig_default_action(SIGCHLD), (int)SIG_DFL_IGN);
	KUNIT_EXPECT_EQ(test, (int)sig_default_action(SIGWINCH), (int)SIG_DFL_IGN);
	KUNIT_EXPECT_EQ(test, (int)sig_default_action(SIGTSTP), (int)SIG_DFL_STOP);
	KUNIT_EXPECT_EQ(test, (int)sig_default_action(SIGCONT), (int)SIG_DFL_CONT);
	KUNIT_EXPECT_EQ(test, (int)sig_default_action(SIGRTMIN + 3), (int)SIG_DFL_TERM);
	KUNIT_EXPECT_STREQ(test, signal_name(SIGSEGV, buf, sizeof(buf)), "SIGSEGV");
	KUNIT_EXPECT_STREQ(test, signal_name(40, buf, sizeof(buf)), "signal 40");
	KUNIT_EXPECT_EQ(test, signal_from_name("SIGTERM"), SIGTERM);
	KUNIT_EXPECT_EQ(test, signal_from_name("KILL"), SIGKILL);
	KUNIT_EXPECT_EQ(test, signal_from_name("9"), SIGKILL);
	KUNIT_EXPECT_EQ(test, signal_from_name("64"), 64);
	KUNIT_EXPECT_EQ(test, signal_from_name("65"), 0);
	KUNIT_EXPECT_EQ(test, signal_from_name("0"), 0);
	KUNIT_EXPECT_EQ(test, signal_from_name("SIGFOO"), 0);
}

static void sigaction_sets_and_refuses(struct kunit *test)
{
	struct k_sigaction act = handler_at(0x401000, SA_RESTORER), old;

	act.restorer = 0x402000;
	act.mask = sigmask(SIGUSR2) | sigmask(SIGKILL) | sigmask(SIGSTOP);
	KUNIT_EXPECT_EQ(test, signal_do_sigaction(&ss, SIGUSR1, &act, &old), 0);
	KUNIT_EXPECT_EQ(test, old.handler, SIG_DFL);
	KUNIT_EXPECT_EQ(test, signal_do_sigaction(&ss, SIGUSR1, NULL, &old), 0);
	KUNIT_EXPECT_EQ(test, old.handler, 0x401000UL);
	KUNIT_EXPECT_EQ(test, old.restorer, 0x402000UL);
	KUNIT_EXPECT_EQ(test, old.flags, SA_RESTORER);
	/* KILL and STOP can never be blocked, not even by a handler's mask. */
	KUNIT_EXPECT_EQ(test, old.mask, (sigset_t)sigmask(SIGUSR2));

	/* SIGKILL and SIGSTOP: no new action, but reading is fine. */
	KUNIT_EXPECT_EQ(test, signal_do_sigaction(&ss, SIGKILL, &act, NULL), -EINVAL);
	KUNIT_EXPECT_EQ(test, signal_do_sigaction(&ss, SIGSTOP, &act, NULL), -EINVAL);
	KUNIT_EXPECT_EQ(test, signal_do_sigaction(&ss, SIGKILL, NULL, &old), 0);
	KUNIT_EXPECT_EQ(test, old.handler, SIG_DFL);
	KUNIT_EXPECT_EQ(test, signal_do_sigaction(&ss, 0, NULL, &old), -EINVAL);
	KUNIT_EXPECT_EQ(test, signal_do_sigaction(&ss, _NSIG + 1, NULL, &old), -EINVAL);
	KUNIT_EXPECT_EQ(test, signal_do_sigaction(&ss, _NSIG, &act, NULL), 0);
}

static void sigprocmask_blocks_but_never_kill(struct kunit *test)
{
	sigset_t set = sigmask(SIGINT) | sigmask(SIGKILL) | sigmask(SIGSTOP);
	sigset_t old;

	KUNIT_EXPECT_EQ(test, signal_do_sigprocmask(&ss, SIG_BLOCK, &set, &old), 0);
	KUNIT_EXPECT_EQ(test, old, (sigset_t)0);
	set = sigmask(SIGTERM);
	KUNIT_EXPECT_EQ(test, signal_do_sigprocmask(&ss, SIG_BLOCK, &set, &old), 0);
	KUNIT_EXPECT_EQ(test, old, (sigset_t)sigmask(SIGINT));
	set = sigmask(SIGINT);
	KUNIT_EXPECT_EQ(test, signal_do_sigprocmask(&ss, SIG_UNBLOCK, &set, &old), 0);
	KUNIT_EXPECT_EQ(test, old, (sigset_t)(sigmask(SIGINT) | sigmask(SIGTERM)));
	set = ~0ULL;
	KUNIT_EXPECT_EQ(test, signal_do_sigprocmask(&ss, SIG_SETMASK, &set, NULL), 0);
	KUNIT_EXPECT_EQ(test, signal_do_sigprocmask(&ss, SIG_BLOCK, NULL, &old), 0);
	KUNIT_EXPECT_EQ(test, old,
			(sigset_t)~(sigmask(SIGKILL) | sigmask(SIGSTOP)));
	/* A bad how is refused, with or without a set, and changes nothing. */
	set = 0;
	KUNIT_EXPECT_EQ(test, signal_do_sigprocmask(&ss, 3, &set, NULL), -EINVAL);
	KUNIT_EXPECT_EQ(test, signal_do_sigprocmask(&ss, -1, NULL, &old), -EINVAL);
	KUNIT_EXPECT_EQ(test, old,
			(sigset_t)~(sigmask(SIGKILL) | sigmask(SIGSTOP)));
}

static void lowest_unblocked_signal_comes_first(struct kunit *test)
{
	struct k_sigaction ka;
	sigset_t set = sigmask(SIGINT);

	KUNIT_EXPECT_EQ(test, signal_state_dequeue(&ss, &ka), 0);
	signal_do_sigprocmask(&ss, SIG_BLOCK, &set, NULL);
	KUNIT_EXPECT_TRUE(test, signal_state_send(&ss, SIGTERM));
	KUNIT_EXPECT_TRUE(test, signal_state_send(&ss, SIGINT));
	KUNIT_EXPECT_TRUE(test, signal_state_send(&ss, SIGHUP));
	KUNIT_EXPECT_TRUE(test, signal_state_send(&ss, 64));
	KUNIT_EXPECT_TRUE(test, signal_state_send(&ss, SIGHUP));	/* merged */
	KUNIT_EXPECT_EQ(test, signal_state_dequeue(&ss, &ka), SIGHUP);
	KUNIT_EXPECT_EQ(test, ka.handler, SIG_DFL);
	/* SIGINT is blocked: it waits, and SIGTERM passes it. */
	KUNIT_EXPECT_EQ(test, signal_state_dequeue(&ss, &ka), SIGTERM);
	KUNIT_EXPECT_EQ(test, signal_state_dequeue(&ss, &ka), 64);
	KUNIT_EXPECT_EQ(test, signal_state_dequeue(&ss, &ka), 0);
	KUNIT_EXPECT_EQ(test, ss.pending, (sigset_t)sigmask(SIGINT));
	signal_do_sigprocmask(&ss, SIG_UNBLOCK, &set, NULL);
	KUNIT_EXPECT_EQ(test, signal_state_dequeue(&ss, &ka), SIGINT);
	KUNIT_EXPECT_EQ(test, signal_state_dequeue(&ss, &ka), 0);
}

static void ignored_signals_are_discarded(struct kunit *test)
{
	struct k_sigaction ign = handler_at(SIG_IGN, 0), ka;
	sigset_t set = sigmask(SIGURG);

	/* Default-ignore: SIGCHLD never becomes pending... */
	KUNIT_EXPECT_FALSE(test, signal_state_send(&ss, SIGCHLD));
	/* ...unless blocked: the disposition may change meanwhile. */
	signal_do_sigprocmask(&ss, SIG_BLOCK, &set, NULL);
	KUNIT_EXPECT_TRUE(test, signal_state_send(&ss, SIGURG));
	KUNIT_EXPECT_EQ(test, ss.pending, (sigset_t)sigmask(SIGURG));
	/* SIG_IGN: dropped at once; setting it discards a pending one. */
	KUNIT_EXPECT_EQ(test, signal_do_sigaction(&ss, SIGTERM, &ign, NULL), 0);
	KUNIT_EXPECT_FALSE(test, signal_state_send(&ss, SIGTERM));
	set = sigmask(SIGUSR1);
	signal_do_sigprocmask(&ss, SIG_BLOCK, &set, NULL);
	KUNIT_EXPECT_TRUE(test, signal_state_send(&ss, SIGUSR1));
	KUNIT_EXPECT_EQ(test, signal_do_sigaction(&ss, SIGUSR1, &ign, NULL), 0);
	KUNIT_EXPECT_EQ(test, ss.pending & sigmask(SIGUSR1), (sigset_t)0);
	/* A handler makes SIGCHLD worth keeping. */
	struct k_sigaction h = handler_at(0x400100, 0);

	KUNIT_EXPECT_EQ(test, signal_do_sigaction(&ss, SIGCHLD, &h, NULL), 0);
	KUNIT_EXPECT_TRUE(test, signal_state_send(&ss, SIGCHLD));
	KUNIT_EXPECT_EQ(test, signal_state_dequeue(&ss, &ka), SIGCHLD);
	KUNIT_EXPECT_EQ(test, ka.handler, 0x400100UL);
	/* SIGKILL is never ignored. */
	KUNIT_EXPECT_TRUE(test, signal_state_send(&ss, SIGKILL));
}

static void resethand_is_one_shot(struct kunit *test)
{
	struct k_sigaction h = handler_at(0x400200, SA_RESETHAND), ka;

	signal_do_sigaction(&ss, SIGUSR2, &h, NULL);
	signal_state_send(&ss, SIGUSR2);
	KUNIT_EXPECT_EQ(test, signal_state_dequeue(&ss, &ka), SIGUSR2);
	KUNIT_EXPECT_EQ(test, ka.handler, 0x400200UL);	/* this time */
	KUNIT_EXPECT_EQ(test, ss.action[SIGUSR2 - 1].handler, SIG_DFL);
}

static void fork_copies_exec_resets(struct kunit *test)
{
	static struct signal_state child;
	struct k_sigaction h = handler_at(0x400300, SA_RESTART);
	struct k_sigaction ign = handler_at(SIG_IGN, 0);
	sigset_t set = sigmask(SIGUSR2);

	signal_do_sigaction(&ss, SIGUSR1, &h, NULL);
	signal_do_sigaction(&ss, SIGPIPE, &ign, NULL);
	signal_do_sigprocmask(&ss, SIG_BLOCK, &set, NULL);
	signal_state_send(&ss, SIGUSR2);
	signal_state_send(&ss, SIGTERM);

	signal_state_fork(&child, &ss);
	KUNIT_EXPECT_EQ(test, child.action[SIGUSR1 - 1].handler, 0x400300UL);
	KUNIT_EXPECT_EQ(test, child.action[SIGUSR1 - 1].flags, SA_RESTART);
	KUNIT_EXPECT_EQ(test, child.action[SIGPIPE - 1].handler, SIG_IGN);
	KUNIT_EXPECT_EQ(test, child.blocked, (sigset_t)sigmask(SIGUSR2));
	KUNIT_EXPECT_EQ(test, child.pending, (sigset_t)0);
	KUNIT_EXPECT_EQ(test, ss.pending,
			(sigset_t)(sigmask(SIGUSR2) | sigmask(SIGTERM)));

	signal_state_exec(&ss);
	KUNIT_EXPECT_EQ(test, ss.action[SIGUSR1 - 1].handler, SIG_DFL);
	KUNIT_EXPECT_EQ(test, ss.action[SIGUSR1 - 1].flags, 0UL);
	KUNIT_EXPECT_EQ(test, ss.action[SIGPIPE - 1].handler, SIG_IGN);
	KUNIT_EXPECT_EQ(test, ss.blocked, (sigset_t)sigmask(SIGUSR2));
	KUNIT_EXPECT_EQ(test, ss.pending,
			(sigset_t)(sigmask(SIGUSR2) | sigmask(SIGTERM)));
}

/* ------------------------------------------------ on a (fake) process */

static struct process fake;

static void fake_init(struct thread *t)
{
	memset(&fake, 0, sizeof(fake));
	fake.pid = 999999;
	fake.thread = t;
	strlcpy(fake.name, "fake", sizeof(fake.name));
	signal_state_init(&fake.signal);
}

static void send_signal_checks_and_marks(struct kunit *test)
{
	static struct thread t;

	memset(&t, 0, sizeof(t));
	fake_init(NULL);
	t.proc = &fake;
	KUNIT_EXPECT_EQ(test, send_signal(&fake, 0), 0);	/* exists */
	KUNIT_EXPECT_EQ(test, send_signal(&fake, _NSIG + 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, send_signal(&fake, -1), -EINVAL);
	KUNIT_EXPECT_FALSE(test, signal_pending(&t));
	KUNIT_EXPECT_EQ(test, send_signal(&fake, SIGCHLD), 0);	/* dropped */
	KUNIT_EXPECT_FALSE(test, signal_pending(&t));

	sigset_t set = sigmask(SIGINT);

	signal_do_sigprocmask(&fake.signal, SIG_BLOCK, &set, NULL);
	KUNIT_EXPECT_EQ(test, send_signal(&fake, SIGINT), 0);
	KUNIT_EXPECT_FALSE(test, signal_pending(&t));		/* blocked */
	KUNIT_EXPECT_EQ(test, send_signal(&fake, SIGTERM), 0);
	KUNIT_EXPECT_TRUE(test, signal_pending(&t));
	KUNIT_EXPECT_FALSE(test, fatal_signal_pending(&t));
	KUNIT_EXPECT_EQ(test, send_signal(&fake, SIGKILL), 0);
	KUNIT_EXPECT_TRUE(test, fatal_signal_pending(&t));
	KUNIT_EXPECT_EQ(test, fake.signal.group_exit_sig, SIGKILL);

	/* A kernel thread has no signals. */
	t.proc = NULL;
	KUNIT_EXPECT_FALSE(test, signal_pending(&t));
	KUNIT_EXPECT_FALSE(test, fatal_signal_pending(&t));
}

struct sleeper {
	volatile bool saw_signal;
	volatile int wakeups;
};

/* Sleeps until a signal is pending for it, as a sleeping system call
 * does before it returns -EINTR. */
static int sleep_until_signal(void *arg)
{
	struct sleeper *s = arg;

	current->proc = &fake;
	for (;;) {
		set_current_state(THREAD_SLEEPING);
		if (signal_pending(current))
			break;
		schedule();
		s->wakeups++;
	}
	set_current_state(THREAD_RUNNING);
	current->proc = NULL;
	s->saw_signal = true;
	return 0;
}

static void signal_wakes_a_sleeping_thread(struct kunit *test)
{
	static struct sleeper s;
	struct thread *t;

	memset((void *)&s, 0, sizeof(s));
	t = kthread_create(sleep_until_signal, &s, "sigsleeper");
	KUNIT_ASSERT_NOT_NULL(test, t);
	fake_init(t);
	wake_up_process(t);
	sleep_ms(30);
	KUNIT_EXPECT_FALSE(test, s.saw_signal);		/* still asleep */
	/* A signal it ignores does not wake it for nothing. */
	send_signal(&fake, SIGWINCH);
	sleep_ms(10);
	KUNIT_EXPECT_EQ(test, s.wakeups, 0);
	send_signal(&fake, SIGUSR1);
	for (int i = 0; i < 500 && !s.saw_signal; i++)
		sleep_ms(10);
	KUNIT_EXPECT_TRUE(test, s.saw_signal);
	if (!s.saw_signal) {
		/* Not woken: wake it by hand so the suite ends. */
		fake.signal.pending |= sigmask(SIGUSR1);
		wake_up_process(t);
	}
	KUNIT_EXPECT_EQ(test, kthread_stop(t), 0);
}

static struct kunit_case signal_cases[] = {
	KUNIT_CASE(defaults_follow_linux),
	KUNIT_CASE(sigaction_sets_and_refuses),
	KUNIT_CASE(sigprocmask_blocks_but_never_kill),
	KUNIT_CASE(lowest_unblocked_signal_comes_first),
	KUNIT_CASE(ignored_signals_are_discarded),
	KUNIT_CASE(resethand_is_one_shot),
	KUNIT_CASE(fork_copies_exec_resets),
	KUNIT_CASE(send_signal_checks_and_marks),
	KUNIT_CASE(signal_wakes_a_sleeping_thread),
	{}
};

static struct kunit_suite signal_suite = {
	.name = "signal",
	.init = sig_init,
	.test_cases = signal_cases,
};
kunit_test_suite(signal_suite);
