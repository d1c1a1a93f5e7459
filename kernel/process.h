/*
 * kernel/process.h - processes: a user address space (struct mm_struct),
 * one thread that runs in it, open files, signals, and a place in the
 * process tree (Linux: task_struct for a single-threaded process).
 *
 * Lifetime, the Linux way:
 *	process_spawn() / fork	-> PROCESS_RUNNING, its kthread runs user code
 *	do_exit()		-> PROCESS_ZOMBIE: mm and files gone, the exit
 *				   status kept for the parent's wait4()
 *	wait4() / process_wait()-> reaped: the pid is free for reuse
 * A process with no parent (spawned by the console or a test, or whose
 * parent exited first) is reaped by process_wait(pid) if someone waits
 * for it; an orphan that nobody waits for (its parent exited) is reaped
 * as soon as it exits.
 *
 * Locking: process_lock (Linux's tasklist_lock, a spinlock with
 * interrupts off) protects the table, every parent/children link, state,
 * exit_code and p->mm / p->files as pointers. The thread's own fields
 * (name, rlimits, tid addresses, umask) are written only by the process
 * itself. To use another process's mm, take a reference with
 * process_get_mm().
 */
#ifndef KERNEL_PROCESS_H
#define KERNEL_PROCESS_H

#include "kernel/lib/elf.h"
#include "kernel/lib/list.h"
#include "kernel/signal.h"
#include "kernel/spinlock.h"
#include "kernel/thread.h"
#include "kernel/types.h"
#include <arch/mmu.h>
#include <arch/thread.h>

struct files_struct;		/* kernel/file.h */
struct mm_struct;		/* mm/mm.h */

enum process_state {
	PROCESS_RUNNING,	/* its thread runs, sleeps or waits to run */
	PROCESS_ZOMBIE,		/* exited; waits for wait4() by its parent */
};

#define PROCESS_NAME_LEN	16

/* Where exec maps the signal-return trampoline (kernel/exec.c): a handler
 * without SA_RESTORER returns to it. The initial stack ends just below. */
#define USER_SIGPAGE		(TASK_SIZE - (16UL << 20))
#define PID_MAX			32768	/* pids are 1 .. PID_MAX - 1 */

/* Resource limits (Linux's numbering, the same on both arches). */
#define RLIMIT_CPU	0
#define RLIMIT_FSIZE	1
#define RLIMIT_DATA	2
#define RLIMIT_STACK	3
#define RLIMIT_CORE	4
#define RLIMIT_RSS	5
#define RLIMIT_NPROC	6
#define RLIMIT_NOFILE	7
#define RLIMIT_MEMLOCK	8
#define RLIMIT_AS	9
#define RLIM_NLIMITS	16
#define RLIM_INFINITY	(~0UL)

struct rlimit {
	unsigned long rlim_cur, rlim_max;
};

#define STACK_LIMIT_DEFAULT	(8UL << 20)	/* RLIMIT_STACK: 8 MiB */
#define NOFILE_DEFAULT		1024

struct process {
	int pid;			/* read by all */
	enum process_state state;	/* under process_lock */
	struct process *parent;		/* NULL: none (console, orphan) */
	struct list_head children;	/* struct process.sibling */
	struct list_head sibling;
	struct list_head all;		/* every process */
	struct thread *thread;		/* its one thread; NULL once reaped */
	struct mm_struct *mm;		/* read by all; NULL once exited */
	struct files_struct *files;	/* kernel/file.c: the fd table */
	int exit_code;			/* wait4's status word once a zombie */
	struct signal_state signal;	/* kernel/signal.c: dispositions,
					 * mask, pending */
	char name[PROCESS_NAME_LEN];	/* the program's base name */

	int pgid, sid;			/* process group and session */
	unsigned int umask;
	bool waited_for;		/* process_wait() is reaping it */
	bool orphan;			/* its parent exited: reaped at exit */
	uint64_t runtime_ns;		/* its thread's run time, at exit */
	uint64_t start_ns;		/* clock_ns() at creation */
	uint64_t children_ns;		/* run time of reaped children */
	unsigned long set_child_tid;	/* CLONE_CHILD_SETTID address */
	unsigned long clear_child_tid;	/* set_tid_address(2) */
	unsigned long robust_list, robust_len;	/* set_robust_list(2) */
	struct rlimit rlim[RLIM_NLIMITS];

	/* The program it runs, for symbolising a user pc: the file stays
	 * in kernel memory (the initramfs lives forever). */
	struct elf_image exe;
	bool has_exe;
	char exe_path[64];
};

/* The process the running thread belongs to; NULL in a kernel thread. */
static inline struct process *current_process(void)
{
	return arch_current()->proc;
}

extern spinlock_t process_lock;
extern struct list_head process_list;	/* struct process.all */

/* Every live process (running or zombie), process_lock held. */
#define for_each_process(p) \
	list_for_each_entry(p, &process_list, all)

/* The process with this pid, or NULL. Caller holds process_lock. */
struct process *find_process_by_pid(int pid);

/* A reference on p's address space (mmget), or NULL once it exited.
 * Drop it with mmput(). */
struct mm_struct *process_get_mm(struct process *p);

/*
 * The program at path (from the current directory, through the VFS: any
 * file system) for execve: its bytes in *data, *size. Initramfs files are
 * handed over in place (*buf NULL: they live for ever); any other file is
 * read into a vmalloc'ed *buf, which the caller vfrees once the program
 * is loaded. 0, or -ENOENT, -ENOTDIR, -ELOOP, -EACCES (not a regular
 * file), -EFBIG, -EIO, -ENOMEM.
 */
int program_open(const char *path, const void **data, size_t *size,
		 void **buf);
/* Make a program path canonical and absolute (from the current
 * directory, symlinks followed), in place: what /proc/self/exe shows.
 * 0, or -errno with path left as it was (-ENAMETOOLONG: over size). */
int program_abs_path(char *path, size_t size);
/* For the console's `run NAME`: a NAME with a '/' is a path; otherwise
 * /bin/NAME. Writes the path into buf: 0 if it is a regular file
 * (through symlinks), or -errno as program_open. */
int program_find(const char *name, char *buf, size_t size);

/*
 * Start a new process that runs the program at `path` (looked up through
 * the VFS) with argv and envp (kernel strings, NULL-ended; envp may be
 * NULL). It has no parent: its caller reaps it with process_wait().
 * Returns its pid, or -errno (-ENOENT, -ENOEXEC with the reason printed
 * as "execve PATH: REASON", -E2BIG, -ENOMEM, -EAGAIN with no pid or
 * thread free).
 */
int process_spawn(const char *path, const char *const *argv,
		  const char *const *envp);
/* The same for an ELF image already in kernel memory (tests; the image
 * must outlive the process). */
int process_spawn_image(const char *name, const void *data, size_t size,
			const char *const *argv, const char *const *envp);

/*
 * Wait until the parentless process `pid` exits, reap it and return its
 * wait4 status word (exit code << 8, or the signal number); -ECHILD if
 * there is no such process or it has a parent. Called from kernel
 * threads (the console, tests). process_wait_nohang() returns -EAGAIN
 * at once if it is still running.
 */
int process_wait(int pid);
int process_wait_nohang(int pid);

/* End the current process (never returns): status is the wait4 status
 * word, (code & 0xff) << 8 for exit(code), the signal number when killed. */
__noreturn void do_exit(int status);

/*
 * "main+0x14" for a user pc of p's program, or NULL (no symbol table, pc
 * outside the program). Safe in a fault report: reads only the image.
 */
const char *process_symbolize(struct process *p, unsigned long pc, char *buf,
			      size_t size);

/* Processes alive and zombie (tests, ps). */
unsigned int nr_processes(void);

/* ---- inside the process layer (kernel/process.c, fork.c, exec.c, exit.c) */

/* A new process, not in the table yet: pid 0, no thread, default limits.
 * NULL when out of memory. */
struct process *process_alloc(void);
/* Give p a pid and put it in the table (under parent, which may be
 * NULL). -EAGAIN when every pid is taken. */
int process_attach(struct process *p, struct process *parent);
/* Free a process that never ran or was reaped (not in the table). */
void process_free(struct process *p);
/* Undo a new process p whose thread t never ran, when process_attach
 * refused it: p's mm and files are put, t is stopped, p is freed. */
void process_discard(struct process *p, struct thread *t);
/* Take p (a zombie, process_lock held) out of the table and its parent's
 * children; the caller frees it after dropping the lock. */
void process_unlink(struct process *p);

/* Wake whoever waits for children of p (wait4 in p, process_wait). */
void process_wake_waiters(struct process *p);
/* Where every wait for a child sleeps (kernel/wait.h); each exit wakes
 * all waiters and each re-checks its own condition. */
struct wait_queue_head;
extern struct wait_queue_head child_exit_wq;

/* A program ready to replace an address space: made by exec_prepare(),
 * installed by exec_commit() or dropped by exec_abort(). */
struct linux_binprm {
	struct mm_struct *mm;
	unsigned long entry, sp;
	struct elf_image exe;
	char name[PROCESS_NAME_LEN];
	char path[64];
};

/* Build the new address space for the ELF image (data, size) named
 * `path`, with argv/envp from the kernel (from_user false) or from the
 * current process's memory. 0 or -errno; prints "execve PATH: REASON"
 * for -ENOEXEC. */
int exec_prepare(struct linux_binprm *bprm, const char *path,
		 const void *data, size_t size, const char *const *argv,
		 const char *const *envp, bool from_user);
/* The point of no return: p (the caller's process, or a new one whose
 * thread has not started) takes the new mm and program. */
void exec_commit(struct process *p, struct linux_binprm *bprm);
void exec_abort(struct linux_binprm *bprm);

/* Start the current thread in user mode at the registers task_pt_regs
 * holds (the first code of a process's kthread). */
__noreturn void process_enter_user(void);

#endif
