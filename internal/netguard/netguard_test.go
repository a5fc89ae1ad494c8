package netguard

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
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
