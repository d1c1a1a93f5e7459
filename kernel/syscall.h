/*
 * kernel/syscall.h - the system-call boundary: Linux's ABI (numbers per
 * architecture, arguments in registers, -errno results).
 *
 * Each architecture lists its numbers in a table, as Linux's
 * syscall_64.tbl and unistd.h do: arch/<arch>/syscall_table.c defines
 *
 *	const syscall_fn_t arch_syscall_table[] = {
 *		[0] = sys_read, [1] = sys_write, ...	// x86_64's numbers
 *	};
 *	const unsigned int arch_nr_syscalls = ARRAY_SIZE(arch_syscall_table);
 *	const char *const arch_syscall_names[] = { [0] = "read", ... };
 *
 * and its entry code (SYSCALL on x86_64, SVC on arm64) saves the user
 * registers (struct pt_regs, <arch/user.h>) and calls do_syscall()
 * (kernel/entry.h).
 * Every sys_* function is portable (kernel/, one file per area) and is
 * written with SYSCALL_DEFINEn, which unpacks the six raw arguments into
 * typed parameters:
 *
 *	SYSCALL_DEFINE3(write, int, fd, const char *, buf, size_t, count)
 *	{
 *		...			// a user pointer: copy_from_user()
 *	}
 *
 * defines `long sys_write(const unsigned long *args)`.
 */
#ifndef KERNEL_SYSCALL_H
#define KERNEL_SYSCALL_H

#include "kernel/types.h"

typedef long (*syscall_fn_t)(const unsigned long *args);

extern const syscall_fn_t arch_syscall_table[];
extern const unsigned int arch_nr_syscalls;
extern const char *const arch_syscall_names[];

#define __SC_CAST(t, i)	((t)(args[i]))

#define SYSCALL_DEFINE0(name) \
	long sys_##name(const unsigned long *args); \
	static long __do_sys_##name(void); \
	long sys_##name(const unsigned long *args) \
	{ (void)args; return __do_sys_##name(); } \
	static long __do_sys_##name(void)
#define SYSCALL_DEFINE1(name, t0, a0) \
	long sys_##name(const unsigned long *args); \
	static long __do_sys_##name(t0 a0); \
	long sys_##name(const unsigned long *args) \
	{ return __do_sys_##name(__SC_CAST(t0, 0)); } \
	static long __do_sys_##name(t0 a0)
#define SYSCALL_DEFINE2(name, t0, a0, t1, a1) \
	long sys_##name(const unsigned long *args); \
	static long __do_sys_##name(t0 a0, t1 a1); \
	long sys_##name(const unsigned long *args) \
	{ return __do_sys_##name(__SC_CAST(t0, 0), __SC_CAST(t1, 1)); } \
	static long __do_sys_##name(t0 a0, t1 a1)
#define SYSCALL_DEFINE3(name, t0, a0, t1, a1, t2, a2) \
	long sys_##name(const unsigned long *args); \
	static long __do_sys_##name(t0 a0, t1 a1, t2 a2); \
	long sys_##name(const unsigned long *args) \
	{ return __do_sys_##name(__SC_CAST(t0, 0), __SC_CAST(t1, 1), \
				 __SC_CAST(t2, 2)); } \
	static long __do_sys_##name(t0 a0, t1 a1, t2 a2)
#define SYSCALL_DEFINE4(name, t0, a0, t1, a1, t2, a2, t3, a3) \
	long sys_##name(const unsigned long *args); \
	static long __do_sys_##name(t0 a0, t1 a1, t2 a2, t3 a3); \
	long sys_##name(const unsigned long *args) \
	{ return __do_sys_##name(__SC_CAST(t0, 0), __SC_CAST(t1, 1), \
				 __SC_CAST(t2, 2), __SC_CAST(t3, 3)); } \
	static long __do_sys_##name(t0 a0, t1 a1, t2 a2, t3 a3)
#define SYSCALL_DEFINE5(name, t0, a0, t1, a1, t2, a2, t3, a3, t4, a4) \
	long sys_##name(const unsigned long *args); \
	static long __do_sys_##name(t0 a0, t1 a1, t2 a2, t3 a3, t4 a4); \
	long sys_##name(const unsigned long *args) \
	{ return __do_sys_##name(__SC_CAST(t0, 0), __SC_CAST(t1, 1), \
				 __SC_CAST(t2, 2), __SC_CAST(t3, 3), \
				 __SC_CAST(t4, 4)); } \
	static long __do_sys_##name(t0 a0, t1 a1, t2 a2, t3 a3, t4 a4)
#define SYSCALL_DEFINE6(name, t0, a0, t1, a1, t2, a2, t3, a3, t4, a4, t5, a5) \
	long sys_##name(const unsigned long *args); \
	static long __do_sys_##name(t0 a0, t1 a1, t2 a2, t3 a3, t4 a4, t5 a5); \
	long sys_##name(const unsigned long *args) \
	{ return __do_sys_##name(__SC_CAST(t0, 0), __SC_CAST(t1, 1), \
				 __SC_CAST(t2, 2), __SC_CAST(t3, 3), \
				 __SC_CAST(t4, 4), __SC_CAST(t5, 5)); } \
	static long __do_sys_##name(t0 a0, t1 a1, t2 a2, t3 a3, t4 a4, t5 a5)

/* Print the unknown system calls seen so far, by number and name. */
void syscall_unknown_show(void);

#endif
