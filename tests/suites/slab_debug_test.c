/*
 * tests/suites/slab_debug_test.c - every debug-mode detection, triggered
 * on purpose: right and left red zone overwrites, use after free (poison
 * overwritten), double free, freeing to the wrong cache, a pointer inside
 * an object, an address outside any slab, leaks at destroy. Each report
 * is captured and checked: what, which cache, which object, and the
 * alloc/free tracks. Host and kernel.
 */
#include "tests/suites/test_arena.h"
#include "kernel/cmdline.h"
#include "kernel/lib/vsprintf.h"
#include "kernel/lib/diag.h"
#include "kernel/printk.h"
#include "mm/slab_internal.h"

static struct test_arena arena;
static char out[8192];

static int dbg_init(struct kunit *test)
{
	return test_arena_make(test, &arena, 0) ? 0 : -1;
}

static void dbg_exit(struct kunit *test)
{
	test_arena_done(test, &arena);
}

static struct kmem_cache *make(const char *name, unsigned int size,
			       slab_flags_t flags)
{
	return kmem_cache_create_node(&arena.pgdat, name, size, 0, flags, NULL);
}

/* The report names the problem, the cache and the object. */
static void expect_report(struct kunit *test, const char *bug, const char *cache,
			  const void *obj)
{
	char want[96];

	ksnprintf(want, sizeof(want), "BUG %s: %s", cache, bug);
	KUNIT_EXPECT_STR_CONTAINS(test, out, want);
	if (obj) {
		ksnprintf(want, sizeof(want), "Object %p @offset=", obj);
		KUNIT_EXPECT_STR_CONTAINS(test, out, want);
	}
}

static void write_past_end_detected(struct kunit *test)
{
	struct kmem_cache *s = make("dbg-rz", 40, SLAB_DEBUG_FLAGS);
	char *o;

	KUNIT_ASSERT_NOT_NULL(test, s);
	o = kmem_cache_alloc(s, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, o);
	o[40] = 'X';			/* one past the end */
	kunit_capture_start(test, out, sizeof(out));
	kmem_cache_free(s, o);
	KUNIT_EXPECT_CAPTURED_REPORTS(test, DIAG_SLAB, 1);
	expect_report(test, "Right Redzone overwritten", "dbg-rz", o);
	KUNIT_EXPECT_STR_CONTAINS(test, out, "first byte 0x58 instead of 0xcc (0 bytes after the object's end)");
	KUNIT_EXPECT_STR_CONTAINS(test, out, "INFO: Allocated on cpu");
	KUNIT_EXPECT_STR_CONTAINS(test, out, "INFO: Freed: never");
	KUNIT_EXPECT_STR_CONTAINS(test, out, "INFO: Detected in:");
	KUNIT_EXPECT_EQ(test, kmem_cache_validate(s), 0UL);	/* repaired */
	kmem_cache_destroy(s);
}

static void write_before_start_detected(struct kunit *test)
{
	struct kmem_cache *s = make("dbg-lrz", 64, SLAB_DEBUG_FLAGS);
	char *o;

	KUNIT_ASSERT_NOT_NULL(test, s);
	o = kmem_cache_alloc(s, GFP_KERNEL);
	o[-3] = 0;
	kunit_capture_start(test, out, sizeof(out));
	kmem_cache_free(s, o);
	KUNIT_EXPECT_CAPTURED_REPORTS(test, DIAG_SLAB, 1);
	expect_report(test, "Left Redzone overwritten", "dbg-lrz", o);
	KUNIT_EXPECT_STR_CONTAINS(test, out, "(3 bytes before the object)");
	kmem_cache_destroy(s);
}

/* A write after free shows as overwritten poison at the next alloc. */
static void use_after_free_detected(struct kunit *test)
{
	struct kmem_cache *s = make("dbg-uaf", 128, SLAB_DEBUG_FLAGS);
	char *o, *again;

	KUNIT_ASSERT_NOT_NULL(test, s);
	o = kmem_cache_alloc(s, GFP_KERNEL);
	kmem_cache_free(s, o);
	o[17] = 1;			/* use after free */
	kunit_capture_start(test, out, sizeof(out));
	KUNIT_EXPECT_EQ(test, kmem_cache_validate(s), 1UL);
	again = kmem_cache_alloc(s, GFP_KERNEL);	/* LIFO: the same one */
	KUNIT_EXPECT_CAPTURED_REPORTS(test, DIAG_SLAB, 1);		/* validate repaired it */
	KUNIT_EXPECT_PTR_EQ(test, again, o);
	expect_report(test, "Poison overwritten", "dbg-uaf", o);
	KUNIT_EXPECT_STR_CONTAINS(test, out, "@offset=17: first byte 0x1 instead of 0x6b");
	KUNIT_EXPECT_STR_CONTAINS(test, out, "INFO: Freed on cpu");
	/* Without validate, the next allocation finds it. */
	kmem_cache_free(s, again);
	again[0] = 2;
	kunit_capture_start(test, out, sizeof(out));
	o = kmem_cache_alloc(s, GFP_KERNEL);
	KUNIT_EXPECT_CAPTURED_REPORTS(test, DIAG_SLAB, 1);
	expect_report(test, "Poison overwritten", "dbg-uaf", o);
	kmem_cache_free(s, o);
	kmem_cache_destroy(s);
}

static void double_free_detected(struct kunit *test)
{
	struct kmem_cache *s = make("dbg-df", 32, SLAB_DEBUG_FLAGS);
	struct kmem_cache *p = make("dbg-df-nored", 32, SLAB_POISON | SLAB_STORE_USER);
	void *o;

	KUNIT_ASSERT_NOT_NULL(test, s);
	KUNIT_ASSERT_NOT_NULL(test, p);
	o = kmem_cache_alloc(s, GFP_KERNEL);
	kmem_cache_free(s, o);
	kunit_capture_start(test, out, sizeof(out));
	kmem_cache_free(s, o);
	KUNIT_EXPECT_CAPTURED_REPORTS(test, DIAG_SLAB, 1);
	expect_report(test, "Object already free", "dbg-df", o);
	KUNIT_EXPECT_STR_CONTAINS(test, out, "double free");
	KUNIT_EXPECT_EQ(test, kmem_cache_objects_in_use(s), 0UL);
	/* Without red zones the freelist tells. */
	o = kmem_cache_alloc(p, GFP_KERNEL);
	kmem_cache_free(p, o);
	kunit_capture_start(test, out, sizeof(out));
	kmem_cache_free(p, o);
	KUNIT_EXPECT_CAPTURED_REPORTS(test, DIAG_SLAB, 1);
	expect_report(test, "Object already free", "dbg-df-nored", o);
	kmem_cache_destroy(s);
	kmem_cache_destroy(p);
}

static void wrong_cache_detected(struct kunit *test)
{
	struct kmem_cache *a = make("dbg-a", 64, SLAB_DEBUG_FLAGS);
	struct kmem_cache *b = make("dbg-b", 64, SLAB_DEBUG_FLAGS);
	void *o;

	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, b);
	o = kmem_cache_alloc(a, GFP_KERNEL);
	kunit_capture_start(test, out, sizeof(out));
	kmem_cache_free(b, o);
	KUNIT_EXPECT_CAPTURED_REPORTS(test, DIAG_SLAB, 1);
	expect_report(test, "Wrong slab cache", "dbg-b", o);
	KUNIT_EXPECT_STR_CONTAINS(test, out, "the object belongs to cache dbg-a; not freed");
	KUNIT_EXPECT_STR_CONTAINS(test, out, "INFO: Allocated on cpu");
	kmem_cache_free(a, o);		/* the right one still works */
	kmem_cache_destroy(a);
	kmem_cache_destroy(b);
}

static void bad_pointers_detected(struct kunit *test)
{
	struct kmem_cache *s = make("dbg-ptr", 64, SLAB_DEBUG_FLAGS);
	static char not_slab[64];
	char *o;

	KUNIT_ASSERT_NOT_NULL(test, s);
	o = kmem_cache_alloc(s, GFP_KERNEL);
	kunit_capture_start(test, out, sizeof(out));
	kmem_cache_free(s, o + 8);
	KUNIT_EXPECT_CAPTURED_REPORTS(test, DIAG_SLAB, 1);
	expect_report(test, "Invalid object pointer", "dbg-ptr", NULL);
	kunit_capture_start(test, out, sizeof(out));
	kmem_cache_free(s, not_slab);
	KUNIT_EXPECT_CAPTURED_REPORTS(test, DIAG_SLAB, 1);
	expect_report(test, "Object not in a slab", "dbg-ptr", NULL);
	kmem_cache_free(s, o);
	kmem_cache_destroy(s);
}

/* A leak at destroy lists the object and who allocated it. */
static void leak_reported_with_track(struct kunit *test)
{
	struct kmem_cache *s = make("dbg-leak", 64, SLAB_DEBUG_FLAGS);
	struct slab_track *t;
	char want[64];
	void *o;

	KUNIT_ASSERT_NOT_NULL(test, s);
	o = kmem_cache_alloc(s, GFP_KERNEL);
	t = (struct slab_track *)((char *)o + s->offset + sizeof(void *));
	KUNIT_EXPECT_NE(test, t->addrs[0], 0UL);	/* our call site */
	kunit_capture_start(test, out, sizeof(out));
	kmem_cache_destroy(s);
	KUNIT_EXPECT_CAPTURED_REPORTS(test, DIAG_SLAB, 1);
	ksnprintf(want, sizeof(want), "object %p still allocated", o);
	KUNIT_EXPECT_STR_CONTAINS(test, out, want);
	ksnprintf(want, sizeof(want), "[<%016lx>]", t->addrs[0]);
	KUNIT_EXPECT_STR_CONTAINS(test, out, want);
	kmem_cache_free(s, o);
	kmem_cache_destroy(s);
}

/*
 * Red zones and tracks must not cost the object its alignment: every
 * object of a debug cache keeps the cache's alignment, and a kmalloc
 * cache of a power-of-two size keeps kmalloc's natural alignment
 * (min(size, PAGE_SIZE)), as it does without debugging. One slab and a
 * bit of the next, so every slot position is checked.
 */
static void objects_keep_alignment(struct kunit *test)
{
	static const struct {
		unsigned int size, align;
		slab_flags_t flags;
		unsigned long want;
	} cases[] = {
		{ 40, 64, 0, 64 },
		{ 100, 256, 0, 256 },
		{ 24, 0, SLAB_HWCACHE_ALIGN, CACHE_LINE },
		{ 8, 0, SLAB_KMALLOC, 8 },
		{ 64, 0, SLAB_KMALLOC, 64 },
		{ 256, 0, SLAB_KMALLOC, 256 },
		{ 4096, 0, SLAB_KMALLOC, PAGE_SIZE },
		{ 8192, 0, SLAB_KMALLOC, PAGE_SIZE },
		{ 96, 0, SLAB_KMALLOC, 8 },	/* not a power of two */
	};
	static void *objs[SLAB_MAX_OBJECTS + 1];

	for (unsigned int k = 0; k < ARRAY_SIZE(cases); k++) {
		struct kmem_cache *s;
		unsigned int n, bad = 0;

		s = kmem_cache_create_node(&arena.pgdat, "dbg-align",
					   cases[k].size, cases[k].align,
					   cases[k].flags | SLAB_DEBUG_FLAGS,
					   NULL);
		KUNIT_ASSERT_NOT_NULL(test, s);
		KUNIT_EXPECT_GE(test, s->red_left_pad, (unsigned int)sizeof(void *));
		n = s->objects + 1;
		for (unsigned int i = 0; i < n; i++) {
			objs[i] = kmem_cache_alloc(s, GFP_KERNEL);
			KUNIT_ASSERT_NOT_NULL(test, objs[i]);
			if ((uintptr_t)objs[i] % cases[k].want && !bad++)
				KUNIT_FAIL(test, "size %u align %u flags 0x%x: "
					   "object %u at %p is not %lu-aligned",
					   cases[k].size, cases[k].align,
					   cases[k].flags, i, objs[i],
					   cases[k].want);
			memset(objs[i], 0x5a, cases[k].size);
		}
		for (unsigned int i = 0; i < n; i++)
			kmem_cache_free(s, objs[i]);
		KUNIT_EXPECT_EQ(test, kmem_cache_validate(s), 0UL);
		kmem_cache_destroy(s);
	}
}

/* slab_debug=NAME turns debugging on for the caches it names. */
static void command_line_selects_caches(struct kunit *test)
{
	/* Was the boot's slab_debug=on? The later suites must keep it. */
	bool all_on = slab_debug_flags_for("dbg-cl-probe") != 0;
	struct kmem_cache *a, *b;

	KUNIT_EXPECT_EQ(test, cmdline_parse("slab_debug=dbg-cl-*,other"), 0);
	a = make("dbg-cl-x", 64, 0);
	KUNIT_EXPECT_EQ(test, cmdline_parse("slab_debug=off"), 0);
	b = make("dbg-cl-x", 64, 0);
	KUNIT_EXPECT_EQ(test, slab_debug_flags_for("other"), 0u);
	KUNIT_EXPECT_EQ(test, cmdline_parse(all_on ? "slab_debug=on" :
					    "slab_debug=off"), 0);
	KUNIT_EXPECT_EQ(test, slab_debug_flags_for("dbg-cl-probe") != 0, all_on);
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_EXPECT_EQ(test, a->flags & SLAB_DEBUG_FLAGS, SLAB_DEBUG_FLAGS);
	KUNIT_EXPECT_EQ(test, b->flags & SLAB_DEBUG_FLAGS, 0u);
	kmem_cache_destroy(a);
	kmem_cache_destroy(b);
}

static struct kunit_case dbg_cases[] = {
	KUNIT_CASE(write_past_end_detected),
	KUNIT_CASE(write_before_start_detected),
	KUNIT_CASE(use_after_free_detected),
	KUNIT_CASE(double_free_detected),
	KUNIT_CASE(wrong_cache_detected),
	KUNIT_CASE(bad_pointers_detected),
	KUNIT_CASE(leak_reported_with_track),
	KUNIT_CASE(objects_keep_alignment),
	KUNIT_CASE(command_line_selects_caches),
	{}
};

static struct kunit_suite dbg_suite = {
	.name = "slab_debug",
	.init = dbg_init,
	.exit = dbg_exit,
	.test_cases = dbg_cases,
};
kunit_test_suite(dbg_suite);
