package netguard

import (
	"context"
	"fmt"
	"net/netip"
	"slices"
	"strings"
)

// AllowList is a parsed set of exceptions to the guard: CIDRs, addresses and
// host names. The zero value allows nothing.
type AllowList struct {
	prefixes []netip.Prefix
	hosts    map[string]bool
	key      string // canonical form: equal keys allow exactly the same
}

// EntryError reports an allow-list entry that is neither a CIDR, an address
// nor a host name.
type EntryError struct {
	Index  int    // position in the list, from 0
	Entry  string // the entry as given
	Reason string // e.g. "is not a valid CIDR such as 10.1.0.0/16"
}

func (e *EntryError) Error() string {
	return fmt.Sprintf("netguard: allow entry %d (%q) %s", e.Index, e.Entry, e.Reason)
}

// ParseAllow parses allow-list entries: CIDRs ("10.1.0.0/16"), addresses
// ("127.0.0.1", "::1") or host names ("erp.internal"). Blank entries are
// skipped; an entry that is none of these is an *EntryError naming it and
// its index.
func ParseAllow(entries []string) (AllowList, error) {
	var a AllowList
	for i, raw := range entries {
		e := strings.TrimSpace(raw)
		if e == "" {
			continue
		}
		fail := func(reason string) (AllowList, error) {
			return AllowList{}, &EntryError{Index: i, Entry: raw, Reason: reason}
		}
		switch {
		case strings.Contains(e, "://"):
			return fail("is a URL; give only its host name or address")
		case strings.Contains(e, "/"):
			p, err := netip.ParsePrefix(e)
			if err != nil {
				return fail("is not a valid CIDR such as 10.1.0.0/16")
			}
			a.prefixes = append(a.prefixes, unmapPrefix(p.Masked()))
		default:
			if ip, err := netip.ParseAddr(strings.TrimSuffix(strings.TrimPrefix(e, "["), "]")); err == nil {
				if ip.Zone() != "" {
					return fail("has an IPv6 zone; give the address without it")
				}
				ip = ip.Unmap()
				a.prefixes = append(a.prefixes, netip.PrefixFrom(ip, ip.BitLen()))
				continue
			}
			if reason := hostNameProblem(e); reason != "" {
				return fail(reason)
			}
			if a.hosts == nil {
				a.hosts = map[string]bool{}
			}
			a.hosts[canonicalHost(e)] = true
		}
	}
	a.key = a.canonical()
	return a, nil
}

// unmapPrefix turns an IPv4-mapped IPv6 prefix into its IPv4 prefix: the
// guard checks unmapped addresses.
func unmapPrefix(p netip.Prefix) netip.Prefix {
	if p.Addr().Is4In6() && p.Bits() >= 96 {
		return netip.PrefixFrom(p.Addr().Unmap(), p.Bits()-96)
	}
	return p
}

// hostNameProblem says why e is not a host name, or "" when it is one.
func hostNameProblem(e string) string {
	switch {
	case strings.Contains(e, "*"):
		return "is a wildcard; list each host name"
	case strings.ContainsAny(e, "@?#"):
		return "is neither a CIDR, an address nor a host name"
	case strings.Contains(e, ":"):
		return "has a port or is not a valid address; give a host name, an address or a CIDR without a port"
	}
	name := strings.TrimSuffix(e, ".")
	if name == "" || len(name) > 253 {
		return "is neither a CIDR, an address nor a host name"
	}
	for _, label := range strings.Split(name, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return "is not a valid host name"
		}
		for _, r := range label {
			if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
				return "is not a valid host name"
			}
		}
	}
	return ""
}

func canonicalHost(h string) string { return strings.ToLower(strings.TrimSuffix(h, ".")) }

// canonical renders the list in a fixed order, without duplicates.
func (a AllowList) canonical() string {
	var parts []string
	for _, p := range a.prefixes {
		parts = append(parts, p.String())
	}
	for h := range a.hosts {
		parts = append(parts, h)
	}
	slices.Sort(parts)
	return strings.Join(slices.Compact(parts), ",")
}

// Empty reports whether the list allows nothing.
func (a AllowList) Empty() bool { return a.key == "" }

// String is the list's canonical form: CIDRs and host names, sorted.
func (a AllowList) String() string { return a.key }

// union returns the exceptions of both lists.
func (a AllowList) union(b AllowList) AllowList {
	if a.Empty() {
		return b
	}
	if b.Empty() {
		return a
	}
	u := AllowList{prefixes: slices.Concat(a.prefixes, b.prefixes), hosts: map[string]bool{}}
	for h := range a.hosts {
		u.hosts[h] = true
	}
	for h := range b.hosts {
		u.hosts[h] = true
	}
	u.key = u.canonical()
	return u
}

func (a AllowList) host(h string) bool { return a.hosts[canonicalHost(h)] }

func (a AllowList) addr(ip netip.Addr) bool {
	for _, p := range a.prefixes {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

type allowKey struct{}

// WithAllow returns a context whose dials also accept entries (CIDRs,
// addresses or host names), in addition to any the context allows already.
func WithAllow(ctx context.Context, entries []string) (context.Context, error) {
	a, err := ParseAllow(entries)
	if err != nil {
		return ctx, err
	}
	return WithAllowList(ctx, a), nil
}

// WithAllowList is WithAllow for a parsed list.
func WithAllowList(ctx context.Context, a AllowList) context.Context {
	if a.Empty() {
		return ctx
	}
	return context.WithValue(ctx, allowKey{}, allowFrom(ctx).union(a))
}

// allowFrom returns the exceptions a context adds.
func allowFrom(ctx context.Context) AllowList {
	a, _ := ctx.Value(allowKey{}).(AllowList)
	return a
}
