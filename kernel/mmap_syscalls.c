/*
 * kernel/mmap_syscalls.c - the memory system calls: the man pages'
 * argument checks, then mm/mm.h's work on the caller's address space
 * (Linux: mm/mmap.c, mm/mprotect.c, mm/madvise.c, mm/mremap.c entry
 * points).
 *
 * mmap of a file descriptor maps the open file (mm/mm.h do_mmap_file:
 * the file's ->mmap decides whether it can be; -ENODEV when it cannot);
 * msync writes a shared file mapping back.
 */
#include "kernel/errno.h"
#include "kernel/file.h"
#include "kernel/process.h"
#include "kernel/syscall.h"
#include "mm/mm.h"
#include <arch/mmu.h>

#define PROT_NONE	0x0
#define PROT_SEM	0x8		/* accepted and ignored, as Linux */
#define PROT_GROWSDOWN	0x01000000
#define PROT_GROWSUP	0x02000000
#define PROT_VALID	(PROT_READ | PROT_WRITE | PROT_EXEC | PROT_SEM | \
			 PROT_GROWSDOWN | PROT_GROWSUP)
#define MAP_SHARED_VALIDATE 0x03
#define MAP_VALID	(MAP_SHARED | MAP_PRIVATE | MAP_TYPE | MAP_FIXED | \
			 MAP_ANONYMOUS | MAP_GROWSDOWN | MAP_DENYWRITE | \
			 MAP_EXECUTABLE | MAP_LOCKED | MAP_NORESERVE | \
			 MAP_POPULATE | MAP_NONBLOCK | MAP_STACK | \
			 MAP_FIXED_NOREPLACE | 0x40000 /* MAP_HUGETLB */ | \
			 0x80000 /* MAP_SYNC */)

#define MREMAP_MAYMOVE	1
#define MREMAP_FIXED	2
#define MREMAP_DONTUNMAP 4

static struct mm_struct *current_mm(void)
{
	struct process *p = current_process();

	return p ? p->mm : NULL;
}

SYSCALL_DEFINE6(mmap, unsigned long, addr, unsigned long, len,
		unsigned long, prot, unsigned long, flags, int, fd,
		unsigned long, off)
{
	struct mm_struct *mm = current_mm();
	unsigned long type = flags & MAP_TYPE;

	if (!mm)
		return -EINVAL;
	if (off & (PAGE_SIZE - 1))
		return -EINVAL;
	if (len == 0 || len > TASK_SIZE)
		return len ? -ENOMEM : -EINVAL;
	if (prot & ~(unsigned long)PROT_VALID)
		return -EINVAL;
	if (type != MAP_SHARED && type != MAP_PRIVATE &&
	    type != MAP_SHARED_VALIDATE)
		return -EINVAL;
	if (type == MAP_SHARED_VALIDATE && (flags & ~(unsigned long)MAP_VALID))
		return -EOPNOTSUPP;
	if (type == MAP_SHARED_VALIDATE)
		flags = (flags & ~(unsigned long)MAP_TYPE) | MAP_SHARED;
	prot &= PROT_READ | PROT_WRITE | PROT_EXEC;
	if (!(flags & MAP_ANONYMOUS)) {
		struct file *f = fd < 0 ? NULL : fget(current_files(), fd);
		long r;

		if (!f)
			return -EBADF;
		/* The VMA takes its own reference; ours goes. */
		r = do_mmap_file(mm, f, addr, len, prot, flags,
				 off >> PAGE_SHIFT);
		fput(f);
		return r;
	}
	return do_mmap(mm, addr, len, prot, flags, 0);
}

SYSCALL_DEFINE3(msync, unsigned long, addr, unsigned long, len, int, flags)
{
	struct mm_struct *mm = current_mm();

	if (!mm)
		return -EINVAL;
	if (len > TASK_SIZE)
		return -ENOMEM;
	return do_msync(mm, addr, len, flags);
}

SYSCALL_DEFINE2(munmap, unsigned long, addr, unsigned long, len)
{
	struct mm_struct *mm = current_mm();

	if (!mm)
		return -EINVAL;
	if ((addr & (PAGE_SIZE - 1)) || len == 0 || addr >= TASK_SIZE ||
	    len > TASK_SIZE - addr)
		return -EINVAL;
	return do_munmap(mm, addr, len);
}

SYSCALL_DEFINE3(mprotect, unsigned long, addr, unsigned long, len,
		unsigned long, prot)
{
	struct mm_struct *mm = current_mm();

	if (!mm)
		return -EINVAL;
	if ((addr & (PAGE_SIZE - 1)) || (prot & ~(unsigned long)PROT_VALID))
		return -EINVAL;
	if ((prot & PROT_GROWSDOWN) && (prot & PROT_GROWSUP))
		return -EINVAL;
	if (len == 0)
		return 0;
	if (addr >= TASK_SIZE || len > TASK_SIZE - addr)
		return -ENOMEM;
	return do_mprotect(mm, addr, len, prot & (PROT_READ | PROT_WRITE |
						  PROT_EXEC));
}

/* The advice values Linux knows, all accepted; do_madvise (mm/mmap.c)
 * decides what each does: MADV_COLD deactivates the range's pages
 * (cold_page_range -> deactivate_page), MADV_PAGEOUT does nothing until
 * swap, and the rest change nothing here. */
static bool madvise_known(int advice)
{
	switch (advice) {
	case MADV_NORMAL: case MADV_RANDOM: case MADV_SEQUENTIAL:
	case MADV_WILLNEED: case MADV_DONTNEED: case MADV_FREE:
	case MADV_COLD: case MADV_PAGEOUT:
	case 9: case 10: case 11:	/* REMOVE, DONTFORK, DOFORK */
	case 12: case 13:		/* MERGEABLE, UNMERGEABLE */
	case 14: case 15:		/* HUGEPAGE, NOHUGEPAGE */
	case 16: case 17:		/* DONTDUMP, DODUMP */
	case 18: case 19:		/* WIPEONFORK, KEEPONFORK */
		return true;
	default:
		return false;
	}
}

SYSCALL_DEFINE3(madvise, unsigned long, addr, unsigned long, len, int,
		advice)
{
	struct mm_struct *mm = current_mm();

	if (!mm)
		return -EINVAL;
	if ((addr & (PAGE_SIZE - 1)) || !madvise_known(advice))
		return -EINVAL;
	if (len == 0)
		return 0;
	if (addr >= TASK_SIZE || len > TASK_SIZE - addr)
		return -ENOMEM;
	return do_madvise(mm, addr, len, advice);
}

SYSCALL_DEFINE1(brk, unsigned long, brk)
{
	struct mm_struct *mm = current_mm();

	return mm ? (long)do_brk(mm, brk) : -EINVAL;
}

/*
 * mremap, the simple version: shrinking in place (the tail is unmapped)
 * and "growing" to the same size work; growing answers -ENOMEM, which
 * the C library's realloc handles by copying to a new block.
 */
SYSCALL_DEFINE5(mremap, unsigned long, addr, unsigned long, old_len,
		unsigned long, new_len, unsigned long, flags,
		unsigned long, new_addr)
{
	struct mm_struct *mm = current_mm();
	long r;

	(void)new_addr;
	if (!mm)
		return -EINVAL;
	if (flags & ~(unsigned long)(MREMAP_MAYMOVE | MREMAP_FIXED |
				     MREMAP_DONTUNMAP))
		return -EINVAL;
	if ((flags & MREMAP_FIXED) && !(flags & MREMAP_MAYMOVE))
		return -EINVAL;
	if (addr & (PAGE_SIZE - 1))
		return -EINVAL;
	old_len = ALIGN_UP(old_len, PAGE_SIZE);
	new_len = ALIGN_UP(new_len, PAGE_SIZE);
	if (new_len == 0)
		return -EINVAL;
	if (flags & (MREMAP_FIXED | MREMAP_DONTUNMAP))
		return -EINVAL;		/* not supported: moving mappings */
	if (new_len > old_len || old_len == 0)
		return -ENOMEM;
	if (new_len < old_len) {
		r = do_munmap(mm, addr + new_len, old_len - new_len);
		if (r)
			return r;
	}
	return (long)addr;
}
