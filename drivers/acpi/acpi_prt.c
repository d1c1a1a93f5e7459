/*
 * drivers/acpi/acpi_prt.c - the host bridge's _PRT from static AML
 * (contract and limits: drivers/acpi/acpi_prt.h). ACPI 6.5 references:
 * AML grammar 20.2 (PkgLength 20.2.4, names 20.2.2, data objects 20.2.3,
 * named objects 20.2.5.2), _PRT 6.2.13, resource descriptors 6.4.
 *
 * Two passes. The walk (term_list) records the namespace objects of
 * interest: every Device, and the Names and Methods _HID, _CID, _CRS,
 * _PRS, _PRT, plus every Name whose value is a Package (a _PRT method may
 * return one by name). Then the host bridge, its _PRT candidates and the
 * link devices are looked up in that record. Offsets are table offsets.
 */
#include "drivers/acpi/acpi_prt.h"
#include "kernel/lib/string.h"
#include "kernel/lib/vsprintf.h"

#define AML_HDR_LEN	36
#define AML_MAX_DEPTH	8	/* name segments in a path */
#define AML_MAX_OBJS	256
#define AML_MAX_NEST	16	/* Scope/Device nesting, packages in packages */

/* Opcodes (20.3). */
#define ZERO_OP		0x00
#define ONE_OP		0x01
#define ALIAS_OP	0x06
#define NAME_OP		0x08
#define BYTE_PREFIX	0x0a
#define WORD_PREFIX	0x0b
#define DWORD_PREFIX	0x0c
#define STRING_PREFIX	0x0d
#define QWORD_PREFIX	0x0e
#define SCOPE_OP	0x10
#define BUFFER_OP	0x11
#define PACKAGE_OP	0x12
#define VAR_PACKAGE_OP	0x13
#define METHOD_OP	0x14
#define EXTERNAL_OP	0x15
#define DUAL_NAME	0x2e
#define MULTI_NAME	0x2f
#define EXT_OP		0x5b
#define ROOT_CHAR	0x5c
#define PARENT_CHAR	0x5e
#define IF_OP		0xa0
#define ELSE_OP		0xa1
#define WHILE_OP	0xa2
#define RETURN_OP	0xa4
#define ONES_OP		0xff
/* After EXT_OP. */
#define MUTEX_OP	0x01
#define EVENT_OP	0x02
#define REVISION_OP	0x30
#define REGION_OP	0x80
#define FIELD_OP	0x81
#define DEVICE_OP	0x82
#define PROCESSOR_OP	0x83
#define POWER_RES_OP	0x84
#define THERMAL_OP	0x85
#define INDEX_FIELD_OP	0x86
#define BANK_FIELD_OP	0x87

#define SEG(a, b, c, d)	((uint32_t)(a) | (uint32_t)(b) << 8 | \
			 (uint32_t)(c) << 16 | (uint32_t)(d) << 24)
#define SEG_HID		SEG('_', 'H', 'I', 'D')
#define SEG_CID		SEG('_', 'C', 'I', 'D')
#define SEG_CRS		SEG('_', 'C', 'R', 'S')
#define SEG_PRS		SEG('_', 'P', 'R', 'S')
#define SEG_PRT		SEG('_', 'P', 'R', 'T')

/* EisaId("PNP0A03") / ("PNP0A08") as AML stores them (a DWord). */
#define EISA_PNP0A03	0x030ad041u
#define EISA_PNP0A08	0x080ad041u

struct aml_path {
	uint8_t depth;
	uint32_t seg[AML_MAX_DEPTH];
};

/* A NameString as written: \ or ^^, then segments. */
struct aml_name {
	bool root;
	uint8_t up;			/* number of ^ */
	uint8_t nsegs;
	uint32_t seg[AML_MAX_DEPTH];
};

enum obj_kind { OBJ_DEVICE, OBJ_NAME, OBJ_METHOD };

struct aml_obj {
	struct aml_path path;		/* the object's own full path */
	uint8_t kind;
	uint32_t start, end;		/* NAME: its value; others: the body */
};

struct aml {
	const uint8_t *p;
	uint32_t len;
	char sig[5];
	char *err;
	size_t errlen;
	struct aml_obj objs[AML_MAX_OBJS];
	unsigned int nr_objs, objs_dropped;
	unsigned int scopes_cut;
	uint32_t first_cut;
};

/* The parser's state is large (objs): one per call, not on the stack. */
static struct aml aml_state;

static int fail(struct aml *a, uint32_t off, const char *what)
{
	ksnprintf(a->err, a->errlen, "acpi: %s offset 0x%x: %s", a->sig, off, what);
	return -1;
}

/* ---------------------------------------------------------------- bytes */

/* Read byte off, which must be below limit (the enclosing object's end). */
static int byte_at(struct aml *a, uint32_t off, uint32_t limit, uint8_t *b)
{
	if (off >= limit)
		return fail(a, off, "object ends in the middle of an encoding");
	*b = a->p[off];
	return 0;
}

/*
 * PkgLength at off (20.2.4): bits 7:6 of the lead byte count the bytes
 * that follow (0-3). With none, bits 5:0 are the length; otherwise bits
 * 3:0 are its low nibble and each following byte the next 8 bits. The
 * length counts itself: the package ends at off + length, which must not
 * pass limit. Returns the offset after the encoding, -1 on error.
 */
static int64_t pkg_length(struct aml *a, uint32_t off, uint32_t limit,
			  uint32_t *end)
{
	uint8_t lead, b;
	unsigned int n;
	uint32_t len;
	char msg[96];

	if (byte_at(a, off, limit, &lead))
		return -1;
	n = lead >> 6;
	if (n == 0) {
		len = lead & 0x3f;
	} else {
		if (lead & 0x30)
			return fail(a, off, "PkgLength lead byte has bits 5:4 set "
				    "with following bytes");
		len = lead & 0x0f;
		for (unsigned int i = 1; i <= n; i++) {
			if (byte_at(a, off + i, limit, &b))
				return -1;
			len |= (uint32_t)b << (4 + 8 * (i - 1));
		}
	}
	if (len < n + 1 || len > limit - off) {
		ksnprintf(msg, sizeof(msg), "PkgLength 0x%x %s 0x%x", len,
			  len < n + 1 ? "is shorter than its own encoding at" :
			  "runs past the enclosing object's end", limit);
		return fail(a, off, msg);
	}
	*end = off + len;
	return off + n + 1;
}

static bool lead_name_char(uint8_t c)
{
	return (c >= 'A' && c <= 'Z') || c == '_';
}

static bool name_char(uint8_t c)
{
	return lead_name_char(c) || (c >= '0' && c <= '9');
}

/* One NameSeg (4 characters) at off. */
static int64_t name_seg(struct aml *a, uint32_t off, uint32_t limit, uint32_t *seg)
{
	char msg[64];

	if (off + 4 > limit || off + 4 < off)
		return fail(a, off, "name segment runs past the object's end");
	for (int i = 0; i < 4; i++) {
		uint8_t c = a->p[off + i];

		if (i == 0 ? !lead_name_char(c) : !name_char(c)) {
			ksnprintf(msg, sizeof(msg), "byte 0x%02x is not a name "
				  "character", c);
			return fail(a, off + i, msg);
		}
	}
	*seg = SEG(a->p[off], a->p[off + 1], a->p[off + 2], a->p[off + 3]);
	return off + 4;
}

/* A NameString at off (20.2.2). Returns the offset after it. */
static int64_t name_string(struct aml *a, uint32_t off, uint32_t limit,
			   struct aml_name *n)
{
	uint8_t b;
	unsigned int count;
	int64_t r;

	memset(n, 0, sizeof(*n));
	if (byte_at(a, off, limit, &b))
		return -1;
	if (b == ROOT_CHAR) {
		n->root = true;
		off++;
	} else {
		while (b == PARENT_CHAR) {
			if (++n->up > AML_MAX_DEPTH)
				return fail(a, off, "more ^ prefixes than this "
					    "reader's 8 levels");
			if (byte_at(a, ++off, limit, &b))
				return -1;
		}
	}
	if (byte_at(a, off, limit, &b))
		return -1;
	if (b == 0)			/* NullName */
		return off + 1;
	if (b == DUAL_NAME) {
		count = 2;
		off++;
	} else if (b == MULTI_NAME) {
		if (byte_at(a, off + 1, limit, &b))
			return -1;
		count = b;
		if (count == 0 || count > AML_MAX_DEPTH)
			return fail(a, off + 1, count ? "multi-segment name longer "
				    "than this reader's 8 segments" :
				    "multi-segment name with 0 segments");
		off += 2;
	} else {
		count = 1;
	}
	for (unsigned int i = 0; i < count; i++) {
		r = name_seg(a, off, limit, &n->seg[i]);
		if (r < 0)
			return -1;
		off = (uint32_t)r;
	}
	n->nsegs = (uint8_t)count;
	return off;
}

/* Does an integer constant start with b? */
static bool int_op(uint8_t b)
{
	return b == ZERO_OP || b == ONE_OP || b == ONES_OP || b == BYTE_PREFIX ||
	       b == WORD_PREFIX || b == DWORD_PREFIX || b == QWORD_PREFIX;
}

static bool starts_name(uint8_t b)
{
	return lead_name_char(b) || b == ROOT_CHAR || b == PARENT_CHAR ||
	       b == DUAL_NAME || b == MULTI_NAME;
}

/*
 * An integer constant at off (20.2.3): ZeroOp, OneOp, OnesOp or a
 * Byte/Word/DWord/QWordPrefix and its little-endian value. Returns the
 * offset after it; -1 with an error when the bytes are something else.
 */
static int64_t integer(struct aml *a, uint32_t off, uint32_t limit, uint64_t *v)
{
	static const uint8_t size[16] = { [BYTE_PREFIX] = 1, [WORD_PREFIX] = 2,
					  [DWORD_PREFIX] = 4, [QWORD_PREFIX] = 8 };
	uint8_t op;
	char msg[64];

	if (byte_at(a, off, limit, &op))
		return -1;
	if (op == ZERO_OP || op == ONE_OP || op == ONES_OP) {
		*v = op == ONES_OP ? ~0ULL : op;
		return off + 1;
	}
	if (op >= 16 || !size[op]) {
		ksnprintf(msg, sizeof(msg), "opcode 0x%02x where an integer "
			  "constant was expected", op);
		return fail(a, off, msg);
	}
	if (size[op] > limit - off - 1)
		return fail(a, off, "integer runs past the object's end");
	*v = 0;
	for (unsigned int i = 0; i < size[op]; i++)
		*v |= (uint64_t)a->p[off + 1 + i] << (8 * i);
	return off + 1 + size[op];
}

/*
 * Skip one data object at off (DataRefObject, 20.2.3): an integer, a
 * string, a buffer, a (var)package or a name reference. Returns the
 * offset after it.
 */
static int64_t skip_data(struct aml *a, uint32_t off, uint32_t limit, int nest)
{
	uint8_t op, b;
	uint32_t end;
	uint64_t v;
	struct aml_name n;
	char msg[64];

	if (byte_at(a, off, limit, &op))
		return -1;
	switch (op) {
	case STRING_PREFIX:
		for (uint32_t i = off + 1;; i++) {
			if (byte_at(a, i, limit, &b))
				return -1;
			if (b == 0)
				return i + 1;
		}
	case BUFFER_OP:
	case PACKAGE_OP:
	case VAR_PACKAGE_OP:
		if (nest > AML_MAX_NEST)
			return fail(a, off, "packages nested deeper than 16");
		if (pkg_length(a, off + 1, limit, &end) < 0)
			return -1;
		return end;
	case EXT_OP:
		if (byte_at(a, off + 1, limit, &b))
			return -1;
		if (b == REVISION_OP)
			return off + 2;
		break;
	default:
		if (starts_name(op))
			return name_string(a, off, limit, &n);
		if (int_op(op))
			return integer(a, off, limit, &v);
	}
	ksnprintf(msg, sizeof(msg), "opcode 0x%02x is not a data object", op);
	return fail(a, off, msg);
}

/* ---------------------------------------------------------------- namespace */

static void path_append(struct aml_path *p, const struct aml_path *scope,
			const struct aml_name *n, bool *ok)
{
	*ok = true;
	if (n->root) {
		p->depth = 0;
	} else {
		if (n->up > scope->depth) {
			*ok = false;
			return;
		}
		*p = *scope;
		p->depth = (uint8_t)(scope->depth - n->up);
	}
	for (unsigned int i = 0; i < n->nsegs; i++) {
		if (p->depth == AML_MAX_DEPTH) {
			*ok = false;
			return;
		}
		p->seg[p->depth++] = n->seg[i];
	}
}

static bool path_eq(const struct aml_path *x, const struct aml_path *y)
{
	if (x->depth != y->depth)
		return false;
	for (unsigned int i = 0; i < x->depth; i++)
		if (x->seg[i] != y->seg[i])
			return false;
	return true;
}

static const struct aml_obj *find_path(struct aml *a, const struct aml_path *p)
{
	for (unsigned int i = 0; i < a->nr_objs; i++)
		if (path_eq(&a->objs[i].path, p))
			return &a->objs[i];
	return NULL;
}

/*
 * Look name up from scope as AML does (5.3): a single segment without
 * prefix is searched in scope, then each parent up to the root; any
 * other name is taken as written.
 */
static const struct aml_obj *lookup(struct aml *a, const struct aml_path *scope,
				    const struct aml_name *n)
{
	struct aml_path p;
	bool ok;

	if (n->nsegs == 1 && !n->root && !n->up) {
		for (int d = scope->depth; d >= 0; d--) {
			p = *scope;
			p.depth = (uint8_t)d;
			path_append(&p, &p, n, &ok);
			const struct aml_obj *o = ok ? find_path(a, &p) : NULL;

			if (o)
				return o;
		}
		return NULL;
	}
	path_append(&p, scope, n, &ok);
	return ok ? find_path(a, &p) : NULL;
}

/* The child `seg` of object o (its _CRS, _PRT...), or NULL. */
static const struct aml_obj *child(struct aml *a, const struct aml_obj *o,
				   uint32_t seg)
{
	struct aml_path p = o->path;

	if (p.depth == AML_MAX_DEPTH)
		return NULL;
	p.seg[p.depth++] = seg;
	return find_path(a, &p);
}

static void record(struct aml *a, const struct aml_path *scope,
		   const struct aml_name *n, enum obj_kind kind,
		   uint32_t start, uint32_t end)
{
	struct aml_obj *o;
	bool ok;

	if (a->nr_objs == AML_MAX_OBJS) {
		a->objs_dropped++;
		return;
	}
	o = &a->objs[a->nr_objs];
	path_append(&o->path, scope, n, &ok);
	if (!ok || o->path.depth == 0)
		return;			/* deeper than we follow: not ours */
	o->kind = (uint8_t)kind;
	o->start = start;
	o->end = end;
	a->nr_objs++;
}

static bool interesting(uint32_t seg)
{
	return seg == SEG_HID || seg == SEG_CID || seg == SEG_CRS ||
	       seg == SEG_PRS || seg == SEG_PRT;
}

/* An opcode this reader does not know ends the list it is in. */
static int cut_scope(struct aml *a, uint32_t off)
{
	if (!a->scopes_cut++)
		a->first_cut = off;
	return 0;
}

static int term_list(struct aml *a, const struct aml_path *scope,
		     uint32_t off, uint32_t end, int nest);

/* Scope or Device at off (after its opcode): PkgLength NameString TermList. */
static int64_t scope_like(struct aml *a, const struct aml_path *scope,
			  uint32_t off, uint32_t limit, bool device, int nest)
{
	struct aml_name n;
	struct aml_path inner;
	uint32_t end;
	int64_t r;
	bool ok;

	r = pkg_length(a, off, limit, &end);
	if (r < 0)
		return -1;
	r = name_string(a, (uint32_t)r, end, &n);
	if (r < 0)
		return -1;
	if (device)
		record(a, scope, &n, OBJ_DEVICE, (uint32_t)r, end);
	path_append(&inner, scope, &n, &ok);
	if (!ok)
		return end;		/* deeper than we follow */
	if (nest >= AML_MAX_NEST)
		return fail(a, off, "scopes nested deeper than 16");
	if (term_list(a, &inner, (uint32_t)r, end, nest + 1))
		return -1;
	return end;
}

/* Declarations from off to end in scope (TermList, 20.2.5). */
static int term_list(struct aml *a, const struct aml_path *scope,
		     uint32_t off, uint32_t end, int nest)
{
	struct aml_name n, n2;
	uint32_t obj_end, vstart;
	uint64_t v;
	uint8_t op, ext;
	int64_t r;

	while (off < end) {
		op = a->p[off];
		switch (op) {
		case SCOPE_OP:
			r = scope_like(a, scope, off + 1, end, false, nest);
			break;
		case NAME_OP:
			r = name_string(a, off + 1, end, &n);
			if (r < 0)
				return -1;
			vstart = (uint32_t)r;

			r = skip_data(a, vstart, end, 0);
			if (r >= 0 && n.nsegs && (interesting(n.seg[n.nsegs - 1]) ||
						  a->p[vstart] == PACKAGE_OP))
				record(a, scope, &n, OBJ_NAME, vstart, (uint32_t)r);
			break;
		case METHOD_OP:
			r = pkg_length(a, off + 1, end, &obj_end);
			if (r < 0)
				return -1;
			r = name_string(a, (uint32_t)r, obj_end, &n);
			if (r < 0)
				return -1;
			if (n.nsegs && interesting(n.seg[n.nsegs - 1]))
				record(a, scope, &n, OBJ_METHOD, (uint32_t)r + 1,
				       obj_end);	/* + 1: MethodFlags */
			r = obj_end;
			break;
		case IF_OP:
		case ELSE_OP:
		case WHILE_OP:
			r = pkg_length(a, off + 1, end, &obj_end);
			r = r < 0 ? r : obj_end;
			break;
		case ALIAS_OP:
			r = name_string(a, off + 1, end, &n);
			if (r >= 0)
				r = name_string(a, (uint32_t)r, end, &n2);
			break;
		case EXTERNAL_OP:	/* NameString ObjectType ArgumentCount */
			r = name_string(a, off + 1, end, &n);
			if (r >= 0 && (r += 2) > end)
				return fail(a, off, "External runs past the "
					    "object's end");
			break;
		case EXT_OP:
			if (byte_at(a, off + 1, end, &ext))
				return -1;
			switch (ext) {
			case DEVICE_OP:
				r = scope_like(a, scope, off + 2, end, true, nest);
				break;
			case FIELD_OP:
			case INDEX_FIELD_OP:
			case BANK_FIELD_OP:
			case PROCESSOR_OP:
			case POWER_RES_OP:
			case THERMAL_OP:
				r = pkg_length(a, off + 2, end, &obj_end);
				r = r < 0 ? r : obj_end;
				break;
			case MUTEX_OP:		/* NameString SyncFlags */
				r = name_string(a, off + 2, end, &n);
				if (r >= 0 && ++r > end)
					return fail(a, off, "Mutex runs past "
						    "the object's end");
				break;
			case EVENT_OP:
				r = name_string(a, off + 2, end, &n);
				break;
			case REGION_OP:		/* Name Space Offset Length */
				r = name_string(a, off + 2, end, &n);
				if (r < 0)
					return -1;
				r++;		/* RegionSpace byte */
				for (int k = 0; k < 2 && r >= 0; k++) {
					if (r >= end || !int_op(a->p[r]))
						return cut_scope(a, off); /* computed */
					r = integer(a, (uint32_t)r, end, &v);
				}
				break;
			default:
				return cut_scope(a, off);
			}
			break;
		default:
			return cut_scope(a, off);
		}
		if (r < 0)
			return -1;
		off = (uint32_t)r;
	}
	return 0;
}

/* ---------------------------------------------------------------- routing */

static void path_str(const struct aml_path *p, char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = '\0';
	if (len < 2)
		return;
	buf[n++] = '\\';
	for (unsigned int i = 0; i < p->depth && n + 5 < len; i++) {
		if (i)
			buf[n++] = '.';
		for (int k = 0; k < 4; k++)
			buf[n++] = (char)(p->seg[i] >> (8 * k));
	}
	buf[n] = '\0';
}

/* Is o's _HID or _CID PNP0A03/PNP0A08 (an EisaId or a string)? */
static bool is_host_bridge(struct aml *a, const struct aml_obj *dev)
{
	static const uint32_t ids[2] = { SEG_HID, SEG_CID };

	for (int i = 0; i < 2; i++) {
		const struct aml_obj *o = child(a, dev, ids[i]);
		uint64_t v;

		if (!o || o->kind != OBJ_NAME)
			continue;
		if (a->p[o->start] == STRING_PREFIX && o->end - o->start == 9 &&
		    (!memcmp(a->p + o->start + 1, "PNP0A03", 8) ||
		     !memcmp(a->p + o->start + 1, "PNP0A08", 8)))
			return true;
		if (a->p[o->start] != STRING_PREFIX &&
		    integer(a, o->start, o->end, &v) >= 0 &&
		    (v == EISA_PNP0A03 || v == EISA_PNP0A08))
			return true;
	}
	return false;
}

/*
 * The index-th interrupt descriptor of the resource template in the
 * Buffer at [start, end) (6.4): the number of interrupts it lists in
 * *count, the first in *gsi, its mode. 0, or 1 with a reason in why when
 * the template has no such descriptor, -1 when it is malformed.
 */
static int template_irq(struct aml *a, uint32_t start, uint32_t end,
			uint64_t index, uint32_t *gsi, unsigned int *count,
			bool *level, bool *low, const char **why)
{
	uint32_t bend, off, dlen;
	uint64_t size;
	int64_t r;
	uint8_t tag;

	if (a->p[start] != BUFFER_OP) {
		*why = "is not a Buffer";
		return 1;
	}
	r = pkg_length(a, start + 1, end, &bend);
	if (r < 0)
		return -1;
	r = integer(a, (uint32_t)r, bend, &size);	/* BufferSize */
	if (r < 0)
		return -1;
	for (off = (uint32_t)r; off < bend; off += dlen) {
		tag = a->p[off];
		if (!(tag & 0x80)) {		/* small: type 6:3, length 2:0 */
			dlen = 1 + (tag & 7);
			if (dlen > bend - off)
				return fail(a, off, "small resource descriptor "
					    "runs past the buffer's end");
			if ((tag >> 3) == 0xf)	/* End Tag */
				break;
			if ((tag >> 3) != 0x4)	/* not IRQ */
				continue;
			if ((tag & 7) < 2)
				return fail(a, off, "IRQ descriptor shorter "
					    "than 2 bytes");
			if (index--)
				continue;
			uint16_t mask = (uint16_t)(a->p[off + 1] | a->p[off + 2] << 8);
			uint8_t fl = (tag & 7) >= 3 ? a->p[off + 3] : 0x01;

			*count = (unsigned int)__builtin_popcount(mask);
			*gsi = mask ? (uint32_t)__builtin_ctz(mask) : 0;
			*level = !(fl & 0x01);		/* _HE: 1 = edge */
			*low = fl & 0x08;		/* _LL */
			return 0;
		}
		if (bend - off < 3)
			return fail(a, off, "large resource descriptor header "
				    "runs past the buffer's end");
		dlen = 3 + (uint32_t)(a->p[off + 1] | a->p[off + 2] << 8);
		if (dlen > bend - off)
			return fail(a, off, "large resource descriptor runs "
				    "past the buffer's end");
		if (tag != 0x89)		/* not Extended Interrupt */
			continue;
		if (dlen < 5 || dlen < 5 + 4u * a->p[off + 4])
			return fail(a, off, "Extended Interrupt descriptor "
				    "shorter than its interrupt table");
		if (index--)
			continue;
		*count = a->p[off + 4];
		memcpy(gsi, a->p + off + 5, 4);
		*level = !(a->p[off + 3] & 0x02);	/* _HE */
		*low = a->p[off + 3] & 0x04;		/* _LL */
		return 0;
	}
	*why = "has no such interrupt descriptor";
	return 1;
}

/*
 * The GSI behind a link device: its static _CRS, or _PRS when _CRS is a
 * method. 0, 1 (cannot tell: reason in why), -1 (malformed).
 */
static int link_gsi(struct aml *a, const struct aml_obj *dev, uint64_t index,
		    struct acpi_prt_entry *e, const char **why)
{
	const struct aml_obj *o = child(a, dev, SEG_CRS);
	unsigned int count = 0;
	int r;

	if (!o || o->kind != OBJ_NAME)
		o = child(a, dev, SEG_PRS);
	if (!o || o->kind != OBJ_NAME) {
		*why = "has no static _CRS or _PRS";
		return 1;
	}
	r = template_irq(a, o->start, o->end, index, &e->gsi, &count,
			 &e->level, &e->active_low, why);
	if (r)
		return r;
	if (count != 1) {
		*why = count ? "offers several interrupts (a link for the "
			       "8259s?)" : "lists no interrupt";
		return 1;
	}
	return 0;
}

/*
 * Read the _PRT package at pkg (PackageOp) found in scope into out. 0 if
 * every entry resolved, 1 if one did not (reason in err), -1 if malformed.
 */
static int read_prt(struct aml *a, const struct aml_path *scope, uint32_t pkg,
		    uint32_t limit, struct acpi_prt *out)
{
	uint32_t end, eend, off;
	uint64_t v[4];
	unsigned int nelem;
	int64_t r;
	char msg[128];

	out->nr = out->dropped = 0;
	if (a->p[pkg] != PACKAGE_OP)
		return fail(a, pkg, "_PRT is not a Package");
	r = pkg_length(a, pkg + 1, limit, &end);
	if (r < 0)
		return -1;
	off = (uint32_t)r;
	if (off >= end)
		return fail(a, off, "_PRT package has no element count");
	nelem = a->p[off++];
	for (unsigned int i = 0; i < nelem && off < end; i++) {
		struct acpi_prt_entry e = { .level = true, .active_low = true };
		const struct aml_obj *link = NULL;
		struct aml_name src;
		uint32_t at = off;

		if (a->p[off] != PACKAGE_OP)
			return fail(a, off, "_PRT entry is not a Package");
		r = pkg_length(a, off + 1, end, &eend);
		if (r < 0)
			return -1;
		off = (uint32_t)r;
		if (off >= eend || a->p[off] != 4)
			return fail(a, at, "_PRT entry does not have 4 elements");
		off++;
		for (int k = 0; k < 4; k++) {
			if (k == 2 && off < eend && starts_name(a->p[off])) {
				r = name_string(a, off, eend, &src);
				if (r >= 0 && !(link = lookup(a, scope, &src))) {
					char pn[40];
					struct aml_path pp;
					bool ok;

					path_append(&pp, scope, &src, &ok);
					path_str(&pp, pn, sizeof(pn));
					ksnprintf(msg, sizeof(msg), "_PRT entry "
						  "names %s, which this table "
						  "does not declare", pn);
					fail(a, off, msg);
					return 1;
				}
				v[k] = 0;
			} else {
				r = integer(a, off, eend, &v[k]);
			}
			if (r < 0)
				return -1;
			off = (uint32_t)r;
		}
		if ((v[0] & 0xffff) != 0xffff || (v[0] >> 16) > 31 || v[1] > 3 ||
		    (!link && v[2])) {
			ksnprintf(msg, sizeof(msg), "_PRT entry {0x%llx, %llu, "
				  "0x%llx, %llu}: %s", (unsigned long long)v[0],
				  (unsigned long long)v[1], (unsigned long long)v[2],
				  (unsigned long long)v[3],
				  v[1] > 3 ? "pin is not 0-3" : v[2] ?
				  "source is neither 0 nor a name" :
				  "address is not 0xSSSSFFFF with slot SSSS < 32");
			return fail(a, at, msg);
		}
		e.slot = (uint8_t)(v[0] >> 16);
		e.pin = (uint8_t)(v[1] + 1);
		if (link) {
			const char *why = "";
			char pn[40];
			int lr = link->kind == OBJ_DEVICE ?
				 link_gsi(a, link, v[3], &e, &why) : 1;

			if (lr < 0)
				return -1;
			if (lr) {
				path_str(&link->path, pn, sizeof(pn));
				ksnprintf(msg, sizeof(msg), "link %s %s", pn,
					  link->kind == OBJ_DEVICE ? why :
					  "is not a Device");
				fail(a, at, msg);
				return 1;
			}
		} else if (v[3] > 0xffffffffULL) {
			return fail(a, at, "_PRT entry's GSI does not fit 32 bits");
		} else {
			e.gsi = (uint32_t)v[3];
		}
		if (out->nr < ACPI_PRT_MAX)
			out->entries[out->nr++] = e;
		else
			out->dropped++;
		off = eend;
	}
	return 0;
}

/* Try one candidate package; the table name for the result. */
static int try_candidate(struct aml *a, const struct aml_obj *bridge,
			 uint32_t pkg, uint32_t limit, const char *name,
			 struct acpi_prt *out)
{
	int r = read_prt(a, &bridge->path, pkg, limit, out);

	if (r == 0)
		memcpy(out->table, name, 5);
	return r;
}

/*
 * Method(_PRT): every Return(Package) and Return(NAME) naming a package,
 * in order, until one resolves. ReturnOp bytes are looked for in the
 * body (which is not parsed); a stray 0xa4 that is not followed by a
 * package or a known package name is no candidate.
 */
static int prt_method(struct aml *a, const struct aml_obj *bridge,
		      const struct aml_obj *m, struct acpi_prt *out)
{
	unsigned int tried = 0;
	int r;

	for (uint32_t off = m->start; off + 1 < m->end; off++) {
		struct aml_name n;
		const struct aml_obj *o;
		char name[5];

		if (a->p[off] != RETURN_OP)
			continue;
		if (a->p[off + 1] == PACKAGE_OP) {
			r = try_candidate(a, bridge, off + 1, m->end, "_PRT", out);
		} else if (starts_name(a->p[off + 1]) &&
			   name_string(a, off + 1, m->end, &n) > 0 && n.nsegs &&
			   (o = lookup(a, &bridge->path, &n)) &&
			   o->kind == OBJ_NAME && a->p[o->start] == PACKAGE_OP) {
			for (int i = 0; i < 4; i++)
				name[i] = (char)(n.seg[n.nsegs - 1] >> (8 * i));
			name[4] = '\0';
			r = try_candidate(a, bridge, o->start, o->end, name, out);
		} else {
			continue;
		}
		if (r <= 0)
			return r;
		tried++;		/* err holds this candidate's reason */
	}
	if (!tried)
		fail(a, m->start, "Method(_PRT) returns no package this reader "
		     "can find");
	return 1;
}

int acpi_prt_parse(const void *dsdt, size_t len, struct acpi_prt *out,
		   char *err, size_t errlen)
{
	struct aml *a = &aml_state;
	struct aml_path root = { 0 };
	const struct aml_obj *bridge = NULL, *prt = NULL;
	int r;

	memset(out, 0, sizeof(*out));
	memset(a, 0, sizeof(*a));
	a->p = dsdt;
	a->err = err;
	a->errlen = errlen;
	err[0] = '\0';
	if (len < AML_HDR_LEN || len > 0xffffffffu) {
		ksnprintf(err, errlen, "acpi: AML table of %zu bytes is shorter "
			  "than its 36-byte header", len);
		return -1;
	}
	a->len = (uint32_t)len;
	for (int i = 0; i < 4; i++)
		a->sig[i] = name_char(a->p[i]) ? (char)a->p[i] : '?';
	if (term_list(a, &root, AML_HDR_LEN, a->len, 0))
		return -1;
	out->scopes_cut = a->scopes_cut;
	out->first_cut = a->first_cut;
	for (unsigned int i = 0; i < a->nr_objs && !prt; i++) {
		if (a->objs[i].kind != OBJ_DEVICE || !is_host_bridge(a, &a->objs[i]))
			continue;
		bridge = &a->objs[i];
		prt = child(a, bridge, SEG_PRT);
	}
	if (!prt) {
		char cut[64] = "";

		if (a->scopes_cut)
			ksnprintf(cut, sizeof(cut), "; %u scope%s not read to "
				  "the end, the first at offset 0x%x",
				  a->scopes_cut, a->scopes_cut == 1 ? "" : "s",
				  a->first_cut);
		ksnprintf(err, errlen, "acpi: %s: no PCI host bridge (PNP0A03/"
			  "PNP0A08) with a _PRT%s%s", a->sig,
			  a->objs_dropped ? " (namespace too large to record)" : "",
			  cut);
		return -1;
	}
	path_str(&bridge->path, out->bridge, sizeof(out->bridge));
	if (prt->kind == OBJ_NAME)
		r = try_candidate(a, bridge, prt->start, prt->end, "_PRT", out);
	else
		r = prt_method(a, bridge, prt, out);
	if (r) {
		out->nr = 0;
		return -1;
	}
	err[0] = '\0';
	return 0;
}

const struct acpi_prt_entry *acpi_prt_find(const struct acpi_prt *prt,
					   unsigned int slot, unsigned int pin)
{
	for (unsigned int i = 0; i < prt->nr; i++)
		if (prt->entries[i].slot == slot && prt->entries[i].pin == pin)
			return &prt->entries[i];
	return NULL;
}

/* ---------------------------------------------------------------- GSI modes */

static struct {
	uint32_t gsi;
	bool level, active_low;
} gsi_modes[64];
static unsigned int nr_gsi_modes;

void acpi_gsi_note(uint32_t gsi, bool level, bool active_low)
{
	unsigned int i;

	for (i = 0; i < nr_gsi_modes; i++)
		if (gsi_modes[i].gsi == gsi)
			break;
	if (i == ARRAY_SIZE(gsi_modes))
		return;
	if (i == nr_gsi_modes)
		nr_gsi_modes++;
	gsi_modes[i].gsi = gsi;
	gsi_modes[i].level = level;
	gsi_modes[i].active_low = active_low;
}

int acpi_gsi_mode(uint32_t gsi, bool *level, bool *active_low)
{
	for (unsigned int i = 0; i < nr_gsi_modes; i++) {
		if (gsi_modes[i].gsi == gsi) {
			*level = gsi_modes[i].level;
			*active_low = gsi_modes[i].active_low;
			return 0;
		}
	}
	return -1;
}
