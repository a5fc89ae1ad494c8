package epicor

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestAuthFailures(t *testing.T) {
	t.Parallel()
	h := newHarness(t, Options{})
	path := odataBase + "Erp.BO.PartSvc/Parts?$top=1"
	tests := []struct {
		name string
		a    auth
		want string
	}{
		{"no api key", auth{user: DefaultUsername, pass: DefaultPassword}, "API Key is required"},
		{"wrong api key", auth{apiKey: "nope", user: DefaultUsername, pass: DefaultPassword}, "API Key is invalid"},
		{"no user", auth{apiKey: DefaultAPIKey}, "Authorization is required"},
		{"wrong password", auth{apiKey: DefaultAPIKey, user: DefaultUsername, pass: "x"}, "Incorrect username or password"},
		{"unknown token", auth{apiKey: DefaultAPIKey, bearer: "abc"}, "invalid or has expired"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := h.doAuth(t, tt.a, "GET", path, nil).want(t, http.StatusUnauthorized)
			if r.body["ErrorType"] != typeAuth || r.body["HttpStatus"] != 401.0 || !strings.Contains(r.body["ErrorMessage"].(string), tt.want) {
				t.Fatalf("body %s, want UnauthorizedAccessException mentioning %q", r.raw, tt.want)
			}
		})
	}
	h.doAuth(t, auth{user: DefaultUsername, pass: DefaultPassword}, "GET", path+"&api-key="+DefaultAPIKey, nil).want(t, 200)
}

func TestTokenResource(t *testing.T) {
	t.Parallel()
	var now atomic.Pointer[time.Time]
	start := fixedClock
	now.Store(&start)
	h := newHarness(t, Options{Clock: func() time.Time { return *now.Load() }})
	getToken := func(req *http.Request) string {
		t.Helper()
		req.Header.Set("Accept", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("token request: %v %v", resp, err)
		}
		defer resp.Body.Close()
		var out struct {
			AccessToken string
			ExpiresIn   int
			TokenType   string
		}
		json.NewDecoder(resp.Body).Decode(&out)
		if out.AccessToken == "" || out.ExpiresIn != 3600 || out.TokenType != "Bearer" {
			t.Fatalf("token answer %+v", out)
		}
		return out.AccessToken
	}
	hdr, _ := http.NewRequest("POST", h.ts.URL+"/kinetic/TokenResource.svc/", nil)
	hdr.Header.Set("username", DefaultUsername)
	hdr.Header.Set("password", DefaultPassword)
	form, _ := http.NewRequest("POST", h.ts.URL+"/Kinetic/TokenResource.svc",
		strings.NewReader(url.Values{"grant_type": {"password"}, "username": {DefaultUsername}, "password": {DefaultPassword}}.Encode()))
	form.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for _, tok := range []string{getToken(hdr), getToken(form)} {
		h.doAuth(t, auth{apiKey: DefaultAPIKey, bearer: tok}, "GET", odataBase+"Erp.BO.PartSvc/Parts?$top=1", nil).want(t, 200)
	}
	tok := getToken(hdr)
	later := start.Add(2 * time.Hour)
	now.Store(&later)
	h.doAuth(t, auth{apiKey: DefaultAPIKey, bearer: tok}, "GET", odataBase+"Erp.BO.PartSvc/Parts?$top=1", nil).want(t, http.StatusUnauthorized)
	bad, _ := http.NewRequest("POST", h.ts.URL+"/kinetic/TokenResource.svc/", nil)
	bad.Header.Set("username", DefaultUsername)
	bad.Header.Set("password", "wrong")
	resp, err := http.DefaultClient.Do(bad)
	if err != nil || resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("bad credentials: %v %v", resp, err)
	}
	resp.Body.Close()
}

func TestV1Path(t *testing.T) {
	t.Parallel()
	h := newHarness(t, Options{})
	r := h.doAuth(t, auth{user: DefaultUsername, pass: DefaultPassword}, "GET",
		"/kinetic/api/v1/Erp.BO.CustomerSvc/Customers?$top=1&$inlinecount=allpages", nil).want(t, 200)
	if !strings.HasSuffix(r.body["odata.metadata"].(string), "/kinetic/api/v1/Erp.BO.CustomerSvc/$metadata#Customers") || r.body["odata.count"] == nil {
		t.Fatalf("v1 envelope: %s", r.raw)
	}
	h.doAuth(t, auth{user: DefaultUsername, pass: DefaultPassword}, "GET", "/kinetic/api/v1/Erp.BO.CustomerSvc/Customers(EPIC06,1)", nil).want(t, 200)
}
