# net/build.mk - the network stack in the kernel: lwIP 2.1.3 from Debian's
# source package (tools/fetch-lwip unpacks it under $(O)/lwip, never
# committed) and our port of it (net/lwip/). Included by the Makefile
# after KOBJS: both are kernel only (one thread owns lwIP: net/net.h).
LWIP_DIR   := $(O)/lwip/lwip-2.1.3
LWIP_STAMP := $(LWIP_DIR)/.fetched
# lwIP's core, IPv4 and Ethernet (Filelists.mk's COREFILES, CORE4FILES,
# NETIFFILES), less what lwipopts.h turns off (DNS, AutoIP, IGMP, IPv6,
# altcp, the bridge and SLIP interfaces).
LWIP_SRCS  := core/init.c core/def.c core/inet_chksum.c core/ip.c \
	      core/mem.c core/memp.c core/netif.c core/pbuf.c core/raw.c \
	      core/stats.c core/sys.c core/tcp.c core/tcp_in.c core/tcp_out.c \
	      core/timeouts.c core/udp.c \
	      core/ipv4/dhcp.c core/ipv4/etharp.c core/ipv4/icmp.c \
	      core/ipv4/ip4_frag.c core/ipv4/ip4.c core/ipv4/ip4_addr.c \
	      netif/ethernet.c
LWIP_OBJS  := $(patsubst %.c,$(KOBJ)/lwip/%.o,$(LWIP_SRCS))
NET_PORT_OBJS := $(patsubst %.c,$(KOBJ)/%.o,$(wildcard net/lwip/*.c))
LWIP_INCLUDES := -Inet/lwip/include -Inet/lwip/include/libc \
		 -I$(LWIP_DIR)/src/include
# lwIP is not our code: our warnings, less the ones its style trips
# (documented in docs/net/lwip.md); still errors.
LWIP_CFLAGS := $(KCFLAGS) $(LWIP_INCLUDES) -Wno-missing-prototypes \
	       -Wno-shadow -Wno-sign-compare -Wno-address -Wno-type-limits

KOBJS += $(LWIP_OBJS) $(NET_PORT_OBJS)

$(LWIP_STAMP): tools/fetch-lwip
	$(Q)bash tools/fetch-lwip $(O)/lwip

$(KOBJ)/lwip/%.o: $(LWIP_STAMP) | $(call DEPS,build-$(ARCH))
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      lwip/$*.c")
	$(Q)$(KCC) $(LWIP_CFLAGS) -c $(LWIP_DIR)/src/$*.c -o $@

# Our port sees lwIP's headers (and its own lwipopts.h, arch/cc.h).
$(NET_PORT_OBJS): KCFLAGS += $(LWIP_INCLUDES)
$(NET_PORT_OBJS): | $(LWIP_STAMP)
