/*
 * kernel/exec.c - execve: replace a process's program (Linux:
 * fs/exec.c and fs/binfmt_elf.c, for static executables only).
 *
 * Two halves, so that a failure leaves the caller untouched:
 * exec_prepare() checks the file (kernel/lib/elf.c), copies the
 * arguments and builds a complete new address space beside the old one;
 * exec_commit() is the point of no return that swaps it in.
 *
 * The new address space, from the top:
 *
 *	USER_SIGPAGE + 4 KiB -----
 *	  [sigpage]                 the signal-return trampoline (r-x)
 *	STACK_TOP = USER_SIGPAGE --  (TASK_SIZE - 16 MiB)
 *	  "path\0"                  AT_EXECFN
 *	  "x86_64\0"                AT_PLATFORM
 *	  argv and envp strings
 *	  16 random bytes           AT_RANDOM (16-byte aligned)
 *	  auxv pairs, AT_NULL
 *	  NULL, envp[envc-1..0]
 *	  NULL, argv[argc-1..0]
 *	sp -> argc                  (16-byte aligned: the SysV ABI's entry)
 *	  ... [stack] VMA, VM_GROWSDOWN to RLIMIT_STACK
 *	mmap_base ----------------  STACK_TOP - stack limit - 1 MiB gap
 *	  mmap area (top down)
 *	  ...
 *	brk                         the heap, from the end of the program
 *	PT_LOAD segments            at p_vaddr (+ ELF_ET_DYN_BASE for ET_DYN)
 */
#include "kernel/errno.h"
#include "kernel/file.h"
#include "kernel/lib/random.h"
#include "kernel/lib/string.h"
#include "kernel/printk.h"
#include "kernel/process.h"
#include "kernel/sched.h"
#include "kernel/syscall.h"
#include "kernel/time.h"
#include "kernel/uaccess.h"
#include "mm/kmalloc.h"
#include "mm/mm.h"
#include "mm/vmalloc.h"
#include <arch/cpu.h>
#include <arch/mmu.h>
#include <arch/user.h>

#define STACK_TOP		USER_SIGPAGE
#define STACK_GAP		(1UL << 20)	/* between stack and mmap */
#define STACK_INIT_SIZE		(128UL << 10)	/* mapped at exec */
#define STACK_LIMIT_MAX		(1UL << 30)	/* an infinite rlimit */
#define ELF_ET_DYN_BASE		0x555555554000UL
#define MMAP_MIN_ADDR		0x10000UL	/* page 0 and a bit stay free */

/* Arguments and environment: at most this many strings, this many bytes
 * in all (Linux allows a quarter of the stack limit; this is enough for
 * busybox and keeps the copy in one small buffer). */
#define ARG_MAX_STRINGS		4096
#define ARG_MAX_BYTES		(64UL << 10)

/* auxv tags (Linux's include/uapi/linux/auxvec.h) */
#define AT_NULL		0
#define AT_PHDR		3
#define AT_PHENT	4
#define AT_PHNUM	5
#define AT_PAGESZ	6
#define AT_BASE		7
#define AT_FLAGS	8
#define AT_ENTRY	9
#define AT_UID		11
#define AT_EUID		12
#define AT_GID		13
#define AT_EGID		14
#define AT_PLATFORM	15
#define AT_HWCAP	16
#define AT_CLKTCK	17
#define AT_SECURE	23
#define AT_RANDOM	25
#define AT_EXECFN	31
#define AUXV_PAIRS	19	/* the tags above, AT_NULL included */

/* The strings, copied into the kernel before the old mm may go. */
struct arg_strings {
	char *buf;		/* argv's strings, then envp's, each NUL-ended */
	size_t used;
	unsigned int argc, envc;
};

/* Fetch the i-th pointer of a NULL-ended vector (kernel or user). */
static int get_vec(const char *const *vec, unsigned int i, bool from_user,
		   const char **out)
{
	if (!vec) {
		*out = NULL;
		return 0;
	}
	if (!from_user) {
		*out = vec[i];
		return 0;
	}
	if (copy_from_user(out, vec + i, sizeof(*out)))
		return -EFAULT;
	return 0;
}

/* Append one vector's strings to as; *count gets how many. */
static int copy_strings(struct arg_strings *as, const char *const *vec,
			bool from_user, unsigned int *count)
{
	unsigned int n = 0;

	for (;;) {
		const char *s;
		size_t room = ARG_MAX_BYTES - as->used;
		long len;
		int r = get_vec(vec, n, from_user, &s);

		if (r)
			return r;
		if (!s)
			break;
		if (as->argc + as->envc + n >= ARG_MAX_STRINGS)
			return -E2BIG;
		if (from_user) {
			len = strncpy_from_user(as->buf + as->used, s,
						(long)room);
			if (len < 0)
				return (int)len;
			if ((size_t)len >= room)
				return -E2BIG;
		} else {
			len = (long)strnlen(s, room);
			if ((size_t)len >= room)
				return -E2BIG;
			memcpy(as->buf + as->used, s, (size_t)len);
		}
		as->buf[as->used + (size_t)len] = '\0';
		as->used += (size_t)len + 1;
		n++;
	}
	*count = n;
	return 0;
}

/* Random bytes for AT_RANDOM and getrandom(2). There is no entropy
 * source yet: a generator seeded from the clock. Not unpredictable. */
void get_random_bytes(void *buf, size_t len);
void get_random_bytes(void *buf, size_t len)
{
	static struct prng rng;
	static bool seeded;
	static DEFINE_SPINLOCK(rng_lock);
	unsigned long flags;
	uint8_t *b = buf;

	spin_lock_irqsave(&rng_lock, flags);
	if (!seeded) {
		prng_seed(&rng, clock_ns() ^ 0x9e3779b97f4a7c15ULL);
		seeded = true;
	}
	for (size_t i = 0; i < len; i += 8) {
		uint64_t v = prng_next(&rng);

		memcpy(b + i, &v, min(len - i, sizeof(v)));
	}
	spin_unlock_irqrestore(&rng_lock, flags);
}

static unsigned long elf_prot(uint32_t flags)
{
	return ((flags & PF_R) ? PROT_READ : 0) |
	       ((flags & PF_W) ? PROT_WRITE : 0) |
	       ((flags & PF_X) ? PROT_EXEC : 0);
}

/* Map every PT_LOAD of img into mm and copy its file bytes. The pages
 * are fresh zero pages (demand zero), so the bss past p_filesz is zero
 * without further work; a read-only segment is mapped writable for the
 * copy and then protected. */
static int load_segments(struct mm_struct *mm, const struct elf_image *img,
			 const char *path)
{
	struct elf_phdr ph;

	for (unsigned int i = 0; i < img->phnum; i++) {
		unsigned long start, end, prot;
		long r;

		elf_get_phdr(img, i, &ph);
		if (ph.p_type != PT_LOAD || ph.p_memsz == 0)
			continue;
		start = ALIGN_DOWN(ph.p_vaddr + img->bias, PAGE_SIZE);
		end = ALIGN_UP(ph.p_vaddr + img->bias + ph.p_memsz, PAGE_SIZE);
		prot = elf_prot(ph.p_flags);
		r = mm_map_fixed(mm, start, end - start, prot | PROT_WRITE, 0,
				 path);
		if (r < 0)
			return (int)r;
		if (ph.p_filesz &&
		    access_remote_vm(mm, ph.p_vaddr + img->bias,
				     (void *)(img->data + ph.p_offset),
				     ph.p_filesz, true) != ph.p_filesz)
			return -ENOMEM;
		if (!(prot & PROT_WRITE)) {
			r = do_mprotect(mm, start, end - start, prot);
			if (r)
				return (int)r;
		}
	}
	return 0;
}

static int put_bytes(struct mm_struct *mm, unsigned long addr,
		     const void *buf, size_t len)
{
	return access_remote_vm(mm, addr, (void *)buf, len, true) == len ?
		0 : -ENOMEM;
}

/*
 * The signal-return trampoline, one page "[sigpage]" at USER_SIGPAGE:
 * the arch's two instructions that call rt_sigreturn. A handler
 * installed without SA_RESTORER returns there (glibc on arm64 gives no
 * restorer: Linux points such handlers at its vDSO's trampoline; we map
 * this page instead of a vDSO).
 */
static int setup_sigpage(struct mm_struct *mm)
{
	size_t n;
	const uint8_t *code = arch_sigreturn_code(&n);
	long r;

	r = mm_map_fixed(mm, USER_SIGPAGE, PAGE_SIZE, PROT_READ | PROT_WRITE,
			 0, "[sigpage]");
	if (r < 0)
		return (int)r;
	if (access_remote_vm(mm, USER_SIGPAGE, (void *)code, n, true) != n)
		return -ENOMEM;
	return do_mprotect(mm, USER_SIGPAGE, PAGE_SIZE, PROT_READ | PROT_EXEC);
}

/* The stack VMA, the strings, auxv and the vectors; *sp_out is where
 * the program starts with argc. */
static int setup_stack(struct mm_struct *mm, const struct arg_strings *as,
		       const struct elf_image *img, const char *path,
		       unsigned long stack_limit, unsigned long *sp_out)
{
	unsigned long p = STACK_TOP, execfn, platform, strings, rnd, sp;
	size_t path_len = strlen(path) + 1;
	size_t plat_len = sizeof(ELF_PLATFORM);
	unsigned int nwords = 1 + as->argc + 1 + as->envc + 1 + 2 * AUXV_PAIRS;
	unsigned long *vec, *v, a;
	uint8_t random[16];
	size_t init;
	long r;
	int err;

	init = ALIGN_UP(path_len + plat_len + as->used + 16 + nwords * 8 +
			64, PAGE_SIZE) + STACK_INIT_SIZE;
	r = mm_map_fixed(mm, STACK_TOP - init, init, PROT_READ | PROT_WRITE,
			 VM_GROWSDOWN, "[stack]");
	if (r < 0)
		return (int)r;
	mm->start_stack = STACK_TOP;
	mm->stack_limit = stack_limit;
	mm->mmap_base = ALIGN_DOWN(STACK_TOP - stack_limit - STACK_GAP,
				   PAGE_SIZE);

	p -= path_len;
	execfn = p;
	p -= plat_len;
	platform = p;
	p -= as->used;
	strings = p;
	p = ALIGN_DOWN(p, 16) - 16;
	rnd = p;
	sp = ALIGN_DOWN(p - nwords * 8UL, 16);
	get_random_bytes(random, sizeof(random));
	err = put_bytes(mm, execfn, path, path_len);
	if (!err)
		err = put_bytes(mm, platform, ELF_PLATFORM, plat_len);
	if (!err)
		err = put_bytes(mm, strings, as->buf, as->used);
	if (!err)
		err = put_bytes(mm, rnd, random, sizeof(random));
	if (err)
		return err;

	vec = kmalloc(nwords * sizeof(*vec), GFP_KERNEL);
	if (!vec)
		return -ENOMEM;
	v = vec;
	*v++ = as->argc;
	a = strings;
	mm->arg_start = a;
	for (unsigned int i = 0; i < as->argc; i++) {
		*v++ = a;
		a += strlen(as->buf + (a - strings)) + 1;
	}
	*v++ = 0;
	mm->arg_end = mm->env_start = a;
	for (unsigned int i = 0; i < as->envc; i++) {
		*v++ = a;
		a += strlen(as->buf + (a - strings)) + 1;
	}
	*v++ = 0;
	mm->env_end = a;
#define AUX(t, val)	do { *v++ = (t); *v++ = (val); } while (0)
	AUX(AT_PHDR, img->phdr_addr);
	AUX(AT_PHENT, ELF64_PHDR_SIZE);
	AUX(AT_PHNUM, img->phnum);
	AUX(AT_PAGESZ, PAGE_SIZE);
	AUX(AT_BASE, 0);
	AUX(AT_FLAGS, 0);
	AUX(AT_ENTRY, img->entry);
	AUX(AT_UID, 0);
	AUX(AT_EUID, 0);
	AUX(AT_GID, 0);
	AUX(AT_EGID, 0);
	AUX(AT_SECURE, 0);
	AUX(AT_RANDOM, rnd);
	AUX(AT_HWCAP, ELF_HWCAP);
	AUX(AT_CLKTCK, 100);
	AUX(AT_PLATFORM, platform);
	AUX(AT_EXECFN, execfn);
	AUX(AT_NULL, 0);
#undef AUX
	err = put_bytes(mm, sp, vec, (size_t)(v - vec) * sizeof(*vec));
	kfree(vec);
	*sp_out = sp;
	return err;
}

static const char *base_name(const char *path)
{
	const char *base = path;

	for (const char *c = path; *c; c++)
		if (*c == '/' && c[1])
			base = c + 1;
	return base;
}

int exec_prepare(struct linux_binprm *bprm, const char *path,
		 const void *data, size_t size, const char *const *argv,
		 const char *const *envp, bool from_user)
{
	struct process *cur = current_process();
	unsigned long limit = cur ? cur->rlim[RLIMIT_STACK].rlim_cur :
				    STACK_LIMIT_DEFAULT;
	struct elf_rules rules = {
		.machine = ELF_ARCH_MACHINE,
		.page_size = PAGE_SIZE,
		.min_addr = MMAP_MIN_ADDR,
		.dyn_base = ELF_ET_DYN_BASE,
	};
	struct arg_strings as = { 0 };
	char why[160];
	int r;

	memset(bprm, 0, sizeof(*bprm));
	if (limit > STACK_LIMIT_MAX)
		limit = STACK_LIMIT_MAX;
	limit = ALIGN_UP(limit, PAGE_SIZE);
	/* Segments stay below the lowest the stack and mmap may reach. */
	rules.user_end = STACK_TOP - limit - STACK_GAP - (1UL << 30);
	r = elf_parse(&bprm->exe, data, size, &rules, why, sizeof(why));
	if (r) {
		pr_err("execve %s: %s\n", path, why);
		return r;
	}
	as.buf = kmalloc(ARG_MAX_BYTES, GFP_KERNEL);
	if (!as.buf)
		return -ENOMEM;
	r = copy_strings(&as, argv, from_user, &as.argc);
	if (!r)
		r = copy_strings(&as, envp, from_user, &as.envc);
	if (r)
		goto out;
	bprm->mm = mm_alloc();
	if (!bprm->mm) {
		r = -ENOMEM;
		goto out;
	}
	r = load_segments(bprm->mm, &bprm->exe, path);
	if (!r)
		r = setup_stack(bprm->mm, &as, &bprm->exe, path, limit,
				&bprm->sp);
	if (!r)
		r = setup_sigpage(bprm->mm);
	if (r) {
		mmput(bprm->mm);
		bprm->mm = NULL;
		goto out;
	}
	bprm->mm->start_brk = bprm->mm->brk = bprm->exe.load_end;
	bprm->entry = bprm->exe.entry;
	strlcpy(bprm->name, base_name(path), sizeof(bprm->name));
	strlcpy(bprm->path, path, sizeof(bprm->path));
out:
	kfree(as.buf);
	return r;
}

void exec_abort(struct linux_binprm *bprm)
{
	if (bprm->mm)
		mmput(bprm->mm);
	bprm->mm = NULL;
}

void exec_commit(struct process *p, struct linux_binprm *bprm)
{
	struct thread *t = p->thread;
	struct mm_struct *old;
	unsigned long flags;

	/* Swap the address space: the CPU must never run on a freed one. */
	spin_lock_irqsave(&process_lock, flags);
	old = p->mm;
	p->mm = bprm->mm;
	t->mm = bprm->mm;
	if (t == current)
		arch_switch_mm(&bprm->mm->arch);
	p->exe = bprm->exe;
	p->has_exe = true;
	strlcpy(p->exe_path, bprm->path, sizeof(p->exe_path));
	strlcpy(p->name, bprm->name, sizeof(p->name));
	strlcpy(t->name, bprm->name, sizeof(t->name));
	spin_unlock_irqrestore(&process_lock, flags);
	bprm->mm = NULL;
	if (old)
		mmput(old);

	arch_reset_user_state(t);
	if (p->files)
		files_close_on_exec(p->files);
	signal_exec_reset(p);
	p->clear_child_tid = 0;
	p->robust_list = 0;
	start_thread(task_pt_regs(t), bprm->entry, bprm->sp);
}

/* Copy a user path into buf; -ENAMETOOLONG, -EFAULT, -ENOENT for "". */
static int get_user_path(char *buf, size_t size, const char *upath)
{
	long n = strncpy_from_user(buf, upath, (long)size);

	if (n < 0)
		return (int)n;
	if ((size_t)n >= size)
		return -ENAMETOOLONG;
	if (n == 0)
		return -ENOENT;
	return 0;
}

SYSCALL_DEFINE3(execve, const char *, upath, const char *const *, argv,
		const char *const *, envp)
{
	struct process *p = current_process();
	struct linux_binprm bprm;
	char path[64];
	const void *data;
	size_t size;
	void *buf;
	int r;

	if (!p)
		return -EINVAL;
	r = get_user_path(path, sizeof(path), upath);
	if (r)
		return r;
	r = program_open(path, &data, &size, &buf);
	if (r)
		return r;
	/* /proc/self/exe names the program by its absolute path; one too
	 * long for exe_path stays as given. */
	program_abs_path(path, sizeof(path));
	r = exec_prepare(&bprm, path, data, size, argv, envp, true);
	if (buf) {
		/* A copy: nothing may read it once loaded (no symbols). */
		bprm.exe.data = NULL;
		bprm.exe.size = 0;
		vfree(buf);
	}
	if (r)
		return r;
	exec_commit(p, &bprm);
	/* The new program starts with its return-value register 0, as
	 * start_thread left it: do_syscall stores this 0 there. */
	return 0;
}
