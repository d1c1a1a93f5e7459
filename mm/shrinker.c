/*
 * mm/shrinker.c - registered shrinkers and shrink_slab().
 *
 * How much to scan follows Linux's do_shrink_slab(): a shrinker with
 * `freeable` objects is asked to look at
 *
 *	delta = (freeable >> priority) * 4 / seeks	(freeable / 2 if seeks 0)
 *
 * plus the work deferred from earlier calls that could not be done (a
 * SHRINK_STOP, or less than a batch), capped at twice freeable, in
 * batches of `batch`. What remains is deferred to the next call.
 *
 * Walking the list: shrink_slab() holds shrinker_lock only to step from
 * one shrinker to the next, and holds a reference on the one it is
 * calling, so callbacks run without the lock and shrinker_free() can
 * wait for the reference to drop before the memory goes away.
 */
#include "mm/shrinker.h"
#include "kernel/lib/string.h"
#include "kernel/lib/vsprintf.h"
#include "kernel/printk.h"
#include "kernel/spinlock.h"

static struct list_head shrinker_list = LIST_HEAD_INIT(shrinker_list);
static DEFINE_SPINLOCK(shrinker_lock);

/* Shrinkers come from a fixed pool: no allocator needed (host tests). */
#define MAX_SHRINKERS	64
static struct shrinker shrinker_pool[MAX_SHRINKERS];
static bool shrinker_used[MAX_SHRINKERS];

struct shrinker *shrinker_alloc(unsigned int flags, const char *fmt, ...)
{
	struct shrinker *s = NULL;
	unsigned long irq;
	va_list ap;

	spin_lock_irqsave(&shrinker_lock, irq);
	for (int i = 0; i < MAX_SHRINKERS; i++)
		if (!shrinker_used[i]) {
			shrinker_used[i] = true;
			s = &shrinker_pool[i];
			break;
		}
	spin_unlock_irqrestore(&shrinker_lock, irq);
	if (!s) {
		pr_err("shrinker_alloc: all %d shrinkers in use\n", MAX_SHRINKERS);
		return NULL;
	}
	memset(s, 0, sizeof(*s));
	s->flags = flags;
	va_start(ap, fmt);
	kvsnprintf(s->name, sizeof(s->name), fmt, ap);
	va_end(ap);
	INIT_LIST_HEAD(&s->list);
	return s;
}

void shrinker_register(struct shrinker *s)
{
	unsigned long flags;

	if (!s->count_objects || !s->scan_objects) {
		pr_err("shrinker_register(%s): count_objects and scan_objects "
		       "must be set; not registered\n", s->name);
		return;
	}
	spin_lock_irqsave(&shrinker_lock, flags);
	s->refcount = 1;
	s->registered = true;
	list_add_tail(&s->list, &shrinker_list);
	spin_unlock_irqrestore(&shrinker_lock, flags);
}

void shrinker_free(struct shrinker *s)
{
	unsigned long flags;

	if (!s)
		return;
	spin_lock_irqsave(&shrinker_lock, flags);
	if (s->registered) {
		s->registered = false;
		s->refcount--;			/* the registration's */
		while (s->refcount) {		/* a shrink_slab() call */
			spin_unlock_irqrestore(&shrinker_lock, flags);
			arch_cpu_relax();
			spin_lock_irqsave(&shrinker_lock, flags);
		}
		list_del(&s->list);
	}
	shrinker_used[s - shrinker_pool] = false;
	spin_unlock_irqrestore(&shrinker_lock, flags);
}

static unsigned long do_shrink_slab(struct shrinker *s, gfp_t gfp, int priority)
{
	struct shrink_control sc = { .gfp_mask = gfp, .nid = 0 };
	unsigned long batch = s->batch > 0 ? (unsigned long)s->batch : SHRINK_BATCH;
	unsigned long freeable, nr, delta, total, scanned = 0, freed = 0;

	freeable = s->count_objects(s, &sc);
	if (freeable == 0 || freeable == SHRINK_EMPTY)
		return 0;
	nr = __atomic_exchange_n(&s->nr_deferred, 0, __ATOMIC_RELAXED);
	if (s->seeks) {
		delta = (freeable >> priority) * 4;
		delta /= (unsigned long)s->seeks;
	} else {
		delta = freeable / 2;
	}
	total = (nr >> priority) + delta;
	total = min(total, 2 * freeable);

	/* Less than a batch is still scanned when it is all there is. */
	while (total >= batch || total >= freeable) {
		unsigned long ret, n = min(batch, total);

		if (!n)
			break;
		sc.nr_to_scan = n;
		sc.nr_scanned = n;
		ret = s->scan_objects(s, &sc);
		if (ret == SHRINK_STOP)
			break;
		freed += ret;
		total -= min(sc.nr_scanned, total);
		scanned += sc.nr_scanned;
	}
	/* Owe what we were asked and did not do, up to twice freeable. */
	nr = nr + delta > scanned ? nr + delta - scanned : 0;
	nr = min(nr, 2 * freeable);
	if (nr)
		__atomic_fetch_add(&s->nr_deferred, nr, __ATOMIC_RELAXED);
	return freed;
}

unsigned long shrink_slab(gfp_t gfp, int priority)
{
	unsigned long flags, freed = 0;
	struct list_head *pos;

	if (priority < 0)
		priority = 0;
	if (priority > DEF_PRIORITY)
		priority = DEF_PRIORITY;
	spin_lock_irqsave(&shrinker_lock, flags);
	for (pos = shrinker_list.next; pos != &shrinker_list; pos = pos->next) {
		struct shrinker *s = list_entry(pos, struct shrinker, list);

		if (!s->registered)
			continue;
		s->refcount++;
		spin_unlock_irqrestore(&shrinker_lock, flags);
		freed += do_shrink_slab(s, gfp, priority);
		spin_lock_irqsave(&shrinker_lock, flags);
		s->refcount--;		/* it stays listed until this is 0 */
	}
	spin_unlock_irqrestore(&shrinker_lock, flags);
	return freed;
}
