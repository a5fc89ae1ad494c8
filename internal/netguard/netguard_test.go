package netguard

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// staticResolver answers from a fixed table, like a DNS server an attacker controls.
type staticResolver map[string][]netip.Addr

func (r staticResolver) LookupNetIP(_ context.Context, _, host string) ([]netip.Addr, error) {
	if ips, ok := r[host]; ok {
		return ips, nil
	}
	return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
}

func newGuard(t testing.TB, allow ...string) *Guard {
	t.Helper()
	g, err := New(Options{Allow: allow, DialTimeout: 2 * time.Second, Resolver: staticResolver{
		"loopback.test": {netip.MustParseAddr("127.0.0.1")},
		"mixed.test":    {netip.MustParseAddr("93.184.216.34"), netip.MustParseAddr("10.0.0.5")},
		"public.test":   {netip.MustParseAddr("127.0.0.1")}, // allowed by name below
	}})
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func TestRefusesNonPublicAddresses(t *testing.T) {
	t.Parallel()
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("secret")) }))
	defer target.Close()
	port := target.URL[strings.LastIndex(target.URL, ":")+1:]
	// A public server (allowed by name) that redirects to loopback.
	redirector := httptest.NewServer(http.RedirectHandler(target.URL+"/admin", http.StatusFound))
	defer redirector.Close()
	redirectURL, _ := url.Parse(redirector.URL)
	redirectURL.Host = "public.test:" + redirectURL.Port()

	client := newGuard(t, "public.test").Client(5 * time.Second)
	tests := []struct {
		name, url, wantAddr, wantReason string
	}{
		{"IPv4 loopback", target.URL, "127.0.0.1", "loopback"},
		{"IPv6 loopback", "http://[::1]:" + port, "::1", "loopback"},
		{"IPv4-mapped loopback", "http://[::ffff:127.0.0.1]:" + port, "127.0.0.1", "loopback"},
		{"cloud metadata", "http://169.254.169.254/latest/meta-data/", "169.254.169.254", "cloud metadata"},
		{"IPv6 cloud metadata", "http://[fd00:ec2::254]/", "fd00:ec2::254", "cloud metadata"},
		{"private 10/8", "http://10.1.2.3/", "10.1.2.3", "private"},
		{"private 192.168/16", "http://192.168.1.1/", "192.168.1.1", "private"},
		{"carrier-grade NAT", "http://100.64.0.1/", "100.64.0.1", "carrier-grade NAT"},
		{"unspecified", "http://0.0.0.0:" + port, "0.0.0.0", "unspecified"},
		{"name resolving to loopback", "http://loopback.test:" + port, "127.0.0.1", "loopback"},
		{"name with one private answer", "http://mixed.test/", "10.0.0.5", "private"},
		{"redirect to loopback", redirectURL.String(), "127.0.0.1", "loopback"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := client.Get(tc.url)
			if err == nil {
				res.Body.Close()
				t.Fatalf("GET %s succeeded with %d; want it refused", tc.url, res.StatusCode)
			}
			var blocked *BlockedError
			if !errors.As(err, &blocked) {
				t.Fatalf("GET %s: %v; want a BlockedError", tc.url, err)
			}
			if blocked.Addr.String() != tc.wantAddr || blocked.Reason != tc.wantReason {
				t.Errorf("refused %s (%s), want %s (%s)", blocked.Addr, blocked.Reason, tc.wantAddr, tc.wantReason)
			}
			if !strings.Contains(err.Error(), tc.wantAddr) {
				t.Errorf("the error does not name the address: %v", err)
			}
		})
	}
}

func TestAllowListAdmits(t *testing.T) {
	t.Parallel()
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok")) }))
	defer target.Close()
	get := func(c *http.Client, ctx context.Context) error {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, target.URL, nil)
		res, err := c.Do(req)
		if err == nil {
			res.Body.Close()
		}
		return err
	}
	if err := get(newGuard(t, "127.0.0.0/8").Client(5*time.Second), context.Background()); err != nil {
		t.Errorf("CIDR allow-list: %v", err)
	}
	if err := get(newGuard(t, "127.0.0.1").Client(5*time.Second), context.Background()); err != nil {
		t.Errorf("address allow-list: %v", err)
	}
	ctx, err := WithAllow(context.Background(), []string{"127.0.0.1/32"})
	if err != nil {
		t.Fatal(err)
	}
	guarded := newGuard(t).Client(5 * time.Second)
	if err := get(guarded, ctx); err != nil {
		t.Errorf("per-run allow-list: %v", err)
	}
	if err := get(guarded, context.Background()); err == nil {
		t.Error("the per-run allow-list leaked into other requests")
	}
}

func TestBadAllowEntries(t *testing.T) {
	t.Parallel()
	for _, e := range []string{"10.0.0.0/33", "http://x", "a b"} {
		if _, err := New(Options{Allow: []string{e}}); err == nil || !strings.Contains(err.Error(), e) {
			t.Errorf("allow entry %q: %v, want an error naming it", e, err)
		}
	}
}

func TestPublicAddressesPass(t *testing.T) {
	t.Parallel()
	for _, ip := range []string{"93.184.216.34", "8.8.8.8", "2606:4700::1111", "172.32.0.1"} {
		if r := Blocked(netip.MustParseAddr(ip)); r != "" {
			t.Errorf("%s blocked as %s", ip, r)
		}
	}
}

func TestParseAllowNamesTheBadEntry(t *testing.T) {
	t.Parallel()
	good := []string{"10.0.0.0/8", "10.1.2.3", "::1", "[::1]", "fd00::/8", "erp.internal", "ERP.Internal.", "my_host.corp.example", " 127.0.0.1 ", ""}
	if _, err := ParseAllow(good); err != nil {
		t.Fatalf("valid entries refused: %v", err)
	}
	tests := []struct{ entry, reason string }{
		{"10.0.0.0/33", "not a valid CIDR"},
		{"10.0.0/8", "not a valid CIDR"},
		{"https://erp.internal", "is a URL"},
		{"erp.internal:8443", "port"},
		{"*.internal", "wildcard"},
		{"erp internal", "not a valid host name"},
		{"-erp.internal", "not a valid host name"},
		{"erp..internal", "not a valid host name"},
		{"user@erp", "neither a CIDR, an address nor a host name"},
		{"fe80::1%eth0", "zone"},
		{strings.Repeat("a", 64) + ".internal", "not a valid host name"},
	}
	for _, tc := range tests {
		_, err := ParseAllow([]string{"127.0.0.1", "erp.internal", tc.entry})
		var ee *EntryError
		if !errors.As(err, &ee) {
			t.Errorf("%q: %v, want an *EntryError", tc.entry, err)
			continue
		}
		if ee.Index != 2 || ee.Entry != tc.entry || !strings.Contains(ee.Reason, tc.reason) {
			t.Errorf("%q: got index %d, entry %q, reason %q; want index 2 and a reason with %q", tc.entry, ee.Index, ee.Entry, ee.Reason, tc.reason)
		}
		if !strings.Contains(err.Error(), tc.entry) || !strings.Contains(err.Error(), "entry 2") {
			t.Errorf("the error does not name the entry and its index: %v", err)
		}
	}
}

func TestAllowListCanonicalForm(t *testing.T) {
	t.Parallel()
	a, _ := ParseAllow([]string{"ERP.internal.", "10.0.0.5", "::ffff:10.0.0.0/104", "10.0.0.5/32"})
	b, _ := ParseAllow([]string{"10.0.0.0/8", "erp.internal", "10.0.0.5"})
	if a.String() != b.String() || a.String() != "10.0.0.0/8,10.0.0.5/32,erp.internal" {
		t.Errorf("canonical forms %q and %q, want both 10.0.0.0/8,10.0.0.5/32,erp.internal", a, b)
	}
	if empty, _ := ParseAllow([]string{" ", ""}); !empty.Empty() {
		t.Errorf("blank entries make a non-empty list %q", empty)
	}
}

// tenantGuard is a guard without process-wide exceptions whose tenants'
// lists come from lists.
func tenantGuard(t testing.TB, lists map[string][]string) *Guard {
	t.Helper()
	g, err := New(Options{DialTimeout: 2 * time.Second,
		Resolver: staticResolver{"public.test": {netip.MustParseAddr("127.0.0.1")}},
		TenantAllow: func(_ context.Context, id string) (AllowList, error) {
			if id == "broken" {
				return AllowList{}, errors.New("database unavailable")
			}
			return ParseAllow(lists[id])
		}})
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// getAs sends GET url on behalf of a tenant and reads the whole answer, so a
// keep-alive connection goes back to its pool.
func getAs(c *http.Client, tenant, url string) error {
	req, _ := http.NewRequestWithContext(WithTenant(context.Background(), tenant), http.MethodGet, url, nil)
	res, err := c.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	_, err = io.Copy(io.Discard, res.Body)
	return err
}

// A connection dialled to loopback for a tenant that allows it stays in that
// tenant's pool: another tenant's request to the same address is checked
// again and refused instead of reusing it.
func TestPooledConnectionsStayWithTheirAllowList(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	conns := 0
	target := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("internal")) }))
	target.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			mu.Lock()
			conns++
			mu.Unlock()
		}
	}
	target.Start()
	defer target.Close()
	client := tenantGuard(t, map[string][]string{"a": {"127.0.0.1"}, "c": {"127.0.0.1/32"}}).Client(5 * time.Second)

	for i := range 3 {
		if err := getAs(client, "a", target.URL); err != nil {
			t.Fatalf("tenant a, request %d: %v", i+1, err)
		}
	}
	mu.Lock()
	if conns != 1 {
		t.Errorf("tenant a's requests opened %d connections, want 1 kept alive", conns)
	}
	mu.Unlock()
	err := getAs(client, "b", target.URL)
	var blocked *BlockedError
	if !errors.As(err, &blocked) || !strings.Contains(err.Error(), "blocked by outbound policy") {
		t.Fatalf("tenant b reached the address tenant a may reach: %v", err)
	}
	if err := getAs(client, "", target.URL); !errors.As(err, &blocked) {
		t.Fatalf("a request for no tenant reached it: %v", err)
	}
	// The same list, even written differently, may share the pool: the check
	// would decide the same.
	if err := getAs(client, "c", target.URL); err != nil {
		t.Fatalf("tenant c: %v", err)
	}
	mu.Lock()
	defer mu.Unlock()
	if conns != 1 {
		t.Errorf("%d connections after tenant c, want tenant a's one reused", conns)
	}
}

// Concurrent calls to one host keep their connections alive for the next
// round, rather than the two net/http keeps by default.
func TestConcurrentCallsReuseTheirConnections(t *testing.T) {
	t.Parallel()
	const callers = 20
	var (
		conns   atomic.Int64
		arrived atomic.Int64
		all     atomic.Pointer[chan struct{}] // closed when a round's callers are all in
	)
	target := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Hold every call until the round's last arrives, so each round
		// needs callers connections at once.
		in := all.Load()
		if arrived.Add(1)%callers == 0 {
			close(*in)
		}
		select {
		case <-*in:
		case <-time.After(5 * time.Second):
		}
		w.Write([]byte("ok"))
	}))
	target.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	target.Start()
	defer target.Close()
	client := tenantGuard(t, map[string][]string{"a": {"127.0.0.1"}}).Client(10 * time.Second)
	round := func() {
		in := make(chan struct{})
		all.Store(&in)
		var wg sync.WaitGroup
		for range callers {
			wg.Go(func() {
				if err := getAs(client, "a", target.URL); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
	}
	round()
	if n := conns.Load(); n != callers {
		t.Fatalf("the first round of %d concurrent calls opened %d connections", callers, n)
	}
	round()
	if again := conns.Load() - callers; again > 2 {
		t.Errorf("the second round of %d calls dialled %d new connections; want the first round's kept alive", callers, again)
	}
}

func TestTenantListAppliesToRedirects(t *testing.T) {
	t.Parallel()
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("admin")) }))
	defer target.Close()
	redirector := httptest.NewServer(http.RedirectHandler(target.URL+"/admin", http.StatusFound))
	defer redirector.Close()
	u, _ := url.Parse(redirector.URL)
	u.Host = "public.test:" + u.Port()
	client := tenantGuard(t, map[string][]string{"byname": {"public.test"}, "byaddr": {"127.0.0.1"}}).Client(5 * time.Second)
	// Allowing the host name admits the first hop only: the redirect goes to
	// 127.0.0.1 by address, which the list does not name.
	err := getAs(client, "byname", u.String())
	var blocked *BlockedError
	if !errors.As(err, &blocked) || blocked.Addr.String() != "127.0.0.1" {
		t.Fatalf("redirect to loopback: %v; want it refused", err)
	}
	if err := getAs(client, "byaddr", u.String()); err != nil {
		t.Errorf("a tenant allowing 127.0.0.1 follows the redirect: %v", err)
	}
}

func TestTenantListLookupFailureFailsTheRequest(t *testing.T) {
	t.Parallel()
	err := getAs(tenantGuard(t, nil).Client(5*time.Second), "broken", "http://93.184.216.34/")
	if err == nil || !strings.Contains(err.Error(), "allow-list of tenant broken") || !strings.Contains(err.Error(), "database unavailable") {
		t.Fatalf("got %v, want the lookup error", err)
	}
}

func TestPoolsAreBounded(t *testing.T) {
	t.Parallel()
	tr := newGuard(t).Transport().(*transport)
	for i := range maxPools + 10 {
		tr.pool(strconv.Itoa(i))
	}
	if len(tr.pools) != maxPools {
		t.Fatalf("%d pools, want at most %d", len(tr.pools), maxPools)
	}
	if _, ok := tr.pools["0"]; ok {
		t.Error("the least recently used pool was kept")
	}
}
