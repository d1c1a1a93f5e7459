/*
 * tests/suites/pci_config_test.c - PCI code that needs no hardware: the
 * ACPI MCFG reader on tables built here, and enumeration over a fake
 * configuration space (struct pci_cfg_ops): capability walking (with a
 * looping list), multi-function devices, a bridge firmware did not
 * number, BAR sizing and assignment from a host window; hot-plug slots
 * (drivers/pci/pciehp.c) on a fake root port.
 */
#include "drivers/acpi/acpi.h"
#include "drivers/pci/pci.h"
#include "drivers/pci/pciehp.h"
#include "kernel/kunit.h"
#include "kernel/lib/string.h"
#include "tests/suites/test_bytes.h"

/* ---------------------------------------------------------------- MCFG */

#define T_PHYS	0x20000ULL
static uint8_t t[1024];

static const void *t_map(uint64_t phys, uint64_t len)
{
	if (phys >= T_PHYS && phys + len <= T_PHYS + sizeof(t))
		return t + (phys - T_PHYS);
	return NULL;
}

/* RSDP (rev 0) at +0, RSDT at +0x40 listing a FACP at +0x80 and the
 * MCFG at +0x100 with n entries. */
static void build_mcfg(unsigned int n)
{
	uint8_t *r = t, *rsdt = t + 0x40, *facp = t + 0x80, *m = t + 0x100;
	uint32_t mlen = 44 + 16 * n;

	memset(t, 0, sizeof(t));
	memcpy(r, "RSD PTR ", 8);
	put32(r + 16, (uint32_t)(T_PHYS + 0x40));
	fix_sum(r, 20, 8);
	memcpy(rsdt, "RSDT", 4);
	put32(rsdt + 4, 36 + 8);
	put32(rsdt + 36, (uint32_t)(T_PHYS + 0x80));
	put32(rsdt + 40, (uint32_t)(T_PHYS + 0x100));
	fix_sum(rsdt, 44, 9);
	memcpy(facp, "FACP", 4);
	put32(facp + 4, 36);
	fix_sum(facp, 36, 9);
	memcpy(m, "MCFG", 4);
	put32(m + 4, mlen);
	for (unsigned int i = 0; i < n; i++) {
		uint8_t *e = m + 44 + 16 * i;

		put64(e, 0xb0000000ULL + 0x10000000ULL * i);
		e[8] = (uint8_t)i;
		e[10] = 0;
		e[11] = 0xff;
	}
	fix_sum(m, mlen, 9);
}

static void mcfg_parsed(struct kunit *test)
{
	static struct acpi_mcfg_info mi;
	char err[160] = "";
	uint64_t phys = 0;

	build_mcfg(2);
	KUNIT_ASSERT_EQ(test, acpi_parse_mcfg(T_PHYS, t_map, &mi, err, sizeof(err)), 0);
	KUNIT_ASSERT_EQ(test, mi.nr, 2u);
	KUNIT_EXPECT_EQ(test, mi.entries[0].base, 0xb0000000ULL);
	KUNIT_EXPECT_EQ(test, mi.entries[1].base, 0xc0000000ULL);
	KUNIT_EXPECT_EQ(test, mi.entries[1].segment, 1);
	KUNIT_EXPECT_EQ(test, mi.entries[0].bus_end, 0xff);
	KUNIT_EXPECT_NOT_NULL(test, acpi_find_table(T_PHYS, t_map, "FACP", &phys,
						    err, sizeof(err)));
	KUNIT_EXPECT_EQ(test, phys, T_PHYS + 0x80);
}

static void bad_mcfg_rejected(struct kunit *test)
{
	static struct acpi_mcfg_info mi;
	char err[160] = "";

	build_mcfg(1);
	t[0x100 + 50]++;			/* checksum */
	KUNIT_EXPECT_EQ(test, acpi_parse_mcfg(T_PHYS, t_map, &mi, err, sizeof(err)), -1);
	KUNIT_EXPECT_STREQ(test, err, "acpi: MCFG at 0x20100: checksum byte sum is 0x01, not 0");

	build_mcfg(1);
	put32(t + 0x100 + 4, 44 + 10);		/* not a whole entry */
	fix_sum(t + 0x100, 54, 9);
	KUNIT_EXPECT_EQ(test, acpi_parse_mcfg(T_PHYS, t_map, &mi, err, sizeof(err)), -1);
	KUNIT_EXPECT_STREQ(test, err, "acpi: MCFG at 0x20100: length 54 is not 44 + a multiple of 16");

	build_mcfg(1);
	t[0x100 + 44 + 10] = 5;			/* start bus above end bus 0xff? no: */
	t[0x100 + 44 + 11] = 2;			/* end bus 2 < start 5 */
	fix_sum(t + 0x100, 60, 9);
	KUNIT_EXPECT_EQ(test, acpi_parse_mcfg(T_PHYS, t_map, &mi, err, sizeof(err)), -1);
	KUNIT_EXPECT_STREQ(test, err, "acpi: MCFG entry at offset 44: base 0xb0000000, buses 5-2: end bus below start bus");

	build_mcfg(1);
	memcpy(t + 0x100, "XXXX", 4);
	fix_sum(t + 0x100, 60, 9);
	KUNIT_EXPECT_EQ(test, acpi_parse_mcfg(T_PHYS, t_map, &mi, err, sizeof(err)), -1);
	KUNIT_EXPECT_STREQ(test, err, "acpi: the RSDT (2 entries) lists no MCFG");
}

/* ---------------------------------------------------------------- fake space */

#define FAKE_BUSES	2
#define FAKE_DEVFNS	64	/* devices 0-7 */
struct fake_fn {
	uint8_t cfg[256];
	/* Write-1-to-clear bits (a slot's events). As QEMU does, a write
	 * that would clear a bit that is not set is dropped whole. */
	uint8_t rw1c[256];
	uint8_t ro[256];		/* read-only bits (a slot's states) */
	uint64_t bar_size[6];		/* 0: none; 64-bit BAR: size in [i] */
	bool present;
};
struct fake_space {
	struct fake_fn fn[FAKE_BUSES][FAKE_DEVFNS];
};

static struct fake_fn *fake_get(struct pci_host *h, unsigned int bus,
				unsigned int devfn)
{
	struct fake_space *fs = h->priv;

	if (bus >= FAKE_BUSES || devfn >= FAKE_DEVFNS ||
	    !fs->fn[bus][devfn].present)
		return NULL;
	return &fs->fn[bus][devfn];
}

static uint32_t fake_read(struct pci_host *h, unsigned int bus,
			  unsigned int devfn, unsigned int off, int size)
{
	struct fake_fn *f = fake_get(h, bus, devfn);
	uint32_t v = 0;

	if (!f || off + size > 256)
		return size == 4 ? 0xffffffff : size == 2 ? 0xffff : 0xff;
	memcpy(&v, f->cfg + off, size);
	return v;
}

static void fake_write(struct pci_host *h, unsigned int bus, unsigned int devfn,
		       unsigned int off, int size, uint32_t val)
{
	struct fake_fn *f = fake_get(h, bus, devfn);

	if (!f || off + size > 256)
		return;
	unsigned int nbars = (f->cfg[PCI_HEADER_TYPE] & 0x7f) == 1 ? 2 : 6;

	if (off >= PCI_BAR0 && off < PCI_BAR0 + 4 * nbars && size == 4) {
		unsigned int i = (off - PCI_BAR0) / 4;
		uint32_t old;

		memcpy(&old, f->cfg + off, 4);
		if (f->bar_size[i]) {
			uint64_t mask = ~(f->bar_size[i] - 1);

			val = (val & (uint32_t)mask) | (old & 0xf);
		} else if (i > 0 && (f->cfg[PCI_BAR0 + 4 * (i - 1)] & 6) == 4 &&
			   f->bar_size[i - 1]) {
			uint64_t mask = ~(f->bar_size[i - 1] - 1);

			val &= (uint32_t)(mask >> 32);	/* upper half */
		} else {
			val = 0;			/* unimplemented */
		}
	}
	uint8_t in[4];

	memcpy(in, &val, size);
	for (int i = 0; i < size; i++)
		if (in[i] & f->rw1c[off + i] & ~f->cfg[off + i])
			return;		/* clears an event never reported */
	for (int i = 0; i < size; i++) {
		uint8_t m = f->rw1c[off + i], r = f->ro[off + i];
		uint8_t old = f->cfg[off + i];

		f->cfg[off + i] = (uint8_t)((in[i] & ~m & ~r) | (old & r) |
					    (old & m & ~in[i]));
	}
}

static struct fake_space fake_space;
static const struct pci_cfg_ops fake_ops = { fake_read, fake_write };

static struct fake_fn *fake_add(struct fake_space *fs, unsigned int bus,
				unsigned int dev, unsigned int fn,
				uint16_t vendor, uint16_t device, uint8_t hdr)
{
	struct fake_fn *f = &fs->fn[bus][PCI_DEVFN(dev, fn)];

	f->present = true;
	memcpy(f->cfg + 0, &vendor, 2);
	memcpy(f->cfg + 2, &device, 2);
	f->cfg[PCI_HEADER_TYPE] = hdr;
	return f;
}

static void fake_cap(struct fake_fn *f, uint8_t at, uint8_t id, uint8_t next)
{
	f->cfg[PCI_STATUS] |= PCI_STATUS_CAP_LIST;
	if (!f->cfg[PCI_CAPABILITY_LIST])
		f->cfg[PCI_CAPABILITY_LIST] = at;
	f->cfg[at] = id;
	f->cfg[at + 1] = next;
}

static struct pci_host *fake_host(struct fake_space *fs, bool assign)
{
	struct pci_host tmpl = {
		.segment = 0xfe, .bus_start = 0, .bus_end = FAKE_BUSES - 1,
		.ops = &fake_ops, .priv = fs, .assign_all = assign,
		.mem32 = { .cpu_base = 0x10000000, .bus_base = 0x10000000,
			   .size = 0x1000000 },
		.mem64 = { .cpu_base = 0x8000000000ULL, .bus_base = 0x8000000000ULL,
			   .size = 0x100000000ULL },
	};

	return pci_host_add(&tmpl);
}

static struct pci_dev *find(uint16_t vendor, uint16_t device)
{
	return pci_get_device(vendor, device, NULL);
}

static void capabilities_walked(struct kunit *test)
{
	struct fake_space *fs = &fake_space;

	memset(fs, 0, sizeof(*fs));
	struct fake_fn *f = fake_add(fs, 0, 3, 0, 0x7e57, 0x1042, 0);

	fake_cap(f, 0x40, PCI_CAP_ID_VNDR, 0x50);
	fake_cap(f, 0x50, PCI_CAP_ID_VNDR, 0x60);
	fake_cap(f, 0x60, PCI_CAP_ID_MSIX, 0x70);
	fake_cap(f, 0x70, PCI_CAP_ID_VNDR, 0x40);	/* loops back */
	/* a second device whose list points below 0x40 */
	struct fake_fn *g = fake_add(fs, 0, 4, 0, 0x1234, 0x0002, 0);

	fake_cap(g, 0x20, PCI_CAP_ID_MSIX, 0);
	struct pci_host *h = fake_host(fs, false);

	KUNIT_ASSERT_NOT_NULL(test, h);
	KUNIT_EXPECT_EQ(test, pci_scan_host(h), 2);
	struct pci_dev *p = find(0x7e57, 0x1042);

	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_EQ(test, p->msix_cap, 0x60);
	KUNIT_EXPECT_EQ(test, pci_find_capability(p, PCI_CAP_ID_VNDR), 0x40u);
	KUNIT_EXPECT_EQ(test, pci_find_next_capability(p, 0x40, PCI_CAP_ID_VNDR), 0x50u);
	KUNIT_EXPECT_EQ(test, pci_find_next_capability(p, 0x50, PCI_CAP_ID_VNDR), 0x70u);
	/* the loop ends by the bound, having found nothing new */
	KUNIT_EXPECT_EQ(test, pci_find_capability(p, PCI_CAP_ID_EXP), 0u);
	KUNIT_EXPECT_EQ(test, pci_source_id(p), 0x18);
	KUNIT_EXPECT_STREQ(test, p->name, "00fe:00:03.0");
	KUNIT_EXPECT_PTR_EQ(test, to_pci_dev(&p->dev), p);
	p = find(0x1234, 0x0002);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_EQ(test, p->msix_cap, 0);
	pci_host_remove(h);
}

static void bridges_and_bars(struct kunit *test)
{
	struct fake_space *fs = &fake_space;

	memset(fs, 0, sizeof(*fs));
	/* bus 0: a multi-function device (fn 0 and 2), a bridge at 0:5.0 */
	struct fake_fn *a = fake_add(fs, 0, 1, 0, 0x1111, 0x0001, 0x80);

	a->bar_size[0] = 0x1000;			/* 32-bit mem */
	a->cfg[PCI_BAR0 + 8] = PCI_BAR_MEM64;		/* BAR2+3: 64-bit */
	a->bar_size[2] = 0x4000;
	a->cfg[PCI_BAR0 + 16] = PCI_BAR_IO;		/* BAR4 io, no window */
	a->bar_size[4] = 0x20;
	fake_add(fs, 0, 1, 2, 0x1111, 0x0002, 0);
	fake_add(fs, 0, 1, 4, 0xffff, 0xffff, 0);	/* absent reads as ~0 */
	struct fake_fn *b = fake_add(fs, 0, 5, 0, 0x2222, 0x0001, 1);	/* bridge, unnumbered */

	b->cfg[PCI_PREF_MEMORY_BASE] = 1;	/* its prefetchable window: 64-bit */
	/* bus 1 (behind the bridge): one device with a 64 KiB BAR, a
	 * 64-bit one (not prefetchable: must get a 32-bit address, as the
	 * bridge forwards 64-bit addresses only in its prefetchable window)
	 * and a 64-bit prefetchable one */
	struct fake_fn *c = fake_add(fs, 1, 0, 0, 0x3333, 0x0001, 0);

	c->bar_size[0] = 0x10000;
	c->cfg[PCI_BAR0 + 8] = PCI_BAR_MEM64;
	c->bar_size[2] = 0x4000;
	c->cfg[PCI_BAR0 + 16] = PCI_BAR_MEM64 | PCI_BAR_PREFETCH;
	c->bar_size[4] = 0x100000;
	/* a device with a firmware-assigned BAR on bus 0 */
	struct fake_fn *d = fake_add(fs, 0, 7, 0, 0x4444, 0x0001, 0);

	d->bar_size[0] = 0x1000;
	put32(d->cfg + PCI_BAR0, 0x20000000);

	struct pci_host *h = fake_host(fs, false);

	KUNIT_ASSERT_NOT_NULL(test, h);
	KUNIT_EXPECT_EQ(test, pci_scan_host(h), 5);
	struct pci_dev *p = find(0x1111, 0x0001);

	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_EQ(test, p->bar[0].size, 0x1000ULL);
	KUNIT_EXPECT_EQ(test, p->bar[0].addr, 0x10000000ULL);
	KUNIT_EXPECT_EQ(test, p->bar[2].size, 0x4000ULL);
	KUNIT_EXPECT_EQ(test, p->bar[2].flags, (unsigned int)PCI_BAR_MEM64);
	KUNIT_EXPECT_EQ(test, p->bar[2].addr, 0x8000000000ULL);
	KUNIT_EXPECT_EQ(test, p->bar[3].size, 0ULL);	/* upper half */
	KUNIT_EXPECT_EQ(test, p->bar[4].size, 0x20ULL);
	KUNIT_EXPECT_EQ(test, p->bar[4].addr, 0ULL);	/* no I/O window */
	uint32_t lo, hi;

	memcpy(&lo, a->cfg + PCI_BAR0 + 8, 4);
	memcpy(&hi, a->cfg + PCI_BAR0 + 12, 4);
	KUNIT_EXPECT_EQ(test, lo, (uint32_t)PCI_BAR_MEM64);
	KUNIT_EXPECT_EQ(test, hi, 0x80u);
	KUNIT_EXPECT_NOT_NULL(test, find(0x1111, 0x0002));	/* function 2 */
	struct pci_dev *br = find(0x2222, 0x0001);

	KUNIT_ASSERT_NOT_NULL(test, br);
	KUNIT_EXPECT_EQ(test, fs->fn[0][PCI_DEVFN(5, 0)].cfg[PCI_SECONDARY_BUS], 1);
	KUNIT_EXPECT_EQ(test, fs->fn[0][PCI_DEVFN(5, 0)].cfg[PCI_SUBORDINATE_BUS], 1);
	p = find(0x3333, 0x0001);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_EQ(test, p->bus, 1);
	KUNIT_EXPECT_EQ(test, p->bar[0].size, 0x10000ULL);
	/* 1 MiB aligned window for the bridge */
	KUNIT_EXPECT_EQ(test, p->bar[0].addr, 0x10100000ULL);
	uint32_t win;

	memcpy(&win, fs->fn[0][PCI_DEVFN(5, 0)].cfg + PCI_MEMORY_BASE, 4);
	KUNIT_EXPECT_EQ(test, win, 0x10101010u);
	KUNIT_EXPECT_EQ(test, p->bar[2].addr, 0x10110000ULL);	/* below 4 GiB */
	/* the prefetchable one in the 64-bit window, 1 MiB aligned after
	 * bus 0's BAR, and the bridge's prefetchable window around it */
	KUNIT_EXPECT_EQ(test, p->bar[4].addr, 0x8000100000ULL);
	memcpy(&win, b->cfg + PCI_PREF_MEMORY_BASE, 4);
	KUNIT_EXPECT_EQ(test, win, 0x00100010u);
	memcpy(&win, b->cfg + PCI_PREF_BASE_UPPER32, 4);
	KUNIT_EXPECT_EQ(test, win, 0x80u);
	memcpy(&win, b->cfg + PCI_PREF_LIMIT_UPPER32, 4);
	KUNIT_EXPECT_EQ(test, win, 0x80u);
	p = find(0x4444, 0x0001);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_EQ(test, p->bar[0].addr, 0x20000000ULL);	/* kept */
	pci_host_remove(h);
	KUNIT_EXPECT_NULL(test, find(0x1111, 0x0001));
}

/* ---------------------------------------------------------------- drivers */

void pci_bind_drivers(void);	/* drivers/pci/pci.c, as pci_init.c calls it */

/* What the class-matching driver was offered, on the fake host only
 * (segment 0xfe; in the kernel real devices are on the list too). */
static struct pci_dev *offered[8];
static unsigned int nr_offered;

static int offered_probe(struct pci_dev *pdev)
{
	if (pdev->segment == 0xfe && nr_offered < ARRAY_SIZE(offered))
		offered[nr_offered++] = pdev;
	return -ENODEV;			/* never bound: the host is removed */
}

/* xHCI by class (any vendor, any device), and one device by its ID. The
 * class is one no driver of this kernel takes (sdhci_pci takes 08.05). */
static const struct pci_device_id offered_ids[] = {
	{ .vendor = PCI_ANY_ID, .device = PCI_ANY_ID,
	  .class = 0x0c0330, .class_mask = 0xffffff },
	{ .vendor = 0x5555, .device = 0x0002 },
	{ 0 },
};

static struct pci_driver offered_driver = {
	.name = "pci-config-test",
	.id_table = offered_ids,
	.probe = offered_probe,
};

static bool was_offered(struct pci_dev *p)
{
	for (unsigned int i = 0; i < nr_offered; i++)
		if (offered[i] == p)
			return true;
	return false;
}

/* A driver's table matches by vendor and device, PCI_ANY_ID matching
 * any, and by the class bits its mask selects (sdhci_pci: 08.05.xx). */
static void drivers_match_by_id_and_class(struct kunit *test)
{
	static bool registered;
	struct fake_space *fs = &fake_space;
	struct pci_dev *a, *b, *c, *d;

	memset(fs, 0, sizeof(*fs));
	put32(fake_add(fs, 0, 1, 0, 0x5555, 0x0001, 0)->cfg + PCI_CLASS_REVISION,
	      0x0c033001);			/* xHCI, revision 1 */
	put32(fake_add(fs, 0, 2, 0, 0x5555, 0x0003, 0)->cfg + PCI_CLASS_REVISION,
	      0x0c032000);			/* EHCI: another prog-if */
	put32(fake_add(fs, 0, 3, 0, 0x5555, 0x0002, 0)->cfg + PCI_CLASS_REVISION,
	      0x02000000);			/* a NIC, taken by its ID */
	put32(fake_add(fs, 0, 4, 0, 0x6666, 0x0004, 0)->cfg + PCI_CLASS_REVISION,
	      0x0c033000);			/* xHCI of another vendor */
	struct pci_host *h = fake_host(fs, false);

	KUNIT_ASSERT_NOT_NULL(test, h);
	KUNIT_EXPECT_EQ(test, pci_scan_host(h), 4);
	a = find(0x5555, 0x0001);
	b = find(0x5555, 0x0003);
	c = find(0x5555, 0x0002);
	d = find(0x6666, 0x0004);
	KUNIT_ASSERT_TRUE(test, a && b && c && d);
	KUNIT_EXPECT_EQ(test, a->class, 0x0c0330u);
	nr_offered = 0;
	if (!registered) {
		pci_register_driver(&offered_driver);	/* offers every device */
		registered = true;
	} else {
		pci_bind_drivers();
	}
	KUNIT_EXPECT_TRUE(test, was_offered(a));
	KUNIT_EXPECT_FALSE(test, was_offered(b));
	KUNIT_EXPECT_TRUE(test, was_offered(c));
	KUNIT_EXPECT_TRUE(test, was_offered(d));
	KUNIT_EXPECT_EQ(test, nr_offered, 3u);
	pci_host_remove(h);
}

/* ---------------------------------------------------------------- hot-plug */

/*
 * drivers/pci/pciehp.c on a fake root port (0:2.0) whose slot 5 is
 * hot-plug capable, with an attention button and a power controller, and
 * a card in it: one function (1:0.0) the test driver takes. In the
 * kernel the pciehp thread may look at the fake slot too (when the
 * machine has hot-plug slots of its own): the outcome is the same
 * whoever looks, so the cases judge it, not who did it.
 */
#define HP_CAP		0x40
#define HP_SLOT		5u

static unsigned int hp_removes, hp_surprises;
static bool hp_powered_at_remove;
static struct fake_fn *hp_port_fn;

static int hp_probe(struct pci_dev *pdev)
{
	(void)pdev;
	return 0;
}

static void hp_remove(struct pci_dev *pdev, bool surprise)
{
	uint16_t ctl;

	(void)pdev;
	hp_removes++;
	hp_surprises += surprise;
	/* An announced removal must reach the driver while the slot still
	 * has power: the device is still there to be let go of. */
	memcpy(&ctl, hp_port_fn->cfg + HP_CAP + PCI_EXP_SLTCTL, 2);
	hp_powered_at_remove = !(ctl & PCI_EXP_SLTCTL_PCC);
}

static const struct pci_device_id hp_ids[] = {
	{ .vendor = 0x7e57, .device = 0x0bb1 },
	{ 0 },
};

static struct pci_driver hp_driver = {
	.name = "hotplug-test",
	.id_table = hp_ids,
	.probe = hp_probe,
	.remove = hp_remove,
};

static uint16_t hp_get16(unsigned int reg)
{
	uint16_t v;

	memcpy(&v, hp_port_fn->cfg + HP_CAP + reg, 2);
	return v;
}

/* The slot's events, set as the hardware (QEMU) sets them. */
static void hp_event(uint16_t set, uint16_t clear)
{
	put16(hp_port_fn->cfg + HP_CAP + PCI_EXP_SLTSTA,
	      (uint16_t)((hp_get16(PCI_EXP_SLTSTA) & ~clear) | set));
}

static void hp_setup(struct kunit *test, uint32_t sltcap,
		     struct pci_host **hp, struct pci_dev **card)
{
	static bool registered;
	struct fake_space *fs = &fake_space;
	struct pci_host *h;

	memset(fs, 0, sizeof(*fs));
	hp_port_fn = fake_add(fs, 0, 2, 0, 0x1b36, 0x000c, 1);
	fake_cap(hp_port_fn, HP_CAP, PCI_CAP_ID_EXP, 0);
	put16(hp_port_fn->cfg + HP_CAP + PCI_EXP_FLAGS,
	      PCI_EXP_FLAGS_SLOT | 0x42);	/* v2, a root port */
	put32(hp_port_fn->cfg + HP_CAP + PCI_EXP_SLTCAP,
	      sltcap | HP_SLOT << PCI_EXP_SLTCAP_PSN_SHIFT);
	put16(hp_port_fn->cfg + HP_CAP + PCI_EXP_SLTCTL, PCI_EXP_SLTCTL_PIC_ON);
	/* Cold-plugged, as QEMU starts it: a card, and a change reported. */
	put16(hp_port_fn->cfg + HP_CAP + PCI_EXP_SLTSTA,
	      PCI_EXP_SLTSTA_PDS | PCI_EXP_SLTSTA_PDC);
	hp_port_fn->rw1c[HP_CAP + PCI_EXP_SLTSTA] = 0x1f;	/* ABP..CC */
	hp_port_fn->rw1c[HP_CAP + PCI_EXP_SLTSTA + 1] = 0x01;	/* DLLSC */
	hp_port_fn->ro[HP_CAP + PCI_EXP_SLTSTA] = 0xe0;		/* MRLSS, PDS, EIS */
	fake_add(fs, 1, 0, 0, 0x7e57, 0x0bb1, 0);
	h = fake_host(fs, false);
	KUNIT_ASSERT_NOT_NULL(test, h);
	*hp = h;
	KUNIT_EXPECT_EQ(test, pci_scan_host(h), 2);
	if (!registered) {
		pci_register_driver(&hp_driver);
		registered = true;
	} else {
		pci_bind_drivers();
	}
	*card = find(0x7e57, 0x0bb1);
	KUNIT_ASSERT_NOT_NULL(test, *card);
	KUNIT_EXPECT_PTR_EQ(test, (*card)->driver, &hp_driver);
	hp_removes = hp_surprises = 0;
	hp_powered_at_remove = false;
}

#define HP_SLOT_CAPS	(PCI_EXP_SLTCAP_HPC | PCI_EXP_SLTCAP_ABP | \
			 PCI_EXP_SLTCAP_PCP)

/*
 * The attention button (QEMU's device_del): the driver is told while the
 * slot still has power, then the slot is powered off with its indicator
 * off (QEMU removes the card at that write). The power-on report of a
 * cold-plugged card is cleared and changes nothing; so is the card's
 * leaving after the power-off.
 */
static void hotplug_button_lets_the_driver_go_then_powers_off(struct kunit *test)
{
	struct pci_dev *card;
	struct pci_host *h;

	hp_setup(test, HP_SLOT_CAPS, &h, &card);
	pciehp_poll();
	KUNIT_EXPECT_EQ(test, hp_removes, 0u);
	KUNIT_EXPECT_EQ(test, hp_get16(PCI_EXP_SLTSTA), PCI_EXP_SLTSTA_PDS);
	KUNIT_EXPECT_FALSE(test, card->removed);

	hp_event(PCI_EXP_SLTSTA_ABP, 0);		/* the button */
	pciehp_poll();
	KUNIT_EXPECT_EQ(test, hp_removes, 1u);
	KUNIT_EXPECT_EQ(test, hp_surprises, 0u);
	KUNIT_EXPECT_TRUE(test, hp_powered_at_remove);
	KUNIT_EXPECT_TRUE(test, card->removed);
	KUNIT_EXPECT_NULL(test, card->driver);
	KUNIT_EXPECT_EQ(test, hp_get16(PCI_EXP_SLTCTL) &
			(PCI_EXP_SLTCTL_PIC | PCI_EXP_SLTCTL_PCC),
			PCI_EXP_SLTCTL_PIC_OFF | PCI_EXP_SLTCTL_PCC);
	KUNIT_EXPECT_EQ(test, hp_get16(PCI_EXP_SLTSTA) & PCI_EXP_SLTSTA_ABP, 0u);
	KUNIT_EXPECT_NULL(test, find(0x7e57, 0x0bb1));

	/* QEMU takes the card away: presence gone, a change reported. */
	fake_space.fn[1][0].present = false;
	hp_event(PCI_EXP_SLTSTA_PDC, PCI_EXP_SLTSTA_PDS);
	pciehp_poll();
	KUNIT_EXPECT_EQ(test, hp_removes, 1u);
	KUNIT_EXPECT_EQ(test, hp_get16(PCI_EXP_SLTSTA), 0u);
	/* Never bound again. */
	pci_bind_drivers();
	KUNIT_EXPECT_NULL(test, card->driver);
	pci_host_remove(h);
}

/* A card pulled without the button: presence detect says so, and the
 * driver is told after the fact. */
static void hotplug_pulled_card_tells_the_driver_after(struct kunit *test)
{
	struct pci_dev *card;
	struct pci_host *h;
	uint16_t ctl;

	hp_setup(test, HP_SLOT_CAPS, &h, &card);
	ctl = hp_get16(PCI_EXP_SLTCTL);
	pciehp_poll();
	fake_space.fn[1][0].present = false;
	hp_event(PCI_EXP_SLTSTA_PDC | PCI_EXP_SLTSTA_DLLSC, PCI_EXP_SLTSTA_PDS);
	pciehp_poll();
	KUNIT_EXPECT_EQ(test, hp_removes, 1u);
	KUNIT_EXPECT_EQ(test, hp_surprises, 1u);
	KUNIT_EXPECT_TRUE(test, card->removed);
	KUNIT_EXPECT_EQ(test, hp_get16(PCI_EXP_SLTSTA), 0u);
	KUNIT_EXPECT_EQ(test, hp_get16(PCI_EXP_SLTCTL), ctl);
	pci_host_remove(h);
}

/* A slot that is not hot-plug capable is not watched: a button or a
 * presence change there tells nobody (the driver finds out itself). */
static void hotplug_ignores_slots_not_hotplug_capable(struct kunit *test)
{
	unsigned int before = pciehp_count_slots();
	struct pci_dev *card;
	struct pci_host *h;

	hp_setup(test, PCI_EXP_SLTCAP_PCP, &h, &card);
	KUNIT_EXPECT_EQ(test, pciehp_count_slots(), before);
	hp_event(PCI_EXP_SLTSTA_ABP, 0);
	pciehp_poll();
	KUNIT_EXPECT_EQ(test, hp_removes, 0u);
	KUNIT_EXPECT_FALSE(test, card->removed);
	KUNIT_EXPECT_PTR_EQ(test, card->driver, &hp_driver);
	pci_host_remove(h);
	hp_setup(test, HP_SLOT_CAPS, &h, &card);
	KUNIT_EXPECT_EQ(test, pciehp_count_slots(), before + 1);
	pci_host_remove(h);
}

static struct kunit_case pci_config_cases[] = {
	KUNIT_CASE(mcfg_parsed),
	KUNIT_CASE(bad_mcfg_rejected),
	KUNIT_CASE(capabilities_walked),
	KUNIT_CASE(bridges_and_bars),
	KUNIT_CASE(drivers_match_by_id_and_class),
	KUNIT_CASE(hotplug_button_lets_the_driver_go_then_powers_off),
	KUNIT_CASE(hotplug_pulled_card_tells_the_driver_after),
	KUNIT_CASE(hotplug_ignores_slots_not_hotplug_capable),
	{}
};

static struct kunit_suite pci_config_suite = {
	.name = "pci_config",
	.test_cases = pci_config_cases,
};
kunit_test_suite(pci_config_suite);
