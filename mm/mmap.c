/*
 * mm/mmap.c - the VMAs of an address space: the gap tree that holds them,
 * split and merge, and the system calls' work on them (mmap, munmap,
 * mprotect, brk, madvise, msync), file mappings (the VMA holds the file and
 * sits in its mapping's i_mmap), placement (get_unmapped_area) and the
 * /proc/PID/maps report. Pages are mm/memory.c's. Contracts: mm/mm.h.
 */
#include "mm/vm_internal.h"
#include "mm/rmap.h"
#include "mm/kmalloc.h"
#include "kernel/errno.h"
#include "kernel/lib/string.h"
#include "kernel/lib/vsprintf.h"
#include "kernel/printk.h"
#include "kernel/panic.h"
#include "mm/vmstat.h"
#include "mm/filemap.h"
#include "mm/vmscan.h"
#include "mm/lru.h"
#include "kernel/file.h"

long vm_committed_pages;

void *vm_zalloc(struct mm_struct *mm, size_t size)
{
	if (mm->ks)
		return kmalloc_from(mm->ks, size, GFP_KERNEL | __GFP_ZERO);
	return kzalloc(size, GFP_KERNEL);
}

unsigned int vm_pte_prot(unsigned long vm_flags)
{
	unsigned int prot;

	/* PROT_NONE: present for the kernel only, so the pages stay (the
	 * formats cannot say "present, no access" for user mode). */
	if (!(vm_flags & (VM_READ | VM_WRITE | VM_EXEC)))
		return PROT_READ;
	/* Write-only and exec-only are readable too: x86 cannot express
	 * them, and Linux gives the same on both arches. */
	prot = PROT_USER | PROT_READ;
	if (vm_flags & VM_WRITE)
		prot |= PROT_WRITE;
	if (vm_flags & VM_EXEC)
		prot |= PROT_EXEC;
	return prot;
}

static inline struct vm_area_struct *to_vma(struct gap_node *n)
{
	return n ? container_of(n, struct vm_area_struct, vm_node) : NULL;
}

struct vm_area_struct *find_vma(struct mm_struct *mm, unsigned long addr)
{
	if (addr >= TASK_SIZE)
		return NULL;
	return to_vma(gap_tree_find(&mm->vmas, addr >> PAGE_SHIFT));
}

struct vm_area_struct *vma_above(struct mm_struct *mm, unsigned long addr)
{
	struct gap_node *n = mm->vmas.root, *best = NULL;
	unsigned long pg = addr >> PAGE_SHIFT;

	while (n) {
		if (n->last >= pg) {
			best = n;
			n = n->left;
		} else {
			n = n->right;
		}
	}
	return best == &mm->vmas.anchor ? NULL : to_vma(best);
}

/* The last VMA that ends at or below addr, or NULL. */
static struct vm_area_struct *vma_below(struct mm_struct *mm,
					unsigned long addr)
{
	struct gap_node *n = mm->vmas.root, *best = NULL;
	unsigned long pg = addr >> PAGE_SHIFT;

	while (n) {
		if (n != &mm->vmas.anchor && n->last < pg) {
			best = n;
			n = n->right;
		} else {
			n = n->left;
		}
	}
	return to_vma(best);
}

struct vm_area_struct *vma_next(struct mm_struct *mm,
				struct vm_area_struct *vma)
{
	return to_vma(gap_tree_next(&mm->vmas, &vma->vm_node));
}

struct vm_area_struct *vma_prev(struct mm_struct *mm,
				struct vm_area_struct *vma)
{
	return vma_below(mm, vma->vm_start);
}

static unsigned long vma_pages(const struct vm_area_struct *vma)
{
	return (vma->vm_end - vma->vm_start) >> PAGE_SHIFT;
}

int vma_insert(struct mm_struct *mm, struct vm_area_struct *vma)
{
	unsigned long n = vma_pages(vma);

	if (gap_tree_insert(&mm->vmas, &vma->vm_node,
			    vma->vm_start >> PAGE_SHIFT,
			    (vma->vm_end >> PAGE_SHIFT) - 1))
		return -1;
	mm->map_count++;
	mm->total_vm += n;
	if (vma->vm_flags & VM_ACCOUNT) {
		mm->committed += n;
		__atomic_add_fetch(&vm_committed_pages, (long)n, __ATOMIC_RELAXED);
	}
	return 0;
}

void vma_unlink(struct mm_struct *mm, struct vm_area_struct *vma)
{
	unsigned long n = vma_pages(vma);

	gap_tree_remove(&mm->vmas, &vma->vm_node);
	mm->map_count--;
	mm->total_vm -= n;
	if (vma->vm_flags & VM_ACCOUNT) {
		mm->committed -= n;
		__atomic_sub_fetch(&vm_committed_pages, (long)n, __ATOMIC_RELAXED);
	}
}

void vma_set_range(struct mm_struct *mm, struct vm_area_struct *vma,
		   unsigned long start, unsigned long end)
{
	vma_unlink(mm, vma);
	vma->vm_start = start;
	vma->vm_end = end;
	if (vma_insert(mm, vma))
		panic("vma_set_range: [%lx, %lx) overlaps another VMA", start, end);
}

static struct vm_area_struct *vma_alloc(struct mm_struct *mm)
{
	struct vm_area_struct *vma = vm_zalloc(mm, sizeof(*vma));

	if (vma) {
		vma->vm_mm = mm;
		INIT_LIST_HEAD(&vma->anon_vma_node);
		INIT_LIST_HEAD(&vma->shared_node);
	}
	return vma;
}

void vma_free(struct vm_area_struct *vma)
{
	if (vma->anon_vma)
		unlink_anon_vma(vma);
	if (vma->shared) {
		vma_unlink_file(vma);	/* its object's i_mmap */
		shared_anon_put(vma->shared);
	}
	if (vma->vm_file) {
		if (vma->vm_ops && vma->vm_ops->close)
			vma->vm_ops->close(vma);
		vma_unlink_file(vma);
		fput(vma->vm_file);
	}
	kfree(vma);
}

/* A copy of vma's identity (flags, name, objects) for a new VMA in mm. */
struct vm_area_struct *vma_dup(struct mm_struct *mm,
			       const struct vm_area_struct *old)
{
	struct vm_area_struct *vma = vma_alloc(mm);

	if (!vma)
		return NULL;
	vma->vm_start = old->vm_start;
	vma->vm_end = old->vm_end;
	vma->vm_flags = old->vm_flags;
	vma->vm_pgoff = old->vm_pgoff;
	memcpy(vma->name, old->name, sizeof(vma->name));
	if (old->shared) {
		vma->shared = old->shared;
		shared_anon_get(vma->shared);
		vma_link_file(vma);
	}
	if (old->anon_vma)
		anon_vma_link(vma, old->anon_vma);
	if (old->vm_file) {
		vma->vm_file = get_file(old->vm_file);
		vma->vm_ops = old->vm_ops;
		vma->vm_dev = old->vm_dev;
		vma->vm_ino = old->vm_ino;
		vma_link_file(vma);
		if (vma->vm_ops && vma->vm_ops->open)
			vma->vm_ops->open(vma);
	}
	return vma;
}

/* Split vma at addr (page aligned, strictly inside): vma keeps the lower
 * part, the new VMA returned holds [addr, end). NULL: no memory. */
static struct vm_area_struct *split_vma(struct mm_struct *mm,
					struct vm_area_struct *vma,
					unsigned long addr)
{
	struct vm_area_struct *upper = vma_dup(mm, vma);
	unsigned long end = vma->vm_end;

	if (!upper)
		return NULL;
	upper->vm_pgoff = linear_page_index(vma, addr);
	vma_set_range(mm, vma, vma->vm_start, addr);
	upper->vm_start = addr;
	upper->vm_end = end;
	if (vma_insert(mm, upper))
		panic("split_vma: the upper half overlaps");
	return upper;
}

/* Can b (right above a) join a? Same flags, name and object, offsets
 * that continue, and anon_vmas that agree (at most one of them has one,
 * or both the same). */
static bool can_merge(const struct vm_area_struct *a,
		      const struct vm_area_struct *b)
{
	return a->vm_end == b->vm_start && a->vm_flags == b->vm_flags &&
	       !strcmp(a->name, b->name) && a->shared == b->shared &&
	       a->vm_file == b->vm_file && a->vm_ops == b->vm_ops &&
	       b->vm_pgoff == a->vm_pgoff + vma_pages(a) &&
	       (!a->anon_vma || !b->anon_vma || a->anon_vma == b->anon_vma);
}

/* b joins a (can_merge(a, b)); b is freed. */
static void merge(struct mm_struct *mm, struct vm_area_struct *a,
		  struct vm_area_struct *b)
{
	unsigned long end = b->vm_end;

	if (!a->anon_vma && b->anon_vma)
		anon_vma_link(a, b->anon_vma);
	vma_unlink(mm, b);
	vma_free(b);
	vma_set_range(mm, a, a->vm_start, end);
}

/* Merge every mergeable neighbour pair touching [start, end). */
static void merge_range(struct mm_struct *mm, unsigned long start,
			unsigned long end)
{
	struct vm_area_struct *v = vma_below(mm, start + 1);

	if (!v)
		v = vma_above(mm, start);
	while (v && v->vm_start <= end) {
		struct vm_area_struct *n = vma_next(mm, v);

		if (n && can_merge(v, n)) {
			merge(mm, v, n);
			continue;
		}
		v = n;
	}
}

/* Is [addr, addr + len) free of VMAs? */
static bool range_free(struct mm_struct *mm, unsigned long addr,
		       unsigned long len)
{
	struct vm_area_struct *v = vma_above(mm, addr);

	return !v || v->vm_start >= addr + len;
}

/*
 * Where a new mapping of len bytes goes: hint if it is free and allowed;
 * otherwise the highest free range below mmap_base (top-down, as Linux),
 * then anywhere. Never below MMAP_MIN_ADDR: the gap tree's space starts
 * there. Returns the address or -ENOMEM.
 */
static long get_unmapped_area(struct mm_struct *mm, unsigned long hint,
			      unsigned long len)
{
	unsigned long np = len >> PAGE_SHIFT;
	struct gap_fit fit;

	hint = ALIGN_UP(hint, PAGE_SIZE);
	if (hint >= MMAP_MIN_ADDR && hint <= TASK_SIZE - len &&
	    range_free(mm, hint, len))
		return (long)hint;
	if (mm->mmap_base >> PAGE_SHIFT > mm->vmas.first &&
	    gap_tree_fit_highest(&mm->vmas, np, 1, mm->vmas.first,
				 (mm->mmap_base >> PAGE_SHIFT) - 1, &fit))
		return (long)(fit.start << PAGE_SHIFT);
	if (gap_tree_fit_highest(&mm->vmas, np, 1, mm->vmas.first,
				 (TASK_SIZE >> PAGE_SHIFT) - 1, &fit))
		return (long)(fit.start << PAGE_SHIFT);
	return -ENOMEM;
}

/* Unmap [start, end) (page aligned): split the VMAs at the edges, zap
 * and free what is inside. 0 or -ENOMEM (a split found no memory). */
static int __do_munmap(struct mm_struct *mm, unsigned long start,
		       unsigned long end)
{
	struct vm_area_struct *v = vma_above(mm, start), *last;

	if (!v || v->vm_start >= end)
		return 0;
	if (v->vm_start < start && !split_vma(mm, v, start))
		return -ENOMEM;
	last = vma_above(mm, end - 1);
	if (last && last->vm_start < end && last->vm_end > end &&
	    !split_vma(mm, last, end))
		return -ENOMEM;
	v = vma_above(mm, start);
	while (v && v->vm_start < end) {
		struct vm_area_struct *next = vma_next(mm, v);

		zap_page_range(v, v->vm_start, v->vm_end);
		vma_unlink(mm, v);
		vma_free(v);
		v = next;
	}
	return 0;
}

/* A new VMA over the free range [addr, addr + len), merged with its
 * neighbours where it can be. 0 or -ENOMEM. */
/* A file mapping's identity for /proc/PID/maps: the device and inode
 * number fstat gives (the file's own getattr: mm does not know inodes). */
static void vma_file_id(struct vm_area_struct *vma, struct file *file)
{
	struct kstat st;

	memset(&st, 0, sizeof(st));
	if (file->f_op && file->f_op->getattr)
		file->f_op->getattr(file, &st);
	vma->vm_dev = st.dev;
	vma->vm_ino = st.ino;
}

/*
 * A new VMA over the free range [addr, addr + len), merged with its
 * neighbours where it can be. A file mapping (file not NULL, pgoff its
 * first page) takes a reference on the file, lets the file's ->mmap set
 * vm_ops, and joins the file's i_mmap. 0, -ENOMEM, or ->mmap's error.
 */
static int mmap_region(struct mm_struct *mm, unsigned long addr,
		       unsigned long len, unsigned long vm_flags,
		       const char *name, struct shared_anon *shared,
		       struct file *file, unsigned long pgoff)
{
	struct vm_area_struct *vma = vma_alloc(mm);
	int r;

	if (!vma)
		return -ENOMEM;
	vma->vm_start = addr;
	vma->vm_end = addr + len;
	vma->vm_flags = vm_flags;
	vma->vm_pgoff = shared ? 0 : file ? pgoff : addr >> PAGE_SHIFT;
	vma->shared = shared;
	if (name)
		strlcpy(vma->name, name, sizeof(vma->name));
	if (shared)
		vma_link_file(vma);	/* rmap finds its pages' PTEs */
	if (file) {
		r = file->f_op->mmap(file, vma);
		if (r || !vma->vm_ops || !vma->vm_ops->fault) {
			kfree(vma);
			return r ? r : -ENODEV;
		}
		vma->vm_file = get_file(file);
		vma_file_id(vma, file);
		vma_link_file(vma);
	}
	if (vma_insert(mm, vma))
		panic("mmap_region: [%lx, %lx) is not free", addr, addr + len);
	merge_range(mm, addr, addr + len);
	return 0;
}

static unsigned long prot_to_vm_flags(unsigned long prot)
{
	return ((prot & PROT_READ) ? VM_READ : 0) |
	       ((prot & PROT_WRITE) ? VM_WRITE : 0) |
	       ((prot & PROT_EXEC) ? VM_EXEC : 0);
}

/* Fault in every page of [start, end) (MAP_POPULATE); failures are left
 * for the first access, as Linux does. */
static void populate(struct mm_struct *mm, unsigned long start,
		     unsigned long end, unsigned long vm_flags)
{
	enum fault_access a = (vm_flags & VM_WRITE) ? FAULT_WRITE : FAULT_READ;

	if (!(vm_flags & (VM_READ | VM_WRITE | VM_EXEC)))
		return;
	for (unsigned long va = start; va < end; va += PAGE_SIZE)
		if (__handle_mm_fault(mm, va, a) != VM_FAULT_DONE)
			break;
}

static long mmap_locked(struct mm_struct *mm, unsigned long addr,
			unsigned long len, unsigned long vm_flags,
			unsigned long flags, const char *name,
			struct file *file, unsigned long pgoff)
{
	struct shared_anon *shared = NULL;
	long r;

	if (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) {
		/* NOREPLACE wins over MAP_FIXED when both are given (Linux). */
		if ((flags & MAP_FIXED_NOREPLACE) && !range_free(mm, addr, len))
			return -EEXIST;
		r = __do_munmap(mm, addr, addr + len);
		if (r)
			return r;
	} else {
		r = get_unmapped_area(mm, addr, len);
		if (r < 0)
			return r;
		addr = (unsigned long)r;
	}
	if ((vm_flags & VM_SHARED) && !file) {
		shared = shared_anon_alloc(mm, len >> PAGE_SHIFT);
		if (!shared)
			return -ENOMEM;
	}
	r = mmap_region(mm, addr, len, vm_flags, name, shared, file, pgoff);
	if (r) {
		if (shared)
			shared_anon_put(shared);
		return r;
	}
	if (flags & (MAP_POPULATE | MAP_LOCKED))
		populate(mm, addr, addr + len, vm_flags);
	return (long)addr;
}

long do_mmap(struct mm_struct *mm, unsigned long addr, unsigned long len,
	     unsigned long prot, unsigned long flags, unsigned long pgoff)
{
	if (!(flags & MAP_ANONYMOUS))
		return -EBADF;		/* a file mapping needs its file */
	return do_mmap_file(mm, NULL, addr, len, prot, flags, pgoff);
}

long do_mmap_file(struct mm_struct *mm, struct file *file, unsigned long addr,
		  unsigned long len, unsigned long prot, unsigned long flags,
		  unsigned long pgoff)
{
	unsigned long type = flags & MAP_TYPE, vm_flags;
	long r;

	if (!len)
		return -EINVAL;
	if (len > TASK_SIZE)
		return -ENOMEM;
	len = ALIGN_UP(len, PAGE_SIZE);
	if (type != MAP_SHARED && type != MAP_PRIVATE &&
	    type != MAP_SHARED_VALIDATE)
		return -EINVAL;
	if (flags & MAP_ANONYMOUS)
		file = NULL;		/* the fd is ignored, as Linux */
	else if (!file)
		return -EBADF;
	if (file) {
		/* The man page's order: a file that cannot be mapped, then
		 * the open mode against the mapping asked for. */
		if (!file->f_op || !file->f_op->mmap)
			return -ENODEV;
		if (!file_readable(file))
			return -EACCES;
		if (type != MAP_PRIVATE && (prot & PROT_WRITE) &&
		    !file_writable(file))
			return -EACCES;
		if (pgoff + (len >> PAGE_SHIFT) < pgoff)
			return -EOVERFLOW;
	} else {
		pgoff = 0;	/* anonymous memory: no offset */
	}
	if (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) {
		if (addr & (PAGE_SIZE - 1))
			return -EINVAL;
		if (addr < MMAP_MIN_ADDR)
			return -EPERM;
		if (addr > TASK_SIZE - len)
			return -ENOMEM;
	}
	vm_flags = prot_to_vm_flags(prot) | VM_MAYREAD | VM_MAYWRITE |
		   VM_MAYEXEC;
	if (type != MAP_PRIVATE)
		vm_flags |= VM_SHARED;
	else if ((prot & PROT_WRITE) && !(flags & MAP_NORESERVE))
		vm_flags |= VM_ACCOUNT;
	/* A shared mapping of a file opened read-only can never be made
	 * writable: mprotect(PROT_WRITE) then gives -EACCES (Linux). */
	if (file && type != MAP_PRIVATE && !file_writable(file))
		vm_flags &= ~VM_MAYWRITE;
	if (flags & MAP_GROWSDOWN)
		vm_flags |= VM_GROWSDOWN;
	if (flags & MAP_LOCKED)
		vm_flags |= VM_LOCKED;
	mmap_write_lock(mm);
	r = mmap_locked(mm, addr, len, vm_flags, flags, NULL, file, pgoff);
	mmap_write_unlock(mm);
	return r;
}

long mm_map_fixed(struct mm_struct *mm, unsigned long addr, unsigned long len,
		  unsigned long prot, unsigned long vm_flags, const char *name)
{
	long r;

	if (!len || (addr & (PAGE_SIZE - 1)))
		return -EINVAL;
	if (addr < MMAP_MIN_ADDR)
		return -EPERM;
	if (len > TASK_SIZE || addr > TASK_SIZE - ALIGN_UP(len, PAGE_SIZE))
		return -ENOMEM;
	len = ALIGN_UP(len, PAGE_SIZE);
	vm_flags |= prot_to_vm_flags(prot) | VM_MAYREAD | VM_MAYWRITE |
		    VM_MAYEXEC;
	vm_flags &= ~VM_SHARED;
	if (prot & PROT_WRITE)
		vm_flags |= VM_ACCOUNT;
	mmap_write_lock(mm);
	r = mmap_locked(mm, addr, len, vm_flags, MAP_FIXED | MAP_PRIVATE, name,
			NULL, 0);
	mmap_write_unlock(mm);
	return r;
}

int do_munmap(struct mm_struct *mm, unsigned long addr, unsigned long len)
{
	int r;

	if ((addr & (PAGE_SIZE - 1)) || !len || addr > TASK_SIZE ||
	    len > TASK_SIZE - addr)
		return -EINVAL;
	len = ALIGN_UP(len, PAGE_SIZE);
	mmap_write_lock(mm);
	r = __do_munmap(mm, addr, addr + len);
	mmap_write_unlock(mm);
	return r;
}

/* Is every page of [start, end) in some VMA? */
static bool range_mapped(struct mm_struct *mm, unsigned long start,
			 unsigned long end)
{
	struct vm_area_struct *v = vma_above(mm, start);
	unsigned long cur = start;

	while (cur < end) {
		if (!v || v->vm_start > cur)
			return false;
		cur = v->vm_end;
		v = vma_next(mm, v);
	}
	return true;
}

/* Split so that no VMA straddles start or end. 0 or -ENOMEM. */
static int split_at_edges(struct mm_struct *mm, unsigned long start,
			  unsigned long end)
{
	struct vm_area_struct *v = vma_above(mm, start);

	if (v && v->vm_start < start && !split_vma(mm, v, start))
		return -ENOMEM;
	v = vma_above(mm, end - 1);
	if (v && v->vm_start < end && v->vm_end > end &&
	    !split_vma(mm, v, end))
		return -ENOMEM;
	return 0;
}

#define PROT_SEM	0x8
#define PROT_GROWSDOWN	0x01000000
#define PROT_GROWSUP	0x02000000

int do_mprotect(struct mm_struct *mm, unsigned long addr, unsigned long len,
		unsigned long prot)
{
	unsigned long end, want;
	struct vm_area_struct *v;
	int r = 0;

	if (addr & (PAGE_SIZE - 1))
		return -EINVAL;
	if (prot & ~(unsigned long)(PROT_READ | PROT_WRITE | PROT_EXEC |
				    PROT_SEM | PROT_GROWSDOWN | PROT_GROWSUP))
		return -EINVAL;
	if (!len)
		return 0;
	if (len > TASK_SIZE || addr > TASK_SIZE - ALIGN_UP(len, PAGE_SIZE))
		return -ENOMEM;
	end = addr + ALIGN_UP(len, PAGE_SIZE);
	want = prot_to_vm_flags(prot);
	mmap_write_lock(mm);
	if (!range_mapped(mm, addr, end)) {
		r = -ENOMEM;
		goto out;
	}
	for (v = vma_above(mm, addr); v && v->vm_start < end; v = vma_next(mm, v))
		if ((want & VM_READ && !(v->vm_flags & VM_MAYREAD)) ||
		    (want & VM_WRITE && !(v->vm_flags & VM_MAYWRITE)) ||
		    (want & VM_EXEC && !(v->vm_flags & VM_MAYEXEC))) {
			r = -EACCES;
			goto out;
		}
	r = split_at_edges(mm, addr, end);
	if (r)
		goto out;
	for (v = vma_above(mm, addr); v && v->vm_start < end; v = vma_next(mm, v)) {
		unsigned long nf = (v->vm_flags & ~(VM_READ | VM_WRITE | VM_EXEC)) | want;

		/* A private mapping that becomes writable is committed
		 * memory from now on (Linux's accounting does the same). */
		if (!(nf & VM_SHARED) && (nf & VM_WRITE))
			nf |= VM_ACCOUNT;
		vma_unlink(mm, v);
		v->vm_flags = nf;
		if (vma_insert(mm, v))
			panic("mprotect: VMA reinsert failed");
		change_protection(v, v->vm_start, v->vm_end);
	}
	merge_range(mm, addr, end);
out:
	mmap_write_unlock(mm);
	return r;
}

unsigned long do_brk(struct mm_struct *mm, unsigned long brk)
{
	unsigned long old_end, new_end, r;

	mmap_write_lock(mm);
	if (!mm->start_brk || brk < mm->start_brk || brk > TASK_SIZE)
		goto out;
	old_end = ALIGN_UP(mm->brk, PAGE_SIZE);
	new_end = ALIGN_UP(brk, PAGE_SIZE);
	if (new_end < old_end) {
		if (__do_munmap(mm, new_end, old_end))
			goto out;
	} else if (new_end > old_end) {
		if (!range_free(mm, old_end, new_end - old_end) ||
		    mmap_region(mm, old_end, new_end - old_end,
				VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE |
				VM_MAYEXEC | VM_ACCOUNT, "[heap]", NULL, NULL, 0))
			goto out;
	}
	mm->brk = brk;
out:
	r = mm->brk;
	mmap_write_unlock(mm);
	return r;
}

int do_madvise(struct mm_struct *mm, unsigned long addr, unsigned long len,
	       int advice)
{
	struct list_head pageout = LIST_HEAD_INIT(pageout);
	unsigned long end;
	struct vm_area_struct *v;
	int r = 0;

	if (addr & (PAGE_SIZE - 1))
		return -EINVAL;
	switch (advice) {
	case MADV_NORMAL: case MADV_RANDOM: case MADV_SEQUENTIAL:
	case MADV_WILLNEED: case MADV_DONTNEED: case MADV_FREE:
	case MADV_COLD: case MADV_PAGEOUT:
		break;
	default:
		return -EINVAL;
	}
	if (!len)
		return 0;
	if (len > TASK_SIZE || addr > TASK_SIZE - ALIGN_UP(len, PAGE_SIZE))
		return -EINVAL;
	end = addr + ALIGN_UP(len, PAGE_SIZE);
	mmap_write_lock(mm);
	if (!range_mapped(mm, addr, end))
		r = -ENOMEM;	/* what is mapped is still advised, as Linux */
	if (advice == MADV_DONTNEED || advice == MADV_FREE) {
		for (v = vma_above(mm, addr); v && v->vm_start < end;
		     v = vma_next(mm, v)) {
			if (v->vm_flags & VM_LOCKED) {
				r = -EINVAL;
				break;
			}
			zap_page_range(v, max(v->vm_start, addr),
				       min(v->vm_end, end));
		}
	}
	if (advice == MADV_COLD)
		for (v = vma_above(mm, addr); v && v->vm_start < end;
		     v = vma_next(mm, v))
			if (!(v->vm_flags & VM_LOCKED))
				cold_page_range(v, max(v->vm_start, addr),
						min(v->vm_end, end));
	if (advice == MADV_PAGEOUT)
		for (v = vma_above(mm, addr); v && v->vm_start < end;
		     v = vma_next(mm, v))
			if (!(v->vm_flags & VM_LOCKED))
				pageout_page_range(v, max(v->vm_start, addr),
						   min(v->vm_end, end), &pageout);
	/* The other advice changes nothing here yet. */
	mmap_write_unlock(mm);
	/* Reclaim unmaps through rmap, which takes each mm's lock. */
	reclaim_pages(&pageout);
	return r;
}

int do_msync(struct mm_struct *mm, unsigned long addr, unsigned long len,
	     int flags)
{
	unsigned long end, cur, start;
	int r = 0, err;

	if (addr & (PAGE_SIZE - 1))
		return -EINVAL;
	if (flags & ~(MS_ASYNC | MS_INVALIDATE | MS_SYNC))
		return -EINVAL;
	if ((flags & MS_ASYNC) && (flags & MS_SYNC))
		return -EINVAL;
	len = ALIGN_UP(len, PAGE_SIZE);
	end = addr + len;
	if (end < addr)
		return -ENOMEM;
	if (end == addr)
		return 0;
	/*
	 * One VMA at a time: the write-back sleeps and must not hold the
	 * mm's lock (a fault of the flusher's would wait on it), so the VMA
	 * is looked up again after each (Linux's loop does the same).
	 */
	cur = addr;
	mmap_read_lock(mm);
	while (cur < end) {
		struct vm_area_struct *v = vma_above(mm, cur);
		struct file *file;
		loff_t fstart, fend;

		if (!v || v->vm_start >= end) {
			r = -ENOMEM;
			break;
		}
		if (v->vm_start > cur) {
			r = -ENOMEM;	/* a hole: the rest is still synced */
			cur = v->vm_start;
		}
		if ((flags & MS_INVALIDATE) && (v->vm_flags & VM_LOCKED)) {
			r = -EBUSY;
			break;
		}
		start = cur;
		cur = min(v->vm_end, end);
		if (!v->vm_file || !(v->vm_flags & VM_SHARED))
			continue;
		fstart = (loff_t)linear_page_index(v, start) << PAGE_SHIFT;
		fend = ((loff_t)linear_page_index(v, cur) << PAGE_SHIFT) - 1;
		msync_dirty_ptes(v, start, cur);
		if (!(flags & MS_SYNC))
			continue;
		file = get_file(v->vm_file);
		mmap_read_unlock(mm);
		/* Linux's vfs_fsync_range: the file system's fsync writes
		 * the pages (filemap_write_and_wait_range) and what it
		 * keeps about them. */
		err = file->f_op->fsync ?
		      file->f_op->fsync(file, fstart, fend, 1) : -EINVAL;
		fput(file);
		if (err && !r)
			r = err;
		mmap_read_lock(mm);
	}
	mmap_read_unlock(mm);
	return r;
}

/* ---------------------------------------------------------------- reports */

/* One /proc/PID/maps line (no newline). */
static void format_vma(char *buf, size_t size, const struct vm_area_struct *v)
{
	/* A file's: the offset in bytes, the device as major:minor in hex
	 * (dev is major << 8 | minor) and the inode number, as Linux. */
	unsigned long off = v->vm_file ? v->vm_pgoff << PAGE_SHIFT : 0;
	int len = ksnprintf(buf, size, "%08lx-%08lx %c%c%c%c %08lx %02lx:%02lx %lu",
			    v->vm_start, v->vm_end,
			    (v->vm_flags & VM_READ) ? 'r' : '-',
			    (v->vm_flags & VM_WRITE) ? 'w' : '-',
			    (v->vm_flags & VM_EXEC) ? 'x' : '-',
			    (v->vm_flags & VM_SHARED) ? 's' : 'p', off,
			    v->vm_dev >> 8, v->vm_dev & 0xff, v->vm_ino);

	if (v->name[0] && len >= 0 && (size_t)len < size) {
		/* Linux pads the name to column 73. */
		while (len < 72 && (size_t)len + 1 < size)
			buf[len++] = ' ';
		buf[len] = '\0';
		ksnprintf(buf + len, size - len, " %s", v->name);
	}
}

void show_maps(struct mm_struct *mm)
{
	char line[160];
	struct gap_node *n;

	mmap_read_lock(mm);
	gap_tree_for_each(n, &mm->vmas) {
		format_vma(line, sizeof(line), to_vma(n));
		printk("%s\n", line);
	}
	mmap_read_unlock(mm);
}

const char *describe_vma(struct mm_struct *mm, unsigned long addr, char *buf,
			 size_t size)
{
	struct vm_area_struct *v;

	if (!mmap_read_trylock(mm)) {
		ksnprintf(buf, size, "mm busy");
		return buf;
	}
	v = find_vma(mm, addr);
	if (v)
		format_vma(buf, size, v);
	else
		ksnprintf(buf, size, "no VMA");
	mmap_read_unlock(mm);
	return buf;
}

/* meminfo's Committed_AS: every mm's private writable pages. */
static unsigned long committed_as_kb(pg_data_t *pgdat)
{
	long n = __atomic_load_n(&vm_committed_pages, __ATOMIC_RELAXED);

	(void)pgdat;
	return n < 0 ? 0 : (unsigned long)n << (PAGE_SHIFT - 10);
}
MEMINFO_LINE(Committed_AS, "Bounce", committed_as_kb);
