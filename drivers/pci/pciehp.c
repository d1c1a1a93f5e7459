/*
 * drivers/pci/pciehp.c - PCI Express native hot-plug: one look at every
 * hot-plug slot, and what a look does (contract: pciehp.h). The thread
 * that looks every PCIEHP_POLL_MS is in pciehp_kthread.c.
 *
 * The slot's registers, from its port's PCI Express capability (PCIe 6.0
 * sec. 7.5.3.9-11): Slot Capabilities says whether the slot is hot-plug
 * capable, has an attention button and a power controller, and its
 * number; Slot Status has the events (attention button pressed, presence
 * detect changed; write 1 to clear) and presence detect's state; Slot
 * Control drives the power controller and the power indicator.
 *
 * Status events are cleared by writing back exactly the bits that were
 * read as set: QEMU reverts a write that clears an event it had not
 * reported (it takes one for a guest clearing everything at start-up).
 */
#include "drivers/pci/pciehp.h"
#include "kernel/printk.h"

/* Slot Status events this code acts on. */
#define SLOT_EVENTS	(PCI_EXP_SLTSTA_ABP | PCI_EXP_SLTSTA_PDC | \
			 PCI_EXP_SLTSTA_DLLSC)

static bool driven(const struct pci_dev *pdev)
{
	return pdev->driver && pdev->driver != (const struct pci_driver *)-1;
}

/* The PCI Express capability of bridge br if its slot is hot-plug
 * capable, else 0. */
static unsigned int hotplug_cap(struct pci_dev *br)
{
	unsigned int cap;

	if (br->removed || br->hdr_type != 1)
		return 0;
	cap = pci_find_capability(br, PCI_CAP_ID_EXP);
	if (!cap || !(pci_read_config16(br, cap + PCI_EXP_FLAGS) &
		      PCI_EXP_FLAGS_SLOT))
		return 0;
	if (!(pci_read_config32(br, cap + PCI_EXP_SLTCAP) & PCI_EXP_SLTCAP_HPC))
		return 0;
	return cap;
}

static unsigned int slot_number(struct pci_dev *br, unsigned int cap)
{
	return pci_read_config32(br, cap + PCI_EXP_SLTCAP) >>
	       PCI_EXP_SLTCAP_PSN_SHIFT;
}

/* What lies behind a slot: the functions on the buses its port leads to
 * (its secondary bus, and those of any switch in the slot). */
struct behind {
	struct pci_dev *br;
	unsigned int sec, sub;
	bool surprise;
	unsigned int present;	/* functions there, not removed */
	unsigned int removed;	/* functions removed by this pass */
};

static bool is_behind(struct pci_dev *pdev, const struct behind *b)
{
	return pdev != b->br && pdev->host == b->br->host && !pdev->removed &&
	       pdev->bus >= b->sec && pdev->bus <= b->sub;
}

static void count_one(struct pci_dev *pdev, void *arg)
{
	struct behind *b = arg;

	if (is_behind(pdev, b))
		b->present++;
}

static void remove_one(struct pci_dev *pdev, void *arg)
{
	struct behind *b = arg;

	if (!is_behind(pdev, b))
		return;
	if (driven(pdev) && pdev->driver->remove) {
		pr_info("pci %s: %s: telling %s%s\n", pdev->name,
			b->surprise ? "gone" : "leaving", pdev->driver->name,
			b->surprise ? " (after the fact)" : "");
		pdev->driver->remove(pdev, b->surprise);
	} else if (driven(pdev)) {
		pr_warn("pci %s: %s cannot be told (no remove): the device "
			"goes from under it\n", pdev->name, pdev->driver->name);
	}
	pdev->driver = NULL;
	pdev->removed = true;
	b->removed++;
}

static void behind_init(struct behind *b, struct pci_dev *br, bool surprise)
{
	*b = (struct behind){
		.br = br,
		.sec = pci_read_config8(br, PCI_SECONDARY_BUS),
		.sub = pci_read_config8(br, PCI_SUBORDINATE_BUS),
		.surprise = surprise,
	};
}

/* One slot: its events, acted on. Returns the functions removed. */
static unsigned int poll_slot(struct pci_dev *br, unsigned int cap)
{
	uint16_t sta = pci_read_config16(br, cap + PCI_EXP_SLTSTA);
	uint16_t events = sta & SLOT_EVENTS;
	unsigned int slot = slot_number(br, cap);
	struct behind b;

	if (sta == 0xffff || !events)
		return 0;	/* nothing new (or the port itself is gone) */
	pci_write_config16(br, cap + PCI_EXP_SLTSTA, events);

	if (!(sta & PCI_EXP_SLTSTA_PDS)) {
		/* No card. If drivers still had one, it left by surprise;
		 * otherwise this is the end of a removal we made (QEMU
		 * takes the device away at our power-off). */
		behind_init(&b, br, true);
		pci_for_each_dev(remove_one, &b);
		if (b.removed)
			pr_warn("pci %s: slot %u: the card is gone without "
				"warning: %u function%s removed after the fact\n",
				br->name, slot, b.removed,
				b.removed == 1 ? "" : "s");
		return b.removed;
	}
	if (events & PCI_EXP_SLTSTA_ABP) {
		behind_init(&b, br, false);
		pci_for_each_dev(count_one, &b);
		if (!b.present) {
			pr_info("pci %s: slot %u: attention button, and nothing "
				"of ours in the slot: powering it off\n",
				br->name, slot);
			pcie_slot_set_control(br, cap, PCI_EXP_SLTCTL_PIC_OFF,
				      PCI_EXP_SLTCTL_PCC);
			return 0;
		}
		/* Blinking: "in progress" (PCIe sec. 6.7.1.1.2). */
		pcie_slot_set_control(br, cap, PCI_EXP_SLTCTL_PIC_BLINK, 0);
		pr_info("pci %s: slot %u: attention button: removing its %u "
			"function%s\n", br->name, slot, b.present,
			b.present == 1 ? "" : "s");
		pci_for_each_dev(remove_one, &b);
		pcie_slot_set_control(br, cap, PCI_EXP_SLTCTL_PIC_OFF, PCI_EXP_SLTCTL_PCC);
		pr_info("pci %s: slot %u: powered off: the card may be pulled\n",
			br->name, slot);
		return b.removed;
	}
	if (events & PCI_EXP_SLTSTA_PDC) {
		behind_init(&b, br, false);
		pci_for_each_dev(count_one, &b);
		if (!b.present)
			pr_warn("pci %s: slot %u: a card arrived: not used "
				"(no hot-add here: reboot to use it)\n",
				br->name, slot);
	}
	return 0;
}

struct poll_all {
	unsigned int removed;
};

static void poll_one(struct pci_dev *pdev, void *arg)
{
	struct poll_all *p = arg;
	unsigned int cap = hotplug_cap(pdev);

	if (cap)
		p->removed += poll_slot(pdev, cap);
}

unsigned int pciehp_poll(void)
{
	struct poll_all p = { 0 };

	pci_lock_rescan_remove();
	pci_for_each_dev(poll_one, &p);
	pci_unlock_rescan_remove();
	return p.removed;
}

static void count_slot(struct pci_dev *pdev, void *arg)
{
	unsigned int cap = hotplug_cap(pdev);

	if (!cap)
		return;
	(*(unsigned int *)arg)++;
	pr_info("pci %s: hot-plug slot %u%s%s\n", pdev->name,
		slot_number(pdev, cap),
		pci_read_config32(pdev, cap + PCI_EXP_SLTCAP) & PCI_EXP_SLTCAP_ABP ?
		", attention button" : "",
		pci_read_config16(pdev, cap + PCI_EXP_SLTSTA) & PCI_EXP_SLTSTA_PDS ?
		", a card in it" : ", empty");
}

unsigned int pciehp_count_slots(void)
{
	unsigned int n = 0;

	pci_lock_rescan_remove();
	pci_for_each_dev(count_slot, &n);
	pci_unlock_rescan_remove();
	return n;
}
