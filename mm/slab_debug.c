/*
 * mm/slab_debug.c - the slab allocator's debug mode (Linux's slab_debug).
 *
 * A debug cache lays each slot out as
 *
 *   | left red zone | object | right red zone | free pointer | tracks |
 *                   ^ the pointer callers see: aligned to s->align
 *
 * Red zones hold RED_ACTIVE while the object is allocated and
 * RED_INACTIVE while it is free, so their state also tells a double free.
 * A free object is filled with POISON_FREE (last byte POISON_END); a
 * write after free shows when the object is next allocated or validated.
 * The free pointer lives outside the object so poisoning covers all of
 * it. The tracks keep a few return addresses of the last alloc and free.
 *
 * Every problem prints one report in SLUB's shape ("BUG cache: what",
 * the object, its slab, the tracks) and is counted (kernel/lib/diag.h, DIAG_SLAB).
 * The damaged bytes are restored so the run can carry on.
 */
#include "mm/slab_internal.h"
#include "kernel/cmdline.h"
#include "kernel/ksyms.h"
#include "kernel/lib/diag.h"
#include "kernel/lib/vsprintf.h"
#include "kernel/printk.h"


/* ---------------------------------------------------------------- options */

static bool slab_debug_all;
static char slab_debug_names[128];	/* comma-separated globs */

static int set_slab_debug(const char *v)
{
	bool on;

	if (!v || param_parse_bool(v, &on)) {
		slab_debug_all = v ? on : true;
		slab_debug_names[0] = '\0';
		return 0;
	}
	if (!*v || strlen(v) >= sizeof(slab_debug_names))
		return -1;
	slab_debug_all = false;
	strlcpy(slab_debug_names, v, sizeof(slab_debug_names));
	return 0;
}
KERNEL_PARAM("slab_debug", set_slab_debug,
	     "on|off|CACHE[,CACHE..]: red zones, poison and alloc/free "
	     "tracking for all caches or the named ones (globs)");

slab_flags_t slab_debug_flags_for(const char *name)
{
	char pat[sizeof(slab_debug_names)];
	const char *p = slab_debug_names;

	if (slab_debug_all)
		return SLAB_DEBUG_FLAGS;
	while (*p) {
		size_t n = 0;

		while (p[n] && p[n] != ',')
			n++;
		memcpy(pat, p, n);
		pat[n] = '\0';
		if (n && glob_match(pat, name))
			return SLAB_DEBUG_FLAGS;
		p += n + (p[n] == ',');
	}
	return 0;
}

/* ---------------------------------------------------------------- layout */

/*
 * Slots start at the slab's first byte (page aligned) and the stride is a
 * multiple of s->align, so an object keeps the cache's alignment exactly
 * when its offset in the slot does: the left red zone is a word, padded
 * up to s->align (a kmalloc-4096 object gets a 4 KiB left red zone, as in
 * Linux). Everything else goes after the object.
 */
void slab_debug_layout(struct kmem_cache *s)
{
	unsigned int size = ALIGN_UP(s->object_size, (unsigned int)sizeof(void *));

	s->red_left_pad = 0;
	if (s->flags & SLAB_RED_ZONE) {
		s->red_left_pad = ALIGN_UP((unsigned int)sizeof(void *), s->align);
		size += sizeof(void *);		/* the right red zone */
	}
	s->offset = size;			/* free pointer after it */
	size += sizeof(void *);
	if (s->flags & SLAB_STORE_USER)
		size += 2 * sizeof(struct slab_track);
	s->size = ALIGN_UP(s->red_left_pad + size, s->align);
}

static struct slab_track *get_track(struct kmem_cache *s, void *obj, int which)
{
	return (struct slab_track *)((char *)obj + s->offset + sizeof(void *)) + which;
}

/*
 * Walk the frame-pointer chain from the public entry's frame: frame[1] is
 * the return address into its caller. Bounded like print_backtrace(), so
 * a chain that ends in code without frame pointers stops the walk.
 */
__attribute__((no_sanitize_address))
static void save_stack(unsigned long *addrs, unsigned long frame)
{
	unsigned long fp = frame;
	unsigned int i = 0;

	while (i < SLAB_TRACK_ADDRS) {
		const unsigned long *f = (const unsigned long *)fp;

		if (!fp || (fp & 7) || fp - frame > 64 * 1024)
			break;
		if (!f[1])
			break;
		addrs[i++] = f[1];
		if (f[0] <= fp)
			break;
		fp = f[0];
	}
	while (i < SLAB_TRACK_ADDRS)
		addrs[i++] = 0;
}

static void set_track(struct kmem_cache *s, void *obj, int which,
		      unsigned long frame)
{
	struct slab_track *t;

	if (!(s->flags & SLAB_STORE_USER))
		return;
	t = get_track(s, obj, which);
	save_stack(t->addrs, frame);
	t->cpu = arch_cpu_id();
}

static void print_addrs(const unsigned long *addrs)
{
	char sym[96];

	for (unsigned int i = 0; i < SLAB_TRACK_ADDRS && addrs[i]; i++) {
		/* A return address is after the call: name the call. */
		ksym_format(sym, sizeof(sym), addrs[i] - 1);
		pr_err("  [<%016lx>] %s\n", addrs[i], sym);
	}
}

static void print_tracks(struct kmem_cache *s, void *obj)
{
	static const char *const what[] = { "Allocated", "Freed" };

	if (!(s->flags & SLAB_STORE_USER))
		return;
	for (int i = TRACK_ALLOC; i <= TRACK_FREE; i++) {
		struct slab_track *t = get_track(s, obj, i);

		if (!t->addrs[0]) {
			pr_err("INFO: %s: never\n", what[i]);
			continue;
		}
		pr_err("INFO: %s on cpu %u by:\n", what[i], t->cpu);
		print_addrs(t->addrs);
	}
}

/* ---------------------------------------------------------------- reports */

__printf(6, 7)
static void slab_report(struct kmem_cache *s, struct slab *slab, void *obj,
			unsigned long frame, const char *bug,
			const char *fmt, ...)
{
	char line[160];
	va_list ap;

	s->debug_reports++;
	diag_report(DIAG_SLAB);
	pr_err("=============================================================================\n");
	pr_err("BUG %s: %s\n", s->name, bug);
	pr_err("-----------------------------------------------------------------------------\n");
	if (fmt) {
		va_start(ap, fmt);
		kvsnprintf(line, sizeof(line), fmt, ap);
		va_end(ap);
		pr_err("%s\n", line);
	}
	if (slab && obj) {
		size_t off = (size_t)((char *)obj - (char *)slab->s_mem);

		pr_err("Object %p @offset=%zu in slab %p (objects=%u used=%u) "
		       "of cache %s (object size %u)\n", obj, off, slab->s_mem,
		       slab->objects, slab->inuse, s->name, s->object_size);
		print_tracks(s, obj);
	}
	if (frame) {
		unsigned long addrs[SLAB_TRACK_ADDRS];

		save_stack(addrs, frame);
		pr_err("INFO: Detected in:\n");
		print_addrs(addrs);
	}
}

/* Index of the first byte of [p, p + n) that is not c, or n. */
static size_t first_mismatch(const void *p, int c, size_t n)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < n; i++)
		if (b[i] != (uint8_t)c)
			return i;
	return n;
}

static void poison_object(struct kmem_cache *s, void *obj)
{
	memset(obj, POISON_FREE, s->object_size - 1);
	((uint8_t *)obj)[s->object_size - 1] = POISON_END;
}

static void set_redzones(struct kmem_cache *s, void *obj, int val)
{
	if (!(s->flags & SLAB_RED_ZONE))
		return;
	memset((char *)obj - s->red_left_pad, val, s->red_left_pad);
	memset((char *)obj + s->object_size, val, s->offset - s->object_size);
}

/* Red zones hold val? Report and repair otherwise. true if they did. */
static bool check_redzones(struct kmem_cache *s, struct slab *slab, void *obj,
			   int val, unsigned long frame)
{
	size_t left = s->red_left_pad, right = s->offset - s->object_size;
	uint8_t *l = (uint8_t *)obj - left, *r = (uint8_t *)obj + s->object_size;
	size_t i;
	bool ok = true;

	if (!(s->flags & SLAB_RED_ZONE))
		return true;
	if ((i = first_mismatch(l, val, left)) < left) {
		slab_report(s, slab, obj, frame, "Left Redzone overwritten",
			    "%p: first byte 0x%x instead of 0x%x (%zu bytes "
			    "before the object)", l + i, l[i], val, left - i);
		ok = false;
	}
	if ((i = first_mismatch(r, val, right)) < right) {
		slab_report(s, slab, obj, frame, "Right Redzone overwritten",
			    "%p: first byte 0x%x instead of 0x%x (%zu bytes "
			    "after the object's end)", r + i, r[i], val, i);
		ok = false;
	}
	if (!ok)
		set_redzones(s, obj, val);
	return ok;
}

static bool check_poison(struct kmem_cache *s, struct slab *slab, void *obj,
			 unsigned long frame)
{
	uint8_t *b = obj;
	size_t n = s->object_size, i;

	if (!(s->flags & SLAB_POISON))
		return true;
	i = first_mismatch(b, POISON_FREE, n - 1);
	if (i == n - 1 && b[n - 1] == POISON_END)
		return true;
	slab_report(s, slab, obj, frame, "Poison overwritten",
		    "%p @offset=%zu: first byte 0x%x instead of 0x%x: written "
		    "after it was freed (use after free)", b + i, i, b[i],
		    i == n - 1 ? POISON_END : POISON_FREE);
	poison_object(s, obj);
	return false;
}

void slab_debug_init_object(struct kmem_cache *s, void *obj)
{
	if (s->flags & SLAB_POISON)
		poison_object(s, obj);
	set_redzones(s, obj, RED_INACTIVE);
	if (s->flags & SLAB_STORE_USER)
		memset(get_track(s, obj, 0), 0, 2 * sizeof(struct slab_track));
}

/* Slot index of addr in slab, or -1 if it is not an object pointer. */
static long slot_of(struct kmem_cache *s, struct slab *slab, const void *addr)
{
	uintptr_t a = (uintptr_t)addr, first = (uintptr_t)slab_object(s, slab, 0);

	if (a < first || (a - first) % s->size)
		return -1;
	if ((a - first) / s->size >= slab->objects)
		return -1;
	return (long)((a - first) / s->size);
}

bool slab_free_map(struct kmem_cache *s, struct slab *slab, uint64_t *map)
{
	unsigned int n = 0;

	memset(map, 0, SLAB_MAX_OBJECTS / 8);
	for (void *p = slab->freelist; p; p = get_freepointer(s, p)) {
		long i = slot_of(s, slab, p);

		if (i < 0 || (map[i / 64] & (1ULL << (i % 64))) ||
		    ++n > slab->objects)
			return false;
		map[i / 64] |= 1ULL << (i % 64);
	}
	return true;
}

/* ---------------------------------------------------------------- checks */

bool slab_debug_check_alloc(struct kmem_cache *s, struct slab *slab,
			    void *obj, unsigned long frame)
{
	void *next;

	if (!obj || slot_of(s, slab, obj) < 0) {
		slab_report(s, slab, NULL, frame, "Freelist corrupt",
			    "slab %p: free pointer %p is not an object of "
			    "this slab", slab->s_mem, obj);
		return false;
	}
	next = get_freepointer(s, obj);
	if (next && slot_of(s, slab, next) < 0) {
		slab_report(s, slab, obj, frame, "Freepointer corrupt",
			    "free pointer %p is not an object of this slab; "
			    "the rest of the slab's freelist is dropped", next);
		set_freepointer(s, obj, NULL);
	}
	check_redzones(s, slab, obj, RED_INACTIVE, frame);
	check_poison(s, slab, obj, frame);
	set_redzones(s, obj, RED_ACTIVE);
	set_track(s, obj, TRACK_ALLOC, frame);
	return true;
}

struct slab *slab_debug_check_owner(struct kmem_cache *s, void *obj,
				    unsigned long frame)
{
	struct slab *slab = __virt_to_slab(obj);

	if (!slab) {
		slab_report(s, NULL, NULL, frame, "Object not in a slab",
			    "kmem_cache_free(%s, %p): the address is not in "
			    "any slab; not freed", s->name, obj);
		return NULL;
	}
	if (slab->cache != s) {
		slab_report(s, slab, obj, frame, "Wrong slab cache",
			    "kmem_cache_free(%s, %p): the object belongs to "
			    "cache %s; not freed", s->name, obj, slab->cache->name);
		return NULL;
	}
	if (slot_of(s, slab, obj) < 0) {
		slab_report(s, slab, NULL, frame, "Invalid object pointer",
			    "%p is inside slab %p but not at the start of "
			    "an object; not freed", obj, slab->s_mem);
		return NULL;
	}
	return slab;
}

static bool is_free(struct kmem_cache *s, struct slab *slab, void *obj)
{
	if (s->flags & SLAB_RED_ZONE) {
		size_t right = s->offset - s->object_size;

		return first_mismatch((char *)obj + s->object_size,
				      RED_INACTIVE, right) == right;
	}
	for (void *p = slab->freelist; p; p = get_freepointer(s, p))
		if (p == obj)
			return true;
	return false;
}

bool slab_debug_check_free(struct kmem_cache *s, struct slab *slab,
			   void *obj, unsigned long frame)
{
	if (is_free(s, slab, obj)) {
		slab_report(s, slab, obj, frame, "Object already free",
			    "kmem_cache_free(%s, %p): double free; ignored",
			    s->name, obj);
		return false;
	}
	check_redzones(s, slab, obj, RED_ACTIVE, frame);
	set_track(s, obj, TRACK_FREE, frame);
	if (s->flags & SLAB_POISON)
		poison_object(s, obj);
	set_redzones(s, obj, RED_INACTIVE);
	return true;
}

/* ---------------------------------------------------------------- walks */

void slab_debug_report_leaks(struct kmem_cache *s, struct slab *slab,
			     unsigned int *budget)
{
	uint64_t map[SLAB_MAX_OBJECTS / 64];

	if (!slab_free_map(s, slab, map))
		return;
	for (unsigned int i = 0; i < slab->objects && *budget; i++) {
		void *obj = slab_object(s, slab, i);

		if (map[i / 64] & (1ULL << (i % 64)))
			continue;
		(*budget)--;
		pr_err("kmem_cache_destroy %s: object %p still allocated\n",
		       s->name, obj);
		if (s->flags & SLAB_STORE_USER) {
			struct slab_track *t = get_track(s, obj, TRACK_ALLOC);

			pr_err("INFO: Allocated on cpu %u by:\n", t->cpu);
			print_addrs(t->addrs);
		}
	}
}

unsigned long slab_debug_validate_slab(struct kmem_cache *s, struct slab *slab)
{
	uint64_t map[SLAB_MAX_OBJECTS / 64];
	unsigned long before = s->debug_reports;
	unsigned int nfree = 0;

	if (!slab_free_map(s, slab, map)) {
		slab_report(s, slab, NULL, 0, "Freelist corrupt",
			    "slab %p: the freelist loops or leaves the slab",
			    slab->s_mem);
		return 1;
	}
	for (unsigned int i = 0; i < slab->objects; i++) {
		void *obj = slab_object(s, slab, i);

		if (map[i / 64] & (1ULL << (i % 64))) {
			nfree++;
			if (!slab_debug_on(s))
				continue;
			check_redzones(s, slab, obj, RED_INACTIVE, 0);
			check_poison(s, slab, obj, 0);
		} else if (slab_debug_on(s)) {
			check_redzones(s, slab, obj, RED_ACTIVE, 0);
		}
	}
	if (slab->inuse != slab->objects - nfree)
		slab_report(s, slab, NULL, 0, "Wrong object count",
			    "slab %p: inuse %u but %u of %u objects are free",
			    slab->s_mem, slab->inuse, nfree, slab->objects);
	return s->debug_reports - before;
}
