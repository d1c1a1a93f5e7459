/*
 * drivers/pci/pci.c - configuration access, enumeration, BARs,
 * capabilities, MSI-X, driver binding, `lspci` (contract: pci.h).
 */
#include "drivers/pci/pci.h"
#include "kernel/console.h"
#include "kernel/lib/string.h"
#include "kernel/lib/vsprintf.h"
#include "kernel/mutex.h"
#include "kernel/printk.h"
#include "kernel/spinlock.h"
#include "mm/dma-iommu.h"
#include <arch/irq.h>
#include <arch/mmio.h>

static struct list_head pci_hosts = LIST_HEAD_INIT(pci_hosts);
static struct list_head pci_devices = LIST_HEAD_INIT(pci_devices);
static struct list_head pci_drivers = LIST_HEAD_INIT(pci_drivers);
static pci_iommu_hook_t iommu_hook;

/*
 * Fixed pools: PCI structures live as long as the machine, and the host
 * tests (which have no global allocator) enumerate fake buses too.
 */
#define PCI_MAX_HOSTS	8
#define PCI_MAX_DEVICES	128
static struct pci_host host_pool[PCI_MAX_HOSTS];
static bool host_used[PCI_MAX_HOSTS];
static struct pci_dev dev_pool[PCI_MAX_DEVICES];
static bool dev_used[PCI_MAX_DEVICES];

static void *pool_get(void *pool, bool *used, unsigned int n, size_t size)
{
	for (unsigned int i = 0; i < n; i++) {
		if (used[i])
			continue;
		used[i] = true;
		memset((char *)pool + i * size, 0, size);
		return (char *)pool + i * size;
	}
	return NULL;
}

/* ---------------------------------------------------------------- access */

static volatile uint8_t *ecam_addr(struct pci_host *h, unsigned int bus,
				   unsigned int devfn, unsigned int off)
{
	if (bus < h->bus_start || bus > h->bus_end || off >= 4096)
		return NULL;
	if (!h->bus_map[bus]) {
		h->bus_map[bus] = ioremap(h->ecam_phys + ((uint64_t)bus << 20),
					  1 << 20);
		if (!h->bus_map[bus])
			return NULL;
	}
	return (volatile uint8_t *)h->bus_map[bus] + (devfn << 12) + off;
}

uint32_t pci_host_read(struct pci_host *h, unsigned int bus, unsigned int devfn,
		       unsigned int off, int size)
{
	volatile uint8_t *a;

	if (h->ops)
		return h->ops->read(h, bus, devfn, off, size);
	a = ecam_addr(h, bus, devfn, off);
	if (!a)
		return size == 4 ? 0xffffffff : size == 2 ? 0xffff : 0xff;
	switch (size) {
	case 1: return readb(a);
	case 2: return readw(a);
	default: return readl(a);
	}
}

void pci_host_write(struct pci_host *h, unsigned int bus, unsigned int devfn,
		    unsigned int off, int size, uint32_t val)
{
	volatile uint8_t *a;

	if (h->ops) {
		h->ops->write(h, bus, devfn, off, size, val);
		return;
	}
	a = ecam_addr(h, bus, devfn, off);
	if (!a)
		return;
	switch (size) {
	case 1: writeb((uint8_t)val, a); break;
	case 2: writew((uint16_t)val, a); break;
	default: writel(val, a); break;
	}
}

unsigned int pci_find_next_capability(struct pci_dev *pdev, unsigned int start,
				      unsigned int id)
{
	unsigned int pos;
	int ttl = 48;

	if (!(pci_read_config16(pdev, PCI_STATUS) & PCI_STATUS_CAP_LIST))
		return 0;
	pos = start ? pci_read_config8(pdev, start + 1)
		    : pci_read_config8(pdev, PCI_CAPABILITY_LIST);
	while (ttl-- > 0) {
		pos &= 0xfc;
		if (pos < 0x40)
			return 0;
		if (pci_read_config8(pdev, pos) == id)
			return pos;
		pos = pci_read_config8(pdev, pos + 1);
	}
	return 0;
}

/* ---------------------------------------------------------------- BARs */

static uint64_t window_alloc(struct pci_window *w, uint64_t size)
{
	uint64_t a;

	if (!w->size)
		return 0;
	if (w->next < w->bus_base)
		w->next = w->bus_base;
	a = ALIGN_UP(w->next, size);
	if (a + size > w->bus_base + w->size || a + size < a)
		return 0;
	w->next = a + size;
	return a;
}

/* Size BAR i (and i+1 for a 64-bit one); assign it if needed. Returns
 * the number of BAR registers it used (1 or 2). */
static int size_bar(struct pci_dev *pdev, int i, bool assign)
{
	unsigned int reg = PCI_BAR0 + 4 * i;
	uint32_t lo = pci_read_config32(pdev, reg), hi = 0, mlo, mhi = 0xffffffff;
	struct pci_bar *b = &pdev->bar[i];
	bool io = lo & PCI_BAR_IO, is64 = !io && (lo & 6) == PCI_BAR_MEM64;
	uint64_t mask, size;

	pci_write_config32(pdev, reg, 0xffffffff);
	mlo = pci_read_config32(pdev, reg);
	pci_write_config32(pdev, reg, lo);
	if (is64) {
		hi = pci_read_config32(pdev, reg + 4);
		pci_write_config32(pdev, reg + 4, 0xffffffff);
		mhi = pci_read_config32(pdev, reg + 4);
		pci_write_config32(pdev, reg + 4, hi);
	}
	if (!mlo && !(is64 && mhi))
		return is64 ? 2 : 1;		/* not implemented */
	mask = ((uint64_t)mhi << 32) | (mlo & (io ? ~3u : ~0xfu));
	if (!is64)
		mask |= 0xffffffff00000000ULL;
	if (io)
		mask |= 0xffff0000ULL;		/* 16-bit I/O decoders */
	size = ~mask + 1;
	if (!size)
		return is64 ? 2 : 1;
	b->size = size;
	b->flags = (io ? PCI_BAR_IO : 0) | (is64 ? PCI_BAR_MEM64 : 0) |
		   (lo & PCI_BAR_PREFETCH ? PCI_BAR_PREFETCH : 0);
	uint64_t addr = ((uint64_t)hi << 32) | (lo & (io ? ~3u : ~0xfu));
	struct pci_host *h = pdev->host;

	if (assign && (h->assign_all || !addr)) {
		/* A bridge forwards 32-bit non-prefetchable memory and, in
		 * its prefetchable window, 64-bit (PCI-to-PCI Bridge 1.2,
		 * 3.2.5.8-9): below one, a non-prefetchable 64-bit BAR must
		 * be given a 32-bit address. */
		bool wide = is64 && h->mem64.size &&
			    (!h->bridge_depth ||
			     ((lo & PCI_BAR_PREFETCH) && !h->narrow_depth));
		struct pci_window *w = io ? &h->io : wide ? &h->mem64 : &h->mem32;
		uint64_t bus_addr = window_alloc(w, size);

		if (!bus_addr) {
			pr_err("pci %s: BAR%d (%llu bytes) does not fit the "
			       "host's %s window\n", pdev->name, i,
			       (unsigned long long)size, io ? "I/O" : "memory");
			b->addr = 0;
			return is64 ? 2 : 1;
		}
		pci_write_config32(pdev, reg, (uint32_t)bus_addr | (lo & 0xf));
		if (is64)
			pci_write_config32(pdev, reg + 4, (uint32_t)(bus_addr >> 32));
		b->addr = bus_addr - w->bus_base + w->cpu_base;
	} else {
		b->addr = addr;		/* firmware's, kept */
	}
	return is64 ? 2 : 1;
}

static void read_bars(struct pci_dev *pdev, int nbars, bool assign)
{
	uint16_t cmd = pci_read_config16(pdev, PCI_COMMAND);

	/* No decoding while the BARs briefly hold all-ones. */
	pci_write_config16(pdev, PCI_COMMAND,
			   cmd & ~(PCI_COMMAND_IO | PCI_COMMAND_MEMORY));
	for (int i = 0; i < nbars;)
		i += size_bar(pdev, i, assign);
	pci_write_config16(pdev, PCI_COMMAND, cmd);
}

/* ---------------------------------------------------------------- scan */

static struct pci_dev *add_device(struct pci_host *h, unsigned int bus,
				  unsigned int devfn, uint32_t id)
{
	struct pci_dev *pdev = pool_get(dev_pool, dev_used, PCI_MAX_DEVICES,
					sizeof(*pdev));

	if (!pdev) {
		pr_err("pci: more than %d devices; the rest are ignored\n",
		       PCI_MAX_DEVICES);
		return NULL;
	}
	pdev->host = h;
	pdev->segment = h->segment;
	pdev->bus = (uint8_t)bus;
	pdev->devfn = (uint8_t)devfn;
	pdev->vendor = id & 0xffff;
	pdev->device = id >> 16;
	uint32_t cr = pci_read_config32(pdev, PCI_CLASS_REVISION);

	pdev->class = cr >> 8;
	pdev->revision = cr & 0xff;
	pdev->hdr_type = pci_read_config8(pdev, PCI_HEADER_TYPE) & 0x7f;
	pdev->irq_pin = pci_read_config8(pdev, PCI_INTERRUPT_PIN);
	ksnprintf(pdev->name, sizeof(pdev->name), "%04x:%02x:%02x.%u",
		  h->segment, bus, PCI_SLOT(devfn), PCI_FUNC(devfn));
	dma_device_init(&pdev->dev, pdev->name);
	pdev->msix_cap = (uint8_t)pci_find_capability(pdev, PCI_CAP_ID_MSIX);
	pdev->msi_cap = (uint8_t)pci_find_capability(pdev, PCI_CAP_ID_MSI);
	if (pdev->irq_pin >= 1 && pdev->irq_pin <= 4 &&
	    h->intx_spi[(PCI_SLOT(devfn) + pdev->irq_pin - 1) % 4])
		pdev->irq = h->intx_spi[(PCI_SLOT(devfn) + pdev->irq_pin - 1) % 4];
	list_add_tail(&pdev->node, &pci_devices);
	return pdev;
}

static unsigned int scan_bus(struct pci_host *h, unsigned int bus, int *found);

/*
 * The bridge's prefetchable window: what its devices took of the host's
 * 64-bit window since start, in 1 MiB units, or closed (base above
 * limit) if they took none. The upper halves exist when the bridge
 * says its window is 64-bit (type 1 in the low bits).
 */
static bool pref_window_is64(struct pci_dev *br)
{
	return (pci_read_config16(br, PCI_PREF_MEMORY_BASE) & 0xf) == 1;
}

static void set_pref_window(struct pci_dev *br, struct pci_host *h,
			    uint64_t start)
{
	uint64_t end = h->mem64.size ? ALIGN_UP(h->mem64.next, 1 << 20) : 0;
	bool is64 = pref_window_is64(br);

	if (!h->mem64.size || end <= start || (!is64 && (end - 1) >> 32)) {
		pci_write_config32(br, PCI_PREF_MEMORY_BASE, 0x0000fff0);
		if (is64) {
			pci_write_config32(br, PCI_PREF_BASE_UPPER32, 0xffffffff);
			pci_write_config32(br, PCI_PREF_LIMIT_UPPER32, 0);
		}
		return;
	}
	h->mem64.next = end;
	pci_write_config32(br, PCI_PREF_MEMORY_BASE,
			   (uint32_t)((start >> 16) & 0xfff0) |
			   (uint32_t)(((end - 1) >> 16) & 0xfff0) << 16);
	if (is64) {
		pci_write_config32(br, PCI_PREF_BASE_UPPER32, (uint32_t)(start >> 32));
		pci_write_config32(br, PCI_PREF_LIMIT_UPPER32,
				   (uint32_t)((end - 1) >> 32));
	}
}

static void scan_bridge(struct pci_host *h, struct pci_dev *pdev, int *found)
{
	unsigned int sec = pci_read_config8(pdev, PCI_SECONDARY_BUS);
	unsigned int sub = pci_read_config8(pdev, PCI_SUBORDINATE_BUS);
	bool assign = h->assign_all || sec <= pdev->bus || sec > h->bus_end;
	uint64_t mem_start = 0, pref_start = 0;

	if (assign) {
		if (h->next_bus > h->bus_end) {
			pr_err("pci %s: no bus number left for the bridge\n",
			       pdev->name);
			return;
		}
		sec = h->next_bus++;
		pci_write_config8(pdev, PCI_PRIMARY_BUS, pdev->bus);
		pci_write_config8(pdev, PCI_SECONDARY_BUS, (uint8_t)sec);
		pci_write_config8(pdev, PCI_SUBORDINATE_BUS, h->bus_end);
		if (h->mem32.size) {
			h->mem32.next = ALIGN_UP(h->mem32.next > h->mem32.bus_base ?
						 h->mem32.next : h->mem32.bus_base,
						 1 << 20);
			mem_start = h->mem32.next;
		}
		if (h->mem64.size) {
			h->mem64.next = ALIGN_UP(h->mem64.next > h->mem64.bus_base ?
						 h->mem64.next : h->mem64.bus_base,
						 1 << 20);
			pref_start = h->mem64.next;
		}
	} else if (sec >= h->next_bus) {
		h->next_bus = sec + 1;
	}
	bool narrow = !pref_window_is64(pdev);

	h->bridge_depth++;
	h->narrow_depth += narrow;
	sub = scan_bus(h, sec, found);
	h->bridge_depth--;
	h->narrow_depth -= narrow;
	if (assign) {
		set_pref_window(pdev, h, pref_start);
		pci_write_config8(pdev, PCI_SUBORDINATE_BUS, (uint8_t)sub);
		if (h->mem32.size) {
			uint64_t end = ALIGN_UP(h->mem32.next, 1 << 20);

			h->mem32.next = end;
			if (end > mem_start) {	/* memory window base/limit */
				pci_write_config32(pdev, PCI_MEMORY_BASE,
					(uint32_t)((mem_start >> 16) & 0xfff0) |
					(uint32_t)(((end - 1) >> 16) & 0xfff0) << 16);
			} else {
				pci_write_config32(pdev, PCI_MEMORY_BASE, 0x0000fff0);
			}
			pci_write_config16(pdev, PCI_COMMAND,
				pci_read_config16(pdev, PCI_COMMAND) |
				PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
		}
	}
}

/* Scan bus and everything below it; returns the highest bus number used. */
static unsigned int scan_bus(struct pci_host *h, unsigned int bus, int *found)
{
	unsigned int max = bus;

	if (bus >= h->next_bus)
		h->next_bus = bus + 1;
	for (unsigned int dev = 0; dev < 32; dev++) {
		for (unsigned int fn = 0; fn < 8; fn++) {
			unsigned int devfn = PCI_DEVFN(dev, fn);
			uint32_t id = pci_host_read(h, bus, devfn, PCI_VENDOR_ID, 4);

			if ((id & 0xffff) == 0xffff || (id & 0xffff) == 0) {
				if (fn == 0)
					break;
				continue;
			}
			struct pci_dev *pdev = add_device(h, bus, devfn, id);

			if (!pdev)
				return max;
			(*found)++;
			if (pdev->hdr_type == 0)
				read_bars(pdev, 6, true);
			else if (pdev->hdr_type == 1) {
				read_bars(pdev, 2, true);
				scan_bridge(h, pdev, found);
				if (h->next_bus - 1 > max)
					max = h->next_bus - 1;
			}
			if (iommu_hook && !h->ops && iommu_hook(pdev)) {
				pr_err("pci %s: the IOMMU refused it; no driver "
				       "will use it\n", pdev->name);
				pdev->driver = (const struct pci_driver *)-1;
			}
			if (fn == 0 && !(pci_host_read(h, bus, devfn,
					  PCI_HEADER_TYPE, 1) & 0x80))
				break;		/* single-function device */
		}
	}
	return max;
}

struct pci_host *pci_host_add(const struct pci_host *tmpl)
{
	struct pci_host *h = pool_get(host_pool, host_used, PCI_MAX_HOSTS,
				      sizeof(*h));

	if (!h)
		return NULL;
	*h = *tmpl;
	memset(h->bus_map, 0, sizeof(h->bus_map));
	h->next_bus = h->bus_start;
	list_add_tail(&h->list, &pci_hosts);
	return h;
}

/* Enumeration against hot-plug removal (pci.h). */
static DEFINE_MUTEX(rescan_remove_lock);

void pci_lock_rescan_remove(void)
{
	mutex_lock(&rescan_remove_lock);
}

void pci_unlock_rescan_remove(void)
{
	mutex_unlock(&rescan_remove_lock);
}

int pci_scan_host(struct pci_host *h)
{
	int found = 0;

	pci_lock_rescan_remove();
	h->next_bus = h->bus_start + 1;
	scan_bus(h, h->bus_start, &found);
	pci_unlock_rescan_remove();
	return found;
}

void pci_host_remove(struct pci_host *h)
{
	struct list_head *pos;

	pci_lock_rescan_remove();
	pos = pci_devices.next;
	while (pos != &pci_devices) {
		struct pci_dev *pdev = container_of(pos, struct pci_dev, node);

		pos = pos->next;
		if (pdev->host != h)
			continue;
		list_del(&pdev->node);
		dev_used[pdev - dev_pool] = false;
	}
	list_del(&h->list);
	host_used[h - host_pool] = false;
	pci_unlock_rescan_remove();
}

/* ---------------------------------------------------------------- devices */

void pci_for_each_dev(void (*fn)(struct pci_dev *pdev, void *arg), void *arg)
{
	struct pci_dev *pdev;

	list_for_each_entry(pdev, &pci_devices, node)
		fn(pdev, arg);
}

struct pci_dev *pci_dev_of(const struct device *dev)
{
	struct pci_dev *pdev;

	list_for_each_entry(pdev, &pci_devices, node)
		if (&pdev->dev == dev)
			return pdev;
	return NULL;
}

struct pci_dev *pci_bridge_of_bus(struct pci_host *h, unsigned int bus)
{
	struct pci_dev *pdev;

	list_for_each_entry(pdev, &pci_devices, node)
		if (pdev->host == h && pdev->hdr_type == 1 &&
		    pci_read_config8(pdev, PCI_SECONDARY_BUS) == bus)
			return pdev;
	return NULL;
}

int pcie_slot_power_off(struct pci_dev *pdev)
{
	struct pci_dev *br = pci_bridge_of_bus(pdev->host, pdev->bus);
	unsigned int cap = br ? pci_find_capability(br, PCI_CAP_ID_EXP) : 0;

	if (!cap || !(pci_read_config16(br, cap + PCI_EXP_FLAGS) & PCI_EXP_FLAGS_SLOT) ||
	    !(pci_read_config32(br, cap + PCI_EXP_SLTCAP) & PCI_EXP_SLTCAP_PCP))
		return -ENODEV;
	pcie_slot_set_control(br, cap, PCI_EXP_SLTCTL_PIC_OFF, PCI_EXP_SLTCTL_PCC);
	pr_info("pci %s: slot powered off (the card may be pulled)\n", br->name);
	return 0;
}

void pcie_slot_set_control(struct pci_dev *br, unsigned int cap, uint16_t pic,
			   uint16_t set)
{
	uint16_t ctl = pci_read_config16(br, cap + PCI_EXP_SLTCTL);

	pci_write_config16(br, cap + PCI_EXP_SLTCTL,
			   (uint16_t)((ctl & ~PCI_EXP_SLTCTL_PIC) | pic | set));
}

struct pci_dev *pci_get_device(uint16_t vendor, uint16_t device,
			       struct pci_dev *from)
{
	struct pci_dev *pdev;
	bool started = !from;

	list_for_each_entry(pdev, &pci_devices, node) {
		if (!started) {
			started = pdev == from;
			continue;
		}
		if (!pdev->removed && pdev->vendor == vendor &&
		    (device == 0xffff || pdev->device == device))
			return pdev;
	}
	return NULL;
}

void pci_enable_device(struct pci_dev *pdev)
{
	uint16_t cmd = pci_read_config16(pdev, PCI_COMMAND);

	cmd |= PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER;
	for (int i = 0; i < PCI_NUM_BARS; i++)
		if (pdev->bar[i].size && (pdev->bar[i].flags & PCI_BAR_IO))
			cmd |= PCI_COMMAND_IO;
	pci_write_config16(pdev, PCI_COMMAND, cmd);
}

void *pci_iomap(struct pci_dev *pdev, unsigned int bar, uint64_t off,
		uint64_t len)
{
	if (bar >= PCI_NUM_BARS || !pdev->bar[bar].addr ||
	    (pdev->bar[bar].flags & PCI_BAR_IO) ||
	    off + len > pdev->bar[bar].size)
		return NULL;
	return ioremap(pdev->bar[bar].addr + off, len);
}

/* ---------------------------------------------------------------- MSI-X */

int pci_msix_enable(struct pci_dev *pdev, unsigned int nvec)
{
	unsigned int cap = pdev->msix_cap;
	uint16_t ctrl;
	uint32_t table;

	if (!cap)
		return -1;
	ctrl = pci_read_config16(pdev, cap + PCI_MSIX_FLAGS);
	if ((ctrl & PCI_MSIX_FLAGS_QSIZE) + 1u < nvec)
		return -1;
	table = pci_read_config32(pdev, cap + PCI_MSIX_TABLE);
	if (!pdev->msix_table)
		pdev->msix_table = pci_iomap(pdev, table & 7, table & ~7u,
					     16 * ((ctrl & PCI_MSIX_FLAGS_QSIZE) + 1u));
	if (!pdev->msix_table)
		return -1;
	pci_write_config16(pdev, cap + PCI_MSIX_FLAGS,
			   ctrl | PCI_MSIX_FLAGS_ENABLE | PCI_MSIX_FLAGS_MASKALL);
	for (unsigned int i = 0; i < nvec; i++)
		writel(1, (char *)pdev->msix_table + 16 * i + 12);	/* masked */
	pci_write_config16(pdev, PCI_COMMAND, pci_read_config16(pdev, PCI_COMMAND) |
			   PCI_COMMAND_INTX_DISABLE);
	pci_write_config16(pdev, cap + PCI_MSIX_FLAGS,
			   (ctrl | PCI_MSIX_FLAGS_ENABLE) & ~PCI_MSIX_FLAGS_MASKALL);
	pdev->msix_nvec = nvec;
	pdev->msix_enabled = true;
	return (int)nvec;
}

uint32_t pci_msi_devid(const struct pci_dev *pdev)
{
	const struct pci_host *h = pdev->host;
	uint32_t rid = pci_source_id(pdev);

	if (!h || !h->msi_len)
		return rid;
	rid &= h->msi_rid_mask;
	if (rid < h->msi_rid_base || rid - h->msi_rid_base >= h->msi_len)
		return rid;
	return h->msi_devid_base + (rid - h->msi_rid_base);
}

int pci_msix_vector(struct pci_dev *pdev, unsigned int idx,
		    void (*fn)(void *arg), void *arg, unsigned int flags)
{
	uint64_t addr;
	uint32_t data;
	char *e;

	if (!pdev->msix_enabled || idx >= pdev->msix_nvec)
		return -1;
	if (arch_msi_alloc_dev(pci_msi_devid(pdev), fn, arg, &addr, &data, flags))
		return -1;
	/* Behind an IOMMU that translates MSIs the device writes the
	 * doorbell through its domain: an IOVA, not addr. */
	if (iommu_dma_prepare_msi(&pdev->dev, addr, &addr)) {
		arch_msi_free(data);
		return -1;
	}
	e = (char *)pdev->msix_table + 16 * idx;
	writel((uint32_t)addr, e);
	writel((uint32_t)(addr >> 32), e + 4);
	writel(data, e + 8);
	writel(0, e + 12);			/* unmask */
	return 0;
}

void pci_msix_disable(struct pci_dev *pdev)
{
	if (!pdev->msix_enabled)
		return;
	for (unsigned int i = 0; i < pdev->msix_nvec; i++) {
		char *e = (char *)pdev->msix_table + 16 * i;

		writel(1, e + 12);
		if (readl(e + 8))
			arch_msi_free(readl(e + 8));
	}
	uint16_t ctrl = pci_read_config16(pdev, pdev->msix_cap + PCI_MSIX_FLAGS);

	pci_write_config16(pdev, pdev->msix_cap + PCI_MSIX_FLAGS,
			   ctrl & ~PCI_MSIX_FLAGS_ENABLE);
	pdev->msix_enabled = false;
}

/*
 * Shared INTx lines: the arch runs intx_dispatch(line) for the line, and
 * it calls each sharer. A sharer is written in full before nr publishes
 * it, so an interrupt arriving during pci_request_intx sees either the
 * old list or the new one, never half an entry.
 */
#define PCI_INTX_LINES	16

struct intx_line {
	unsigned int irq;		/* 0: slot free */
	unsigned int nr;		/* sharers published */
	struct {
		void (*fn)(void *arg);
		void *arg;
		struct pci_dev *pdev;
	} sharer[PCI_INTX_SHARERS];
};

static struct intx_line intx_lines[PCI_INTX_LINES];
static DEFINE_SPINLOCK(intx_lock);

static void intx_dispatch(void *arg)
{
	struct intx_line *line = arg;
	unsigned int nr = __atomic_load_n(&line->nr, __ATOMIC_ACQUIRE);

	for (unsigned int i = 0; i < nr; i++)
		line->sharer[i].fn(line->sharer[i].arg);
}

int pci_request_intx(struct pci_dev *pdev, void (*fn)(void *arg), void *arg)
{
	struct intx_line *line = NULL, *free = NULL;
	unsigned long flags;
	int ret = -1;

	if (!pdev->irq_pin || !pdev->irq)
		return -1;
	spin_lock_irqsave(&intx_lock, flags);
	for (unsigned int i = 0; i < PCI_INTX_LINES; i++) {
		if (intx_lines[i].irq == pdev->irq)
			line = &intx_lines[i];
		else if (!intx_lines[i].irq && !free)
			free = &intx_lines[i];
	}
	if (!line && free && arch_irq_request(pdev->irq, intx_dispatch, free) == 0) {
		line = free;
		line->irq = pdev->irq;
	}
	if (line && line->nr < PCI_INTX_SHARERS) {
		unsigned int n = line->nr;

		line->sharer[n].fn = fn;
		line->sharer[n].arg = arg;
		line->sharer[n].pdev = pdev;
		__atomic_store_n(&line->nr, n + 1, __ATOMIC_RELEASE);
		ret = 0;
	}
	spin_unlock_irqrestore(&intx_lock, flags);
	if (ret) {
		pr_err("pci %s: INTx line %u: %s; the driver polls\n", pdev->name,
		       pdev->irq, !line ? "the platform refused it (or too many lines)" :
		       "too many devices share it");
		return -1;
	}
	pci_write_config16(pdev, PCI_COMMAND, pci_read_config16(pdev, PCI_COMMAND) &
			   ~PCI_COMMAND_INTX_DISABLE);
	return 0;
}

unsigned int pci_intx_sharers(unsigned int irq)
{
	for (unsigned int i = 0; i < PCI_INTX_LINES; i++)
		if (intx_lines[i].irq == irq && irq)
			return __atomic_load_n(&intx_lines[i].nr, __ATOMIC_ACQUIRE);
	return 0;
}

/* ---------------------------------------------------------------- drivers */

static bool matches(const struct pci_driver *drv, const struct pci_dev *pdev)
{
	for (const struct pci_device_id *id = drv->id_table; id->vendor; id++)
		if ((id->vendor == PCI_ANY_ID || id->vendor == pdev->vendor) &&
		    (id->device == PCI_ANY_ID || id->device == pdev->device) &&
		    !((id->class ^ pdev->class) & id->class_mask))
			return true;
	return false;
}

void pci_bind_drivers(void);
static void bind_driver(struct pci_dev *pdev)
{
	struct pci_driver *drv;

	if (pdev->driver || pdev->removed)
		return;
	list_for_each_entry(drv, &pci_drivers, node) {
		if (!matches(drv, pdev))
			continue;
		pdev->driver = drv;
		if (drv->probe(pdev) == 0)
			return;
		pdev->driver = NULL;
	}
}

void pci_bind_drivers(void)
{
	struct pci_dev *pdev;

	list_for_each_entry(pdev, &pci_devices, node)
		bind_driver(pdev);
}

void pci_register_driver(struct pci_driver *drv)
{
	struct pci_dev *pdev;

	list_add_tail(&drv->node, &pci_drivers);
	list_for_each_entry(pdev, &pci_devices, node)
		bind_driver(pdev);
}

int pci_register_iommu_hook(pci_iommu_hook_t fn)
{
	struct pci_dev *pdev;

	if (iommu_hook)
		return -1;
	iommu_hook = fn;
	list_for_each_entry(pdev, &pci_devices, node) {
		if (pdev->driver) {
			pr_err("pci %s: already driven by %s: its DMA is not "
			       "put behind the IOMMU\n", pdev->name,
			       pdev->driver == (const struct pci_driver *)-1 ?
			       "nothing" : pdev->driver->name);
			continue;
		}
		if (fn(pdev)) {
			pr_err("pci %s: the IOMMU refused it\n", pdev->name);
			pdev->driver = (const struct pci_driver *)-1;
		}
	}
	return 0;
}

/* ---------------------------------------------------------------- lspci */

static const char *class_name(uint32_t class)
{
	static const struct { uint32_t cls; const char *name; } names[] = {
		{ 0x0100, "SCSI storage controller" }, { 0x0101, "IDE interface" },
		{ 0x0106, "SATA controller" }, { 0x0108, "NVMe controller" },
		{ 0x0180, "Mass storage controller" },
		{ 0x0200, "Ethernet controller" }, { 0x0300, "VGA controller" },
		{ 0x0600, "Host bridge" }, { 0x0601, "ISA bridge" },
		{ 0x0604, "PCI bridge" }, { 0x0c05, "SMBus" },
		{ 0x0780, "Communication controller" },
		{ 0x00ff, "Unclassified device" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (names[i].cls == class >> 8)
			return names[i].name;
	return "device";
}

static void lspci_one(struct pci_dev *pdev, void *arg)
{
	(void)arg;
	if (pdev->removed) {
		printk("%s %04x:%04x class %06x %s (removed from its slot)\n",
		       pdev->name, pdev->vendor, pdev->device, pdev->class,
		       class_name(pdev->class));
		return;
	}
	printk("%s %04x:%04x class %06x %s%s%s%s\n", pdev->name, pdev->vendor,
	       pdev->device, pdev->class, class_name(pdev->class),
	       pdev->driver && pdev->driver != (const struct pci_driver *)-1 ?
	       " [" : "",
	       pdev->driver && pdev->driver != (const struct pci_driver *)-1 ?
	       pdev->driver->name : "",
	       pdev->driver && pdev->driver != (const struct pci_driver *)-1 ?
	       "]" : "");
	for (int i = 0; i < PCI_NUM_BARS; i++) {
		const struct pci_bar *b = &pdev->bar[i];

		if (!b->size)
			continue;
		printk("    BAR%d %s%s%s 0x%llx size 0x%llx%s\n", i,
		       b->flags & PCI_BAR_IO ? "io" : "mem",
		       b->flags & PCI_BAR_MEM64 ? "64" : "",
		       b->flags & PCI_BAR_PREFETCH ? " prefetchable" : "",
		       (unsigned long long)b->addr, (unsigned long long)b->size,
		       b->addr ? "" : " (unassigned)");
	}
	if (pdev->msix_cap || pdev->irq_pin)
		printk("    interrupts:%s%s pin %c%s\n",
		       pdev->msix_cap ? " MSI-X" : "",
		       pdev->msix_enabled ? " (enabled)," : pdev->msix_cap ? "," : "",
		       pdev->irq_pin ? 'A' + pdev->irq_pin - 1 : '-',
		       pdev->irq ? "" : " (not routed)");
}

static int cmd_lspci(int argc, char **argv)
{
	(void)argc; (void)argv;
	if (list_empty(&pci_devices)) {
		printk("lspci: no PCI devices (no ECAM host found)\n");
		return 0;
	}
	pci_for_each_dev(lspci_one, NULL);
	return 0;
}
CONSOLE_COMMAND(lspci, "PCI devices: bus:dev.fn, vendor:device, class, BARs", cmd_lspci);
