/*
 * kernel/process.c - the process table: pids, the tree, lookup, spawning
 * a first process and reaping parentless ones (kernel/process.h).
 */
#include "kernel/process.h"
#include "kernel/errno.h"
#include "kernel/file.h"
#include "fs/fs.h"
#include "fs/initramfs.h"
#include "kernel/lib/vsprintf.h"
#include "kernel/kthread.h"
#include "kernel/lib/string.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/time.h"
#include "kernel/wait.h"
#include "mm/kmalloc.h"
#include "mm/mm.h"
#include "mm/vmalloc.h"
#include <arch/cpu.h>
#include <arch/user.h>

DEFINE_SPINLOCK(process_lock);
struct list_head process_list = LIST_HEAD_INIT(process_list);
static unsigned int nr_procs;
static int last_pid;

DECLARE_WAIT_QUEUE_HEAD(child_exit_wq);

struct process *find_process_by_pid(int pid)
{
	struct process *p;

	for_each_process(p)
		if (p->pid == pid)
			return p;
	return NULL;
}

unsigned int nr_processes(void)
{
	return READ_ONCE(nr_procs);
}

struct mm_struct *process_get_mm(struct process *p)
{
	struct mm_struct *mm;
	unsigned long flags;

	spin_lock_irqsave(&process_lock, flags);
	mm = p->mm;
	if (mm)
		mmget(mm);
	spin_unlock_irqrestore(&process_lock, flags);
	return mm;
}

struct process *process_alloc(void)
{
	struct process *p = kzalloc(sizeof(*p), GFP_KERNEL);

	if (!p)
		return NULL;
	INIT_LIST_HEAD(&p->children);
	INIT_LIST_HEAD(&p->sibling);
	INIT_LIST_HEAD(&p->all);
	signal_state_init(&p->signal);
	p->umask = 022;
	p->start_ns = clock_ns();
	for (unsigned int i = 0; i < RLIM_NLIMITS; i++)
		p->rlim[i] = (struct rlimit){ RLIM_INFINITY, RLIM_INFINITY };
	p->rlim[RLIMIT_STACK].rlim_cur = STACK_LIMIT_DEFAULT;
	p->rlim[RLIMIT_NOFILE] = (struct rlimit){ NOFILE_DEFAULT,
						  NOFILE_DEFAULT * 4 };
	p->rlim[RLIMIT_CORE].rlim_cur = 0;
	return p;
}

/* The next free pid after the last one given, wrapping (process_lock). */
static int alloc_pid(void)
{
	for (int n = 1; n < PID_MAX; n++) {
		int pid = (last_pid + n) % PID_MAX;

		if (pid && !find_process_by_pid(pid)) {
			last_pid = pid;
			return pid;
		}
	}
	return -EAGAIN;
}

int process_attach(struct process *p, struct process *parent)
{
	unsigned long flags;
	int pid;

	spin_lock_irqsave(&process_lock, flags);
	pid = alloc_pid();
	if (pid > 0) {
		p->pid = pid;
		p->parent = parent;
		if (parent) {
			list_add_tail(&p->sibling, &parent->children);
			p->pgid = parent->pgid;
			p->sid = parent->sid;
		} else {
			p->pgid = p->sid = pid;
		}
		list_add_tail(&p->all, &process_list);
		nr_procs++;
	}
	spin_unlock_irqrestore(&process_lock, flags);
	return pid;
}

void process_unlink(struct process *p)
{
	list_del(&p->all);
	list_del(&p->sibling);
	if (p->parent)
		p->parent->children_ns += p->runtime_ns;
	nr_procs--;
}

void process_free(struct process *p)
{
	kfree(p);
}

void process_discard(struct process *p, struct thread *t)
{
	t->proc = NULL;
	t->mm = NULL;
	mmput(p->mm);
	p->mm = NULL;
	files_put(p->files);
	p->files = NULL;
	kthread_stop(t);
	process_free(p);
}

void process_wake_waiters(struct process *p)
{
	(void)p;
	wake_up(&child_exit_wq);
}

/*
 * The first code of a process's kthread: its registers are ready in
 * task_pt_regs (exec_commit's start_thread, or fork's copy of the
 * parent's), its mm was loaded by the switch to it.
 */
__noreturn void process_enter_user(void)
{
	arch_enter_user(task_pt_regs(current));
}

static int process_thread_fn(void *arg)
{
	(void)arg;
	process_enter_user();
}

/* A spawned process: built fully (address space, thread) before its
 * thread starts, so a failure is reported to the caller. */
static int spawn(struct linux_binprm *bprm)
{
	struct process *p = process_alloc();
	struct thread *t;
	int pid;

	if (!p) {
		exec_abort(bprm);
		return -ENOMEM;
	}
	t = kthread_create(process_thread_fn, NULL, "%s", bprm->name);
	if (!t) {
		exec_abort(bprm);
		process_free(p);
		return -EAGAIN;
	}
	p->thread = t;
	t->proc = p;
	p->files = files_alloc_console();
	if (!p->files) {
		exec_abort(bprm);
		kthread_stop(t);
		process_free(p);
		return -ENOMEM;
	}
	exec_commit(p, bprm);
	pid = process_attach(p, NULL);
	if (pid < 0) {
		process_discard(p, t);
		return pid;
	}
	kthread_detach(t);
	wake_up_process(t);
	return pid;
}

int process_spawn_image(const char *name, const void *data, size_t size,
			const char *const *argv, const char *const *envp)
{
	struct linux_binprm bprm;
	int r;

	r = exec_prepare(&bprm, name, data, size, argv, envp, false);
	if (r)
		return r;
	return spawn(&bprm);
}

/* The largest program read from a file system (busybox is ~2 MiB). */
#define PROGRAM_MAX_SIZE	(64UL << 20)

int program_open(const char *path, const void **data, size_t *size,
		 void **buf)
{
	struct file *f = file_open_at(NULL, path, O_RDONLY, 0);
	int r = 0;

	*buf = NULL;
	if (IS_ERR(f))
		return (int)PTR_ERR(f);
	if (!f->f_inode || !S_ISREG(f->f_inode->i_mode))
		r = -EACCES;
	else if ((*data = initramfs_file_bytes(f->f_inode, size)) == NULL) {
		r = kernel_read_file(f, buf, size, PROGRAM_MAX_SIZE);
		*data = *buf;
	}
	fput(f);
	return r;
}

int program_abs_path(char *path, size_t size)
{
	char *abs = kmalloc(PATH_MAX, GFP_KERNEL);
	int r;

	if (!abs)
		return -ENOMEM;
	r = vfs_real_path(path, abs, PATH_MAX);
	if (r >= 0 && (size_t)r >= size)
		r = -ENAMETOOLONG;
	if (r >= 0)
		memcpy(path, abs, (size_t)r + 1);
	kfree(abs);
	return r < 0 ? r : 0;
}

int program_find(const char *name, char *buf, size_t size)
{
	const void *data;
	size_t len;
	void *copy;
	int n = strchr(name, '/') ? ksnprintf(buf, size, "%s", name)
				  : ksnprintf(buf, size, "/bin/%s", name);
	int r;

	if (n < 0 || (size_t)n >= size)
		return -ENAMETOOLONG;
	r = program_open(buf, &data, &len, &copy);
	vfree(copy);
	return r;
}

int process_spawn(const char *path, const char *const *argv,
		  const char *const *envp)
{
	const void *data;
	size_t size;
	struct linux_binprm bprm;
	void *buf;
	int r = program_open(path, &data, &size, &buf);

	if (r)
		return r;
	r = exec_prepare(&bprm, path, data, size, argv, envp, false);
	if (buf) {
		/* A copy: nothing may read it once loaded (no symbols). */
		bprm.exe.data = NULL;
		bprm.exe.size = 0;
		vfree(buf);
	}
	if (r)
		return r;
	return spawn(&bprm);
}

/* Reap the parentless zombie `pid`; -EAGAIN while it runs. */
static int try_reap(int pid)
{
	struct process *p;
	unsigned long flags;
	int status;

	spin_lock_irqsave(&process_lock, flags);
	p = find_process_by_pid(pid);
	if (!p || p->parent) {
		spin_unlock_irqrestore(&process_lock, flags);
		return -ECHILD;
	}
	p->waited_for = true;
	if (p->state != PROCESS_ZOMBIE) {
		spin_unlock_irqrestore(&process_lock, flags);
		return -EAGAIN;
	}
	status = p->exit_code;
	process_unlink(p);
	spin_unlock_irqrestore(&process_lock, flags);
	process_free(p);
	return status;
}

int process_wait_nohang(int pid)
{
	return try_reap(pid);
}

int process_wait(int pid)
{
	int r;

	wait_event(child_exit_wq, (r = try_reap(pid)) != -EAGAIN);
	return r;
}

const char *process_symbolize(struct process *p, unsigned long pc, char *buf,
			      size_t size)
{
	if (!p || !p->has_exe)
		return NULL;
	return elf_symbolize(&p->exe, pc, buf, size);
}
