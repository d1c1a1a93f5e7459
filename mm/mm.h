/*
 * mm/mm.h - user address spaces: struct mm_struct, its VMAs, and what the
 * rest of the kernel asks of them (Linux: include/linux/mm.h, mm_types.h).
 *
 * An address space is a page table (struct arch_mm, mm/arch_mm.h) plus
 * the list of what may be mapped where (the VMAs, in a gap tree ordered by
 * address, kernel/lib/gaptree.h). Pages are mapped lazily: do_mmap() only
 * records a VMA; the first access faults and handle_mm_fault() fills in
 * the page (demand zero, copy-on-write after fork). The process layer
 * (kernel/process.c) owns one mm per process and calls these functions
 * from its system calls; this component knows nothing of processes.
 *
 * Addresses are user virtual addresses in [0, TASK_SIZE). Lengths are
 * rounded up to pages where the system call says so (mmap, munmap,
 * mprotect, madvise); an address that must be aligned and is not gives
 * -EINVAL, as the man pages say.
 *
 * Locking (docs/mm/vm.md, "Locking"): mm->mmap_lock (a sleeping lock,
 * struct mutex: a fault in a file mapping sleeps for I/O and for the page
 * lock) serialises the changes to one mm's VMAs, and its faults. Linux's
 * mmap_lock is a reader/writer semaphore; here readers (faults, reports,
 * access_remote_vm, msync) and writers (mmap, munmap, mprotect, brk,
 * madvise, fork, exit) alike take the one mutex, through mmap_read_lock /
 * mmap_write_lock. The difference is real for one party, reclaim's rmap
 * walks: they never take mmap_lock. They enter the mm's rmap gate
 * (mm_rmap_enter), which only a writer closes, and change PTEs under
 * mm->page_table_lock, as every other changer of a present PTE does. So
 * reclaim can judge and unmap the pages of a process that is in a fault.
 * mmap_lock may be taken only where sleeping is allowed (no spinlock
 * held, interrupts on); the scheduler never takes it, and reports that
 * run from a fault (describe_vma) only try it. Calls on different mms
 * are independent. Pages shared between mms (COW after fork, shared
 * anonymous memory) are counted by their struct page refcount and
 * _mapcount; the rmap (mm/rmap.h) finds every PTE that maps one.
 */
#ifndef MM_MM_H
#define MM_MM_H

#include "kernel/lib/gaptree.h"
#include "kernel/mutex.h"
#include "kernel/spinlock.h"
#include "kernel/abi/mman.h"	/* PROT_*, MAP_*, MADV_*: Linux's values */
#include "kernel/types.h"
#include "kernel/wait.h"
#include "kernel/lib/list.h"
#include "mm/arch_mm.h"
#include "mm/fault.h"
#include "mm/mmzone.h"

#include "kernel/errno.h"

/* A negative errno returned in an unsigned long (do_mmap's address). */
#ifndef IS_ERR_VALUE
#define IS_ERR_VALUE(x)	((unsigned long)(x) >= (unsigned long)-4095)
#endif

/* The lowest address mmap may use (Linux's default vm.mmap_min_addr):
 * page 0 and its neighbours are never mappable, so a NULL dereference in
 * user mode always faults. A MAP_FIXED request below it is -EPERM. */
#define MMAP_MIN_ADDR	0x10000UL
/* The gap kept between a growing stack and the mapping below it (Linux's
 * stack_guard_gap: 256 pages, 1 MiB). */
#define STACK_GUARD_GAP	(256UL << PAGE_SHIFT)
/* The default stack limit (RLIMIT_STACK) and the gap mmap_base leaves
 * above it for the stack. */
#define DEFAULT_STACK_LIMIT	(8UL << 20)
#define MMAP_BASE_GAP		(128UL << 20)
/* Longest VMA name kept ("[heap]", a program's path; longer is cut). */
#define VMA_NAME_LEN	48

/* vm_area_struct.vm_flags (Linux's names and meaning). */
#define VM_READ		0x00000001UL
#define VM_WRITE	0x00000002UL
#define VM_EXEC		0x00000004UL
#define VM_SHARED	0x00000008UL
#define VM_MAYREAD	0x00000010UL	/* mprotect may add PROT_READ */
#define VM_MAYWRITE	0x00000020UL
#define VM_MAYEXEC	0x00000040UL
#define VM_GROWSDOWN	0x00000100UL	/* the stack: grows down on a fault */
#define VM_LOCKED	0x00002000UL
#define VM_DONTCOPY	0x00020000UL	/* not inherited by fork */
#define VM_ACCOUNT	0x00100000UL	/* counted in Committed_AS */

/* RSS counters by type (Linux: MM_FILEPAGES, MM_ANONPAGES, MM_SHMEMPAGES). */
enum mm_counter {
	MM_FILEPAGES,
	MM_ANONPAGES,
	MM_SHMEMPAGES,
	MM_SWAPENTS,		/* not pages: swap entries in its PTEs */
	NR_MM_COUNTERS,
};

struct mm_struct;
struct anon_vma;
struct shared_anon;
struct kmalloc_set;
struct file;
struct address_space;
struct vm_area_struct;

/*
 * A fault in a VMA that maps something (a file): what its vm_ops get.
 * fault() finds or reads the page at pgoff and returns it in ->page with
 * a reference (and VM_FAULT_LOCKED if it is returned locked); the core
 * maps it (read, or private COW copy). page_mkwrite() is called before a
 * write makes a shared file page writable: the file system may refuse
 * (VM_FAULT_SIGBUS: no space), the page cache marks the page dirty.
 */
struct vm_fault {
	struct vm_area_struct *vma;
	unsigned long address;		/* page-aligned */
	pgoff_t pgoff;			/* in the file, pages */
	unsigned int flags;		/* FAULT_FLAG_* */
	struct page *page;		/* fault(): out; page_mkwrite(): in */
};
#define FAULT_FLAG_WRITE	0x01
#define FAULT_FLAG_USER		0x02	/* from user mode (else uaccess) */

/* What a vm_ops handler returns: 0 or a set of these. */
typedef unsigned int vm_fault_t;
#define VM_FAULT_ERR_OOM	0x0001	/* no memory */
#define VM_FAULT_SIGBUS		0x0002	/* beyond the file's end, I/O error */
#define VM_FAULT_MAJOR		0x0004	/* needed I/O (counted pgmajfault) */
#define VM_FAULT_LOCKED		0x0008	/* ->page is returned locked */
#define VM_FAULT_NOPAGE		0x0010	/* the handler mapped it itself */

struct vm_operations_struct {
	void (*open)(struct vm_area_struct *vma);	/* a copy (fork, split) */
	void (*close)(struct vm_area_struct *vma);	/* unmapped */
	vm_fault_t (*fault)(struct vm_fault *vmf);
	vm_fault_t (*page_mkwrite)(struct vm_fault *vmf);
	const char *name;				/* for reports */
};

/*
 * One mapping: [vm_start, vm_end) with one set of flags. vm_node's range
 * is [vm_start >> PAGE_SHIFT, (vm_end >> PAGE_SHIFT) - 1] in the mm's gap
 * tree. vm_pgoff is the page offset of vm_start in what it maps (the
 * shared object, later a file), so that splitting a VMA keeps every page
 * at the same offset.
 */
struct vm_area_struct {
	struct gap_node vm_node;	/* in mm->vmas; first member */
	struct mm_struct *vm_mm;
	unsigned long vm_start, vm_end;
	unsigned long vm_flags;		/* VM_* */
	unsigned long vm_pgoff;
	struct anon_vma *anon_vma;	/* private anonymous pages (rmap):
					 * NULL until the first page */
	struct list_head anon_vma_node;	/* in anon_vma->vmas */
	struct shared_anon *shared;	/* MAP_SHARED|MAP_ANONYMOUS pages */
	struct file *vm_file;		/* a file mapping: the file (a
					 * reference); vm_pgoff in pages */
	const struct vm_operations_struct *vm_ops;	/* NULL: anonymous */
	struct list_head shared_node;	/* in vm_file's mapping->i_mmap, or
					 * shared->mapping.i_mmap */
	unsigned long vm_dev, vm_ino;	/* the file's st_dev and st_ino
					 * (its getattr at mmap), for maps */
	char name[VMA_NAME_LEN];	/* "[heap]", "[stack]", a program's
					 * path; "": anonymous */
};

struct mm_struct {
	struct arch_mm arch;		/* the page table, ASID/PCID */
	struct mutex mmap_lock;		/* see the header comment */
	/* Linux's name. Held for every change to the page table's entries
	 * (and its counts), and by an rmap visit for its look at a PTE:
	 * a fault, a zap or msync and reclaim's try_to_unmap of the same
	 * page cannot interleave. A spinlock: nothing sleeps under it. */
	spinlock_t page_table_lock;
	unsigned int rmap_walkers;	/* rmap walks inside (the gate) */
	bool vmas_changing;		/* a writer closed the gate */
	struct wait_queue_head rmap_wq;	/* the writer, for the last walk */
	int users;			/* references: mmget() / mmput() */
	int tlb_batched;		/* reclaim's TLB batches that owe this
					 * mm a flush (mm/rmap.h tlb_batch) */
	struct gap_tree vmas;		/* struct vm_area_struct, by page */
	unsigned long map_count;	/* VMAs */
	unsigned long total_vm;		/* pages in all VMAs */
	unsigned long committed;	/* pages counted in Committed_AS */
	long rss[NR_MM_COUNTERS];	/* pages mapped, by type
					 * (add_mm_counter; READ_ONCE) */
	unsigned long start_brk, brk;	/* the heap: [start_brk, brk) */
	unsigned long start_stack;	/* top of the initial stack */
	unsigned long stack_limit;	/* RLIMIT_STACK, bytes */
	unsigned long mmap_base;	/* top-down mmap starts below here */
	unsigned long arg_start, arg_end, env_start, env_end;
	unsigned long pgfault, pgmajfault;	/* faults taken in this mm */
	/* Anonymous fault-around (mm/memory.c, do_anonymous_page), under
	 * mmap_lock: where a sequential writer's next fault would land, and
	 * how many pages the last fault there mapped. */
	unsigned long anon_next_fault;
	unsigned int anon_window;
	/* Where this mm's pages and its bookkeeping (the mm, VMAs, anon_vmas,
	 * shared objects) come from: NULL = the kernel's (alloc_pages,
	 * kmalloc). Tests pass a private arena so every page is counted. */
	pg_data_t *node;
	struct kmalloc_set *ks;
	struct list_head mmlist;	/* every mm (swapoff searches them) */
};

/*
 * The gfp of a user page allocated inside a fault, with mmap_lock held.
 * In a user fault that may be retried (handle_mm_fault) the allocation
 * does not reclaim: it fails, the fault returns VM_FAULT_OOM, and
 * handle_mm_fault reclaims with the lock dropped and tries again, so the
 * process's writers (munmap, fork) do not wait for reclaim. (Made when
 * rmap walks needed mmap_lock and a reclaimer inside a fault could unmap
 * nothing of any faulting process: docs/mm/swap.md.)
 */
static inline gfp_t fault_gfp(gfp_t gfp)
{
	return current_fault_may_retry() ? gfp & ~__GFP_DIRECT_RECLAIM : gfp;
}

/*
 * The rmap gate. An rmap walk (mm/rmap.c) that reaches mm through a VMA
 * enters the gate instead of taking mmap_lock: inside, mm's VMAs and page
 * tables stay as they are (only a writer changes or frees them, and a
 * writer closes the gate and waits for the walks inside to leave). The
 * walk looks at and changes PTEs under page_table_lock only, never
 * sleeps inside, and leaves soon. false: a writer is at work (the walk
 * counts the mm as busy).
 */
static inline bool mm_rmap_enter(struct mm_struct *mm)
{
	bool in;

	spin_lock(&mm->page_table_lock);
	in = !mm->vmas_changing;
	if (in)
		mm->rmap_walkers++;
	spin_unlock(&mm->page_table_lock);
	return in;
}

static inline void mm_rmap_exit(struct mm_struct *mm)
{
	spin_lock(&mm->page_table_lock);
	/* Woken under the lock: the writer takes it once it sees no walk
	 * inside, so this wake-up is over before it may free mm. */
	if (!--mm->rmap_walkers && mm->vmas_changing)
		wake_up(&mm->rmap_wq);
	spin_unlock(&mm->page_table_lock);
}

/* Close the gate and wait for the walks inside (mmap_lock held); then
 * VMAs may change and page tables go. Open it again after. */
void mm_vmas_change_begin(struct mm_struct *mm);
void mm_vmas_change_end(struct mm_struct *mm);

/* Taking mm->mmap_lock (see the header comment: one mutex for both kinds
 * of holder; a writer also closes the rmap gate). Lock debugging names
 * the caller's file:line for the mutex. */
#define mmap_read_lock(mm)	mutex_lock(&(mm)->mmap_lock)
#define mmap_read_unlock(mm)	mutex_unlock(&(mm)->mmap_lock)
#define mmap_read_trylock(mm)	mutex_trylock(&(mm)->mmap_lock)
#define mmap_write_lock(mm)	\
	do { mutex_lock(&(mm)->mmap_lock); mm_vmas_change_begin(mm); } while (0)
#define mmap_write_unlock(mm)	\
	do { mm_vmas_change_end(mm); mutex_unlock(&(mm)->mmap_lock); } while (0)
static inline bool mmap_write_trylock(struct mm_struct *mm)
{
	if (!mutex_trylock(&mm->mmap_lock))
		return false;
	mm_vmas_change_begin(mm);
	return true;
}

/* mm->rss[member] += value: atomic, since reclaim's unmapping changes
 * them beside a fault of the mm's own. */
static inline void add_mm_counter(struct mm_struct *mm, int member, long value)
{
	__atomic_add_fetch(&mm->rss[member], value, __ATOMIC_RELAXED);
}

/* ---- lifetime */

/* An empty address space (no VMAs, an empty user page table), users = 1,
 * stack_limit 8 MiB, mmap_base below the stack's room; exec sets
 * start_stack, start_brk = brk and the arg/env bounds. NULL when out of
 * memory. */
struct mm_struct *mm_alloc(void);
/* The same with pages from node and bookkeeping from ks (either NULL:
 * the kernel's); dup_mm() gives the child the parent's. */
struct mm_struct *mm_alloc_node(pg_data_t *node, struct kmalloc_set *ks);
/* fork: a copy of old whose private writable pages are shared
 * copy-on-write (both sides read-only until one writes) and whose shared
 * mappings stay shared; VM_DONTCOPY VMAs are left out. NULL on -ENOMEM
 * (nothing leaks). old->mmap_lock and the child's are taken; the
 * child's page tables may reclaim (pgtable->may_sleep). */
struct mm_struct *dup_mm(struct mm_struct *old);
void mmget(struct mm_struct *mm);
/* A reference unless the mm is already on its way out (users 0). */
bool mmget_not_zero(struct mm_struct *mm);
/* Drop a reference; the last unmaps everything, frees every page no one
 * else maps and every table. The mm must not be loaded on any CPU (the
 * last put comes after its last thread switched away: the scheduler does
 * not keep an mm loaded for a kernel thread). */
void mmput(struct mm_struct *mm);

/* ---- the system calls' work (each takes mm->mmap_lock itself) */

/* mmap of anonymous memory (MAP_ANONYMOUS with MAP_PRIVATE or
 * MAP_SHARED; other flags as Linux). Returns the address, or a negative
 * errno (-EINVAL, -ENOMEM, -EEXIST for MAP_FIXED_NOREPLACE); test with
 * IS_ERR_VALUE(). MAP_POPULATE faults every page in before returning. */
long do_mmap(struct mm_struct *mm, unsigned long addr, unsigned long len,
	     unsigned long prot, unsigned long flags, unsigned long pgoff);
/*
 * The same for a file (NULL, or ignored with MAP_ANONYMOUS) from page
 * pgoff on: the VMA takes a reference on file and its ->mmap sets the
 * vm_ops. Errors as the man page: -ENODEV (the file has no ->mmap),
 * -EACCES (not opened for reading; PROT_WRITE with MAP_SHARED and not
 * opened for writing), -EOVERFLOW (pgoff + pages wraps), and do_mmap's.
 * A MAP_SHARED mapping of a file not opened for writing loses
 * VM_MAYWRITE (mprotect cannot add PROT_WRITE). Faults read the file
 * through vm_ops->fault; may sleep.
 */
long do_mmap_file(struct mm_struct *mm, struct file *file, unsigned long addr,
		  unsigned long len, unsigned long prot, unsigned long flags,
		  unsigned long pgoff);
/* A fixed private mapping with a name (exec's program segments, the
 * stack): as do_mmap(MAP_FIXED | MAP_PRIVATE | MAP_ANONYMOUS) plus extra
 * vm_flags (VM_GROWSDOWN). */
long mm_map_fixed(struct mm_struct *mm, unsigned long addr, unsigned long len,
		  unsigned long prot, unsigned long vm_flags, const char *name);
int do_munmap(struct mm_struct *mm, unsigned long addr, unsigned long len);
int do_mprotect(struct mm_struct *mm, unsigned long addr, unsigned long len,
		unsigned long prot);
/* brk(2): moves the end of the heap; returns the new break (the old one
 * when the request is refused), as the system call does. */
unsigned long do_brk(struct mm_struct *mm, unsigned long brk);
int do_madvise(struct mm_struct *mm, unsigned long addr, unsigned long len,
	       int advice);
/*
 * msync(2) of [addr, addr + len): the dirty bits of the range's shared
 * file PTEs go to their pages (set_page_dirty); MS_SYNC then writes the
 * range of each file back and waits (its f_op->fsync of the range, as
 * Linux's vfs_fsync_range; its error returned, -EINVAL without one); MS_ASYNC starts nothing more (the flusher writes
 * dirty pages, as Linux since 2.6.19). Errors: -EINVAL (addr unaligned,
 * unknown flags, MS_SYNC with MS_ASYNC), -ENOMEM (part of the range is
 * not mapped: the rest is still synced), -EBUSY (MS_INVALIDATE over a
 * VM_LOCKED mapping). Sleeps.
 */
int do_msync(struct mm_struct *mm, unsigned long addr, unsigned long len,
	     int flags);

/* ---- faults */

/* What handle_mm_fault() decided (Linux's VM_FAULT_* in spirit). */
enum vm_fault_result {
	VM_FAULT_DONE = 0,	/* mapped: retry the access */
	VM_FAULT_SIGSEGV,	/* no VMA, or the VMA forbids the access */
	VM_FAULT_OOM,		/* no page to be had */
	VM_FAULT_BUS,		/* SIGBUS: a file page beyond the end of the
				 * file, or one that could not be read */
	VM_FAULT_RETRY,		/* inside handle_mm_fault only: the fault
				 * dropped mmap_lock to wait for a read (Linux's
				 * lock_page_or_retry) and must be tried again */
};

/* Resolve a fault at addr in mm: find the VMA (growing the stack down to
 * its limit, leaving a guard gap), check the access against its flags,
 * and map a zeroed page (demand zero), the shared page, or a private
 * copy (write to a COW page). Takes mm->mmap_lock (may sleep); counts
 * pgfault. Read needs
 * any of VM_READ/WRITE/EXEC, write VM_WRITE, exec VM_EXEC. */
enum vm_fault_result handle_mm_fault(struct mm_struct *mm, unsigned long addr,
				     enum fault_access access);

/* ---- access to an mm that need not be loaded (exec, tests, ptrace-like) */

/* Copy len bytes between buf and [addr, addr + len) of mm, faulting pages
 * in as a user access with `write` would (so COW and demand zero apply,
 * the stack grows, and a protection the access lacks fails: there is no
 * FOLL_FORCE, so exec maps a read-only segment writable, fills it, then
 * do_mprotect()s it). Returns bytes copied (short at the first page that
 * fails). Takes mm->mmap_lock (may sleep; its faults drop it to wait for
 * a swap read or to reclaim, as handle_mm_fault's do, so the VMAs may
 * change between pages); mm need not be loaded anywhere. */
size_t access_remote_vm(struct mm_struct *mm, unsigned long addr, void *buf,
			size_t len, bool write);

/* ---- reports */

/* The VMA holding addr, or NULL. Caller holds mm->mmap_lock. */
struct vm_area_struct *find_vma(struct mm_struct *mm, unsigned long addr);
/* The VMAs, one line each in /proc/PID/maps format, to printk. */
void show_maps(struct mm_struct *mm);
/* Same, for one address (the crash report's "in VMA ..." line):
 * writes e.g. "55550000-55551000 r-xp 00000000 00:00 0 /bin/faulttest"
 * or "no VMA" into buf. Never sleeps: "mm busy" if the lock is held
 * (it runs from fault reports and the OOM killer). */
const char *describe_vma(struct mm_struct *mm, unsigned long addr, char *buf,
			 size_t size);

#endif
