// Package netguard keeps outbound requests away from the platform's own
// network: loopback, private, link-local, carrier-grade NAT, cloud metadata
// and other non-public addresses. The check runs on the resolved address
// right before dialling it, so DNS answers cannot change between check and
// use, and every redirect hop is dialled through the same check.
package netguard

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"time"
)

// BlockedError reports an address the guard refused to dial.
type BlockedError struct {
	Host   string     // the host name or address asked for
	Addr   netip.Addr // the refused address
	Reason string     // why, e.g. "loopback"
}

func (e *BlockedError) Error() string {
	what := fmt.Sprintf("%s (a %s address)", e.Addr, e.Reason)
	if e.Host != "" && e.Host != e.Addr.String() {
		what = fmt.Sprintf("%s (%s resolves to %s, a %s address)", e.Host, e.Host, e.Addr, e.Reason)
	}
	return "netguard: refused to connect to " + what + ": blocked by outbound policy " +
		"(the platform admin can allow it in the tenant's outbound_allow)"
}

// Retryable is false: the same request is refused again until the allow-list
// changes.
func (e *BlockedError) Retryable() bool { return false }

// Resolver looks up a host's addresses; *net.Resolver is one.
type Resolver interface {
	LookupNetIP(ctx context.Context, network, host string) ([]netip.Addr, error)
}

// Options configure a Guard.
type Options struct {
	// Allow lists exceptions for every request: CIDRs ("10.1.0.0/16"),
	// addresses ("127.0.0.1") or host names ("erp.internal").
	Allow []string
	// TenantAllow returns a tenant's own exceptions; Transport adds them to
	// the requests of a context marked WithTenant. Nil: no tenant lists.
	TenantAllow func(ctx context.Context, tenantID string) (AllowList, error)
	// Resolver resolves host names; nil uses net.DefaultResolver.
	Resolver Resolver
	// DialTimeout bounds each connection attempt; 0 means 10 seconds.
	DialTimeout time.Duration
}

// Guard dials only addresses that pass the check.
type Guard struct {
	allow       AllowList
	tenantAllow func(ctx context.Context, tenantID string) (AllowList, error)
	resolver    Resolver
	dialer      *net.Dialer
}

// New returns a guard; an Allow entry that is neither a CIDR, an address nor
// a host name is an *EntryError naming it.
func New(o Options) (*Guard, error) {
	allow, err := ParseAllow(o.Allow)
	if err != nil {
		return nil, err
	}
	if o.Resolver == nil {
		o.Resolver = net.DefaultResolver
	}
	if o.DialTimeout == 0 {
		o.DialTimeout = 10 * time.Second
	}
	return &Guard{allow: allow, tenantAllow: o.TenantAllow, resolver: o.Resolver,
		dialer: &net.Dialer{Timeout: o.DialTimeout, KeepAlive: 30 * time.Second}}, nil
}

// DialContext resolves addr, refuses it when any of its addresses is blocked
// and allowed neither by the guard's list nor by the context's (WithAllow),
// and dials the checked addresses themselves.
func (g *Guard) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("netguard: %w", err)
	}
	extra := allowFrom(ctx)
	hostAllowed := g.allow.host(host) || extra.host(host)
	var ips []netip.Addr
	if ip, err := netip.ParseAddr(strings.Trim(host, "[]")); err == nil {
		ips = []netip.Addr{ip}
	} else if ips, err = g.resolver.LookupNetIP(ctx, "ip", host); err != nil {
		return nil, fmt.Errorf("netguard: resolve %s: %w", host, err)
	}
	if len(ips) == 0 {
		return nil, fmt.Errorf("netguard: %s has no addresses", host)
	}
	for _, ip := range ips {
		ip = ip.Unmap()
		if reason := Blocked(ip); reason != "" && !hostAllowed && !g.allow.addr(ip) && !extra.addr(ip) {
			return nil, &BlockedError{Host: host, Addr: ip, Reason: reason}
		}
	}
	var errs []error
	for _, ip := range ips {
		conn, err := g.dialer.DialContext(ctx, network, net.JoinHostPort(ip.Unmap().String(), port))
		if err == nil {
			return conn, nil
		}
		errs = append(errs, err)
	}
	return nil, errors.Join(errs...)
}

// Client returns an HTTP client on Transport with a timeout; each redirect
// hop is dialled through the guard again.
func (g *Guard) Client(timeout time.Duration) *http.Client {
	return &http.Client{Transport: g.Transport(), Timeout: timeout}
}

// blockedRanges are the non-public ranges, each with the reason given.
var blockedRanges = []struct {
	prefix netip.Prefix
	reason string
}{
	{netip.MustParsePrefix("169.254.169.254/32"), "cloud metadata"},
	{netip.MustParsePrefix("fd00:ec2::254/128"), "cloud metadata"},
	{netip.MustParsePrefix("0.0.0.0/8"), "unspecified"},
	{netip.MustParsePrefix("::/128"), "unspecified"},
	{netip.MustParsePrefix("127.0.0.0/8"), "loopback"},
	{netip.MustParsePrefix("::1/128"), "loopback"},
	{netip.MustParsePrefix("10.0.0.0/8"), "private"},
	{netip.MustParsePrefix("172.16.0.0/12"), "private"},
	{netip.MustParsePrefix("192.168.0.0/16"), "private"},
	{netip.MustParsePrefix("fc00::/7"), "private (unique local)"},
	{netip.MustParsePrefix("100.64.0.0/10"), "carrier-grade NAT"},
	{netip.MustParsePrefix("169.254.0.0/16"), "link-local"},
	{netip.MustParsePrefix("fe80::/10"), "link-local"},
	{netip.MustParsePrefix("192.0.0.0/24"), "reserved"},
	{netip.MustParsePrefix("198.18.0.0/15"), "reserved"},
	{netip.MustParsePrefix("240.0.0.0/4"), "reserved"},
	{netip.MustParsePrefix("224.0.0.0/4"), "multicast"},
	{netip.MustParsePrefix("ff00::/8"), "multicast"},
	{netip.MustParsePrefix("64:ff9b::/96"), "NAT64"},
	{netip.MustParsePrefix("2002::/16"), "6to4"},
}

// Blocked returns why ip may not be dialled, or "" for a public address.
func Blocked(ip netip.Addr) string {
	ip = ip.Unmap()
	for _, r := range blockedRanges {
		if r.prefix.Contains(ip) {
			return r.reason
		}
	}
	return ""
}
