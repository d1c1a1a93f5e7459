/*
 * kernel/process.h - processes: a user address space (struct mm_struct),
 * one thread that runs in it, open files, signals, and a place in the
 * process tree (Linux: task_struct for a single-threaded process).
 *
 * DRAFT interface, filled in by the process layer (kernel/process.c,
 * kernel/exec.c, kernel/signal.c). Fields other components read are
 * marked; the rest are the process layer's own.
 */
#ifndef KERNEL_PROCESS_H
#define KERNEL_PROCESS_H

#include "kernel/lib/list.h"
#include "kernel/signal.h"
#include "kernel/thread.h"
#include "kernel/types.h"
#include <arch/thread.h>

struct files_struct;		/* kernel/file.h */
struct mm_struct;		/* mm/mm.h */

enum process_state {
	PROCESS_RUNNING,	/* its thread runs, sleeps or waits to run */
	PROCESS_ZOMBIE,		/* exited; waits for wait4() by its parent */
};

#define PROCESS_NAME_LEN	16

struct process {
	int pid;			/* read by all */
	enum process_state state;
	struct process *parent;
	struct list_head children;	/* struct process.sibling */
	struct list_head sibling;
	struct list_head all;		/* every process, by pid */
	struct thread *thread;		/* its one thread */
	struct mm_struct *mm;		/* read by all; NULL once exited */
	struct files_struct *files;	/* kernel/file.c: the fd table */
	int exit_code;			/* wait4's status word once a zombie */
	struct signal_state signal;	/* kernel/signal.c: dispositions,
					 * mask, pending */
	char name[PROCESS_NAME_LEN];	/* the program's base name */
};

/* The process the running thread belongs to; NULL in a kernel thread. */
static inline struct process *current_process(void)
{
	return arch_current()->proc;
}

#endif
