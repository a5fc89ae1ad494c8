// Package pan keeps payment card data out of storage: it masks card numbers
// (Luhn-valid runs of 13 to 19 digits, in strings or bare JSON numbers) and
// the values of card verification fields (cvv, cvc, security_code, ...) in
// JSON documents before they are written to run history or the audit log.
package pan

import (
	"bytes"
	"encoding/json"
	"strings"

	"github.com/bridgework/bridgework/connectors/httpx"
)

// verificationWords mark a JSON key as a card verification value.
var verificationWords = []string{"cvv", "cvc", "csc", "securitycode", "security_code", "card_code", "cardcode", "card_verification"}

// suspiciousWords are verificationWords (and the exact key "cid") as bytes, for the pre-check.
var suspiciousWords = func() [][]byte {
	out := [][]byte{[]byte(`"cid"`)}
	for _, w := range verificationWords {
		out = append(out, []byte(w))
	}
	return out
}()

// IsVerificationField reports whether a JSON key holds a card verification value.
func IsVerificationField(key string) bool {
	k := strings.ToLower(key)
	if k == "cid" {
		return true
	}
	for _, w := range verificationWords {
		if strings.Contains(k, w) {
			return true
		}
	}
	return false
}

// MaskJSON returns doc with card numbers masked (all but the last four
// digits become '*'; a masked bare number becomes a string) and verification
// fields replaced. A document without either is returned unchanged; text
// that is not JSON has its card numbers masked as text.
func MaskJSON(doc []byte) []byte {
	if len(doc) == 0 || !suspicious(doc) {
		return doc
	}
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return []byte(httpx.RedactCardNumbers(string(doc)))
	}
	out, err := json.Marshal(mask(v))
	if err != nil {
		return []byte(httpx.RedactCardNumbers(string(doc)))
	}
	return out
}

func mask(v any) any {
	switch t := v.(type) {
	case map[string]any:
		for k, val := range t {
			if IsVerificationField(k) && val != nil {
				t[k] = httpx.Redacted
				continue
			}
			t[k] = mask(val)
		}
		return t
	case []any:
		for i, val := range t {
			t[i] = mask(val)
		}
		return t
	case string:
		return httpx.RedactCardNumbers(t)
	case json.Number:
		if m := httpx.RedactCardNumbers(t.String()); m != t.String() {
			return m
		}
		return t
	}
	return v
}

// longDigitRun reports whether doc has 13 or more digits in a row, allowing
// the single spaces or dashes card numbers are grouped with: the least text
// RedactCardNumbers can mask.
func longDigitRun(doc []byte) bool {
	digits := 0
	for i, c := range doc {
		switch {
		case c >= '0' && c <= '9':
			if digits++; digits >= 13 {
				return true
			}
		case (c == ' ' || c == '-') && digits > 0 && i+1 < len(doc) && doc[i+1] >= '0' && doc[i+1] <= '9':
		default:
			digits = 0
		}
	}
	return false
}

// suspicious is a cheap pre-check: the text holds a card number as
// RedactCardNumbers finds them (digits written as \u escapes count, since
// decoding would reveal them), or a key that looks like a verification field.
// Long digit runs that cannot be card numbers (identifiers, UUIDs of zeros,
// float fractions) do not make a document suspicious.
func suspicious(doc []byte) bool {
	if bytes.Contains(doc, []byte(`\u00`)) {
		return true
	}
	if longDigitRun(doc) {
		// Only then is the text copied for the exact check.
		if text := string(doc); httpx.RedactCardNumbers(text) != text {
			return true
		}
	}
	for i, c := range doc {
		if c != '"' && c|0x20 != 'c' && c|0x20 != 's' {
			continue
		}
		for _, w := range suspiciousWords {
			if i+len(w) <= len(doc) && doc[i+1]|0x20 == w[1] && bytes.EqualFold(doc[i:i+len(w)], w) {
				return true
			}
		}
	}
	return false
}
