/*
 * net/lwip/port.c - what lwIP asks of its platform (arch/cc.h,
 * lwipopts.h): the clock, memory, random numbers, messages. Only netd
 * calls lwIP, so only netd calls these. docs/net/lwip.md.
 */
#include "net/lwip/port.h"
#include "net/lwip/internal.h"
#include "kernel/lib/random.h"
#include "kernel/lib/string.h"
#include "kernel/lib/vsprintf.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/time.h"
#include "mm/kmalloc.h"
#include "net/net.h"
#include "lwip/sys.h"
#include "net/lwip/include/libc/stdlib.h"	/* atoi, as lwIP sees it */

struct lwip_mem_stats lwip_mem;
bool lwip_port_reserve_used;
bool lwip_port_fail_ordinary;

/* lwIP's clock: milliseconds, wrapping at 2^32 (lwIP compares with
 * subtraction, so the wrap is harmless). */
u32_t sys_now(void)
{
	return (u32_t)(clock_ns() / 1000000);
}

/*
 * The last resort for lwIP's small objects. lwIP re-arms its timers (TCP's
 * retransmission timer among them) by allocating a 32-byte timeout each
 * time, and cannot survive that failing: it asserts (sys_timeout_abs),
 * or without asserts the timer is gone for good. So objects of up to 64
 * bytes that neither the allocator nor the reserves can give come from
 * this static stash. Sizing: lwIP has at most 7 timeouts armed here (its
 * cyclic timers: TCP, ARP, IP reassembly, DHCP coarse and fine; lwIP's
 * LWIP_NUM_SYS_TIMEOUT_INTERNAL) and small objects are taken from the
 * stash only while everything else fails, when little else can be
 * allocated (a segment needs its pbuf too); 256 is far more than that,
 * and costs 16 KiB.
 */
#define STASH_OBJ_SIZE	64
#define STASH_OBJS	256

static union stash_obj {
	union stash_obj *next;
	uint8_t bytes[STASH_OBJ_SIZE];
} stash[STASH_OBJS] __aligned(16);
static union stash_obj *stash_free;
static bool stash_ready;

static bool stash_owns(const void *p)
{
	return (const uint8_t *)p >= (const uint8_t *)stash &&
	       (const uint8_t *)p < (const uint8_t *)(stash + STASH_OBJS);
}

static void stash_put(void *p)
{
	union stash_obj *o = p;

	o->next = stash_free;
	stash_free = o;
	lwip_mem.stash_in_use--;
}

static void *stash_get(void)
{
	union stash_obj *o;

	if (!stash_ready) {
		for (unsigned int i = 0; i < STASH_OBJS; i++) {
			stash[i].next = stash_free;
			stash_free = &stash[i];
		}
		stash_ready = true;
	}
	o = stash_free;
	if (!o) {
		lwip_mem.failed++;
		return NULL;
	}
	stash_free = o->next;
	lwip_mem.stash_allocs++;
	if (++lwip_mem.stash_in_use > lwip_mem.stash_peak)
		lwip_mem.stash_peak = lwip_mem.stash_in_use;
	return o;
}

/*
 * lwIP's heap and pools. netd must never wait for reclaim: reclaim may
 * be waiting for a swap write that netd is carrying (docs/net/lwip.md,
 * "Memory"). An allocation that fails is a packet dropped or a segment
 * not queued; TCP sends it again. Work that may be a memalloc
 * connection's may then take the reserves below the min watermark
 * (net/lwip/memalloc.c; docs/mm/swap-over-network.md).
 */
void *lwip_port_malloc(size_t size)
{
	void *p = READ_ONCE(lwip_port_fail_ordinary) ? NULL :
		  kmalloc(size, GFP_NOWAIT | __GFP_NOWARN);

	/* The reserves a page at a time (kmalloc_pages: never a whole
	 * slab of them), for what may be the swap connection's. */
	if (!p && netd_memalloc_active()) {
		p = kmalloc_pages(size, GFP_NOWAIT | __GFP_MEMALLOC | __GFP_NOWARN);
		if (p) {
			lwip_mem.reserve_allocs++;
			lwip_port_reserve_used = true;
		}
	}
	if (!p && size <= STASH_OBJ_SIZE)
		return stash_get();
	if (!p) {
		lwip_mem.failed++;
		return NULL;
	}
	lwip_mem.bytes += ksize(p);
	if (kmalloc_in_slab(p))
		WRITE_ONCE(lwip_mem.slab_objects, lwip_mem.slab_objects + 1);
	if (lwip_mem.bytes > lwip_mem.peak)
		lwip_mem.peak = lwip_mem.bytes;
	lwip_mem.allocs++;
	return p;
}

void *lwip_port_calloc(size_t count, size_t size)
{
	void *p;

	if (size && count > (size_t)-1 / size)
		return NULL;
	p = lwip_port_malloc(count * size);
	if (p)
		memset(p, 0, count * size);
	return p;
}

void lwip_port_free(void *p)
{
	if (!p)
		return;
	if (stash_owns(p)) {
		stash_put(p);
		return;
	}
	lwip_mem.bytes -= ksize(p);
	if (kmalloc_in_slab(p))
		WRITE_ONCE(lwip_mem.slab_objects, lwip_mem.slab_objects - 1);
	kfree(p);
}

unsigned long net_slab_objects(void)
{
	return READ_ONCE(lwip_mem.slab_objects);
}

static struct prng lwip_prng;
static bool lwip_prng_seeded;

/* TCP's initial sequence numbers and ports, DHCP's transaction ids: not
 * secrets here, but different on every boot. */
unsigned int lwip_port_rand(void)
{
	if (!lwip_prng_seeded) {
		prng_seed(&lwip_prng, clock_ns() ^ 0x6c77697020707274ULL);
		lwip_prng_seeded = true;
	}
	return (unsigned int)prng_next(&lwip_prng);
}

void lwip_port_diag(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
}

void lwip_port_assert(const char *msg, const char *file, int line)
{
	panic("lwIP assertion failed: %s (%s:%d)", msg, file, line);
}

int atoi(const char *s)
{
	int neg = 0, v = 0;

	while (*s == ' ')
		s++;
	if (*s == '-' || *s == '+')
		neg = *s++ == '-';
	while (*s >= '0' && *s <= '9')
		v = v * 10 + (*s++ - '0');
	return neg ? -v : v;
}
