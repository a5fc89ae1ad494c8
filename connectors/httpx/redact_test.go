package httpx

import (
	"net/http"
	"reflect"
	"strings"
	"testing"
)

func TestRedactCardNumbers(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"4111111111111111", "************1111"},
		{"105.94999999999999", "105.94999999999999"},                   // a float's long fraction is no card
		{"4111111111111111.25", "4111111111111111.25"},                 // nor is the integer part of a decimal
		{"paid with 4111111111111111.", "paid with ************1111."}, // a full stop ends a sentence
		{"1.2345 4111111111111111", "1.2345 ************1111"},         // a card after a decimal
		{"4111111111111111 1.5", "************1111 1.5"},
		{"card 4111 1111 1111 1111 ok", "card **** **** **** 1111 ok"},
		{"5500-0000-0000-0004", "****-****-****-0004"},
		{"amex 378282246310005.", "amex ***********0005."},
		{`{"pan":"6011111111111117"}`, `{"pan":"************1117"}`},
		{"4111111111111112", "4111111111111112"},                                     // Luhn-invalid
		{"order 100455 total 77.76", "order 100455 total 77.76"},                     // short numbers
		{"id 12345678901234567890123", "id 12345678901234567890123"},                 // too long
		{"qty 2 4111111111111111", "qty 2 ************1111"},                         // leading group not part of it
		{"date 2025-03-04 phone 555-123-4567", "date 2025-03-04 phone 555-123-4567"}, // not cards
		{"4111 1111 1111 1111 and 5500 0000 0000 0004", "**** **** **** 1111 and **** **** **** 0004"},
		{"amex 3782 822463 10005", "amex **** ****** *0005"},
		{"[correlation id 00000003-5a4d-4000-8000-000000000003]", "[correlation id 00000003-5a4d-4000-8000-000000000003]"}, // UUID groups
		{"", ""},
	}
	for _, tt := range tests {
		if got := RedactCardNumbers(tt.in); got != tt.want {
			t.Errorf("RedactCardNumbers(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestRedactHeaders(t *testing.T) {
	t.Parallel()
	h := http.Header{
		"Authorization": {"Basic dXNlcjpwYXNz"},
		"X-Api-Key":     {"k"},
		"Password":      {"p"},
		"Cookie":        {"session=1"},
		"Callsettings":  {`{"Company":"EPIC06"}`},
		"X-Note":        {"card 4111111111111111"},
	}
	got := RedactHeaders(h)
	for _, k := range []string{"Authorization", "X-Api-Key", "Password", "Cookie"} {
		if got.Get(k) != Redacted {
			t.Errorf("header %s = %q, want redacted", k, got.Get(k))
		}
	}
	if got.Get("Callsettings") != `{"Company":"EPIC06"}` {
		t.Errorf("CallSettings changed: %q", got.Get("Callsettings"))
	}
	if got.Get("X-Note") != "card ************1111" {
		t.Errorf("X-Note = %q", got.Get("X-Note"))
	}
	if h.Get("Authorization") != "Basic dXNlcjpwYXNz" {
		t.Error("RedactHeaders modified its input")
	}
}

func TestRedactURLAndText(t *testing.T) {
	t.Parallel()
	u := RedactURL("https://user:pw@srv/api?api-key=K1&$top=5&access_token=T1")
	for _, s := range []string{"K1", "T1", "pw"} {
		if strings.Contains(u, s) {
			t.Errorf("RedactURL kept %q: %s", s, u)
		}
	}
	if !strings.Contains(u, "%24top=5") && !strings.Contains(u, "$top=5") {
		t.Errorf("RedactURL dropped a plain parameter: %s", u)
	}
	text := RedactText(`{"client_secret": "CS", "name":"Jo"} grant_type=password&password=PW&username=bob Authorization: Bearer abcdefghijkl`)
	for _, s := range []string{`"CS"`, "PW", "abcdefghijkl"} {
		if strings.Contains(text, s) {
			t.Errorf("RedactText kept %q: %s", s, text)
		}
	}
	for _, s := range []string{`"name":"Jo"`, "username=bob", "grant_type=password"} {
		if !strings.Contains(text, s) {
			t.Errorf("RedactText lost %q: %s", s, text)
		}
	}
}

func TestRedactValue(t *testing.T) {
	t.Parallel()
	in := map[string]any{
		"api_key": "k",
		"lines":   []any{map[string]any{"note": "4111-1111-1111-1111", "qty": 2.0}},
		"nested":  map[string]any{"RefreshToken": "r"},
	}
	want := map[string]any{
		"api_key": Redacted,
		"lines":   []any{map[string]any{"note": "****-****-****-1111", "qty": 2.0}},
		"nested":  map[string]any{"RefreshToken": Redacted},
	}
	if got := RedactValue(in); !reflect.DeepEqual(got, want) {
		t.Errorf("RedactValue = %#v, want %#v", got, want)
	}
	if in["api_key"] != "k" {
		t.Error("RedactValue modified its input")
	}
}

func FuzzRedactCardNumbers(f *testing.F) {
	f.Add("4111 1111 1111 1111")
	f.Add("1-2-3-4-5-6-7-8-9-0-1-2-3-4")
	f.Add(`{"password": "x\"y", "n": "4111-1111-1111-1111"} token=abc Bearer abcdefghij`)
	f.Fuzz(func(t *testing.T, s string) {
		got := RedactCardNumbers(s)
		if len(got) != len(s) {
			t.Fatalf("length changed: %q -> %q", s, got)
		}
		once := RedactText(s)
		if twice := RedactText(once); twice != once {
			t.Fatalf("RedactText is not stable: %q -> %q -> %q", s, once, twice)
		}
	})
}

func BenchmarkRedactText(b *testing.B) {
	body := strings.Repeat(`{"id":100455,"type":"Ticket","customer_name":"Jane Roe","total":77.76,"note":"paid with 4111 1111 1111 1111","access_token":"abc"},`, 20)
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		RedactText(body)
	}
}

func BenchmarkRedactCardNumbersClean(b *testing.B) {
	body := strings.Repeat(`{"id":100455,"public_id":"100455","qty":2,"completed_at":"2025-03-01T18:22:05+00:00"},`, 20)
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		RedactCardNumbers(body)
	}
}
