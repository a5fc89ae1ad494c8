package pan

import (
	"errors"
	"log/slog"
	"strings"
	"testing"
)

func TestMaskJSON(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in, want string
	}{
		{"string card", `{"card":"4111111111111111"}`, `{"card":"************1111"}`},
		{"grouped card", `{"card":"4111 1111 1111 1111"}`, `{"card":"**** **** **** 1111"}`},
		{"bare number card", `{"card":4111111111111111}`, `{"card":"************1111"}`},
		{"nested in a list", `{"payments":[{"pan":"5500005555555559","cvv":"123"}]}`, `{"payments":[{"cvv":"[REDACTED]","pan":"************5559"}]}`},
		{"numeric cvc", `{"CVC2":987}`, `{"CVC2":"[REDACTED]"}`},
		{"cid key", `{"cid":"1234"}`, `{"cid":"[REDACTED]"}`},
		{"not Luhn-valid", `{"order":"4111111111111112"}`, `{"order":"4111111111111112"}`},
		{"short digits", `{"total":12345}`, `{"total":12345}`},
		{"text", `card 4111-1111-1111-1111 declined`, `card ****-****-****-1111 declined`},
		{"float with a long fraction", `{"total":105.94999999999999,"card":"4111111111111111"}`, `{"card":"************1111","total":105.94999999999999}`},
		{"decimal in a string", `{"total":"105.94999999999999"}`, `{"total":"105.94999999999999"}`},
		{"digits written as escapes", `{"card":"\u0034111111111111111"}`, `{"card":"************1111"}`},
		{"grouped by an escaped space", `{"card":"4111\u00201111 1111 1111"}`, `{"card":"**** **** **** 1111"}`},
	}
	for _, tc := range tests {
		if got := string(MaskJSON([]byte(tc.in))); got != tc.want {
			t.Errorf("%s: MaskJSON(%s) = %s, want %s", tc.name, tc.in, got, tc.want)
		}
	}
}

func TestMaskJSONLeavesCleanDocumentsAlone(t *testing.T) {
	t.Parallel()
	for _, doc := range []string{`{"b":1,  "a":"x"}`, `{"total":105.94999999999999}`,
		`{"uuid":"00000000-0000-4000-8000-00000000007e","id":10000000000000000001}`} { // longer than any card
		in := []byte(doc)
		if got := MaskJSON(in); &got[0] != &in[0] {
			t.Errorf("%s, without card data, was copied", doc)
		}
	}
}

func BenchmarkMaskJSONClean(b *testing.B) {
	doc := []byte(`{"order_number":"10234","lines":[` + strings.Repeat(`{"sku":"ABC-1","qty":2,"price":19.99},`, 50) + `{}]}`)
	b.SetBytes(int64(len(doc)))
	for b.Loop() {
		MaskJSON(doc)
	}
}

func TestLogHandlerMasks(t *testing.T) {
	t.Parallel()
	var buf strings.Builder
	log := slog.New(LogHandler(slog.NewTextHandler(&buf, nil))).With("card", "4111111111111111")
	log.Info("charged 5500005555555559", slog.Any("err", errors.New("declined 4012888888881881")),
		slog.Group("req", slog.String("pan", "378282246310005")))
	out := buf.String()
	for _, leaked := range []string{"4111111111111111", "5500005555555559", "4012888888881881", "378282246310005"} {
		if strings.Contains(out, leaked) {
			t.Errorf("log line holds %s: %s", leaked, out)
		}
	}
	if !strings.Contains(out, "************1111") {
		t.Errorf("masked number missing: %s", out)
	}
}
