package httpx

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
)

// Redacted replaces secret values.
const Redacted = "[REDACTED]"

// secretWords are the name fragments that mark a header, query parameter or
// JSON key as holding a credential.
var secretWords = []string{
	"password", "passwd", "secret", "token", "authorization",
	"api-key", "api_key", "apikey", "cookie", "credential", "signature",
}

// IsSecretName reports whether a header, parameter or field with this name
// holds a credential (Authorization, x-api-key, access_token, password, ...).
func IsSecretName(name string) bool {
	n := strings.ToLower(name)
	for _, w := range secretWords {
		if strings.Contains(n, w) {
			return true
		}
	}
	return false
}

// RedactHeaders returns a copy of h with credential values replaced.
func RedactHeaders(h http.Header) http.Header {
	out := make(http.Header, len(h))
	for k, vs := range h {
		if IsSecretName(k) {
			out[k] = []string{Redacted}
			continue
		}
		cp := make([]string, len(vs))
		for i, v := range vs {
			cp[i] = RedactCardNumbers(v)
		}
		out[k] = cp
	}
	return out
}

// RedactURL hides credentials in a URL: user info and secret query
// parameters (api-key, access_token, secret, ...).
func RedactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return RedactText(raw)
	}
	if u.User != nil {
		u.User = url.User(Redacted)
	}
	if u.RawQuery != "" {
		q := u.Query()
		changed := false
		for k := range q {
			if IsSecretName(k) {
				q[k] = []string{Redacted}
				changed = true
			}
		}
		if changed {
			u.RawQuery = q.Encode()
		}
	}
	return RedactCardNumbers(u.String())
}

var (
	formPair   = regexp.MustCompile(`(^|[?&\s])([A-Za-z0-9_.\-]{1,64})=([^&\s]*)`)
	authScheme = regexp.MustCompile(`(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=\-]{8,}`)
)

// RedactText hides credentials and card numbers in free text such as a
// request or response body: JSON string fields and form fields with secret
// names, "Bearer …"/"Basic …" credentials, and Luhn-valid card numbers.
func RedactText(s string) string {
	s = redactJSONPairs(s)
	lower := strings.ToLower(s)
	if strings.Contains(s, "=") && containsSecretWord(lower) {
		s = formPair.ReplaceAllStringFunc(s, func(m string) string {
			sub := formPair.FindStringSubmatch(m)
			if !IsSecretName(sub[2]) {
				return m
			}
			return sub[1] + sub[2] + "=" + Redacted
		})
	}
	if strings.Contains(lower, "bearer") || strings.Contains(lower, "basic") {
		s = authScheme.ReplaceAllString(s, "$1 "+Redacted)
	}
	return RedactCardNumbers(s)
}

func containsSecretWord(lower string) bool {
	for _, w := range secretWords {
		if strings.Contains(lower, w) {
			return true
		}
	}
	return false
}

// redactJSONPairs replaces the string value of every "key": "value" pair
// whose key is a secret name. It scans once and tolerates text that is not
// JSON.
func redactJSONPairs(s string) string {
	var b strings.Builder
	last := 0
	for i := 0; i < len(s); {
		if s[i] != '"' {
			i++
			continue
		}
		keyEnd := stringEnd(s, i)
		if keyEnd < 0 {
			break
		}
		j := skipSpace(s, keyEnd+1)
		if j < len(s) && s[j] == ':' {
			j = skipSpace(s, j+1)
			if j < len(s) && s[j] == '"' && IsSecretName(s[i+1:keyEnd]) {
				valEnd := stringEnd(s, j)
				if valEnd < 0 {
					break
				}
				b.WriteString(s[last : j+1])
				b.WriteString(Redacted)
				last = valEnd
				i = valEnd + 1
				continue
			}
		}
		i = keyEnd + 1
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// stringEnd returns the index of the quote closing the JSON string that
// opens at s[i], or -1.
func stringEnd(s string, i int) int {
	for j := i + 1; j < len(s); j++ {
		switch s[j] {
		case '\\':
			j++
		case '"':
			return j
		}
	}
	return -1
}

func skipSpace(s string, i int) int {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r') {
		i++
	}
	return i
}

// RedactValue returns a copy of a JSON-like value (maps, slices, strings)
// with secret-named fields replaced and card numbers masked in strings.
func RedactValue(v any) any {
	switch t := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, val := range t {
			if IsSecretName(k) {
				out[k] = Redacted
				continue
			}
			out[k] = RedactValue(val)
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, val := range t {
			out[i] = RedactValue(val)
		}
		return out
	case string:
		return RedactCardNumbers(t)
	default:
		return v
	}
}

// RedactCardNumbers masks every Luhn-valid run of 13 to 19 digits, which may
// be grouped by single spaces or dashes into groups of 3 to 6 digits
// ("4111 1111 1111 1111", "3782 822463 10005"). All digits
// but the last four become '*'; separators are kept. Digit runs that fail the
// Luhn check, or are longer than 19 digits, are left alone.
func RedactCardNumbers(s string) string {
	var out []byte // allocated on the first match only
	var buf [8]span
	i := 0
	for i < len(s) {
		if !isDigit(s[i]) {
			i++
			continue
		}
		groups, end := digitGroups(s, i, buf[:0])
		if fractionAt(s, i) {
			i = groups[0].end // what follows the fraction is looked at anew
			continue
		}
		if end+1 < len(s) && s[end] == '.' && isDigit(s[end+1]) {
			groups = groups[:len(groups)-1] // the integer part of a decimal
		}
		if digitCount(groups) < 13 {
			i = end
			continue
		}
		masked := maskGroups(s, groups)
		if masked != nil {
			if out == nil {
				out = []byte(s)
			}
			for _, pos := range masked {
				out[pos] = '*'
			}
		}
		i = end
	}
	if out == nil {
		return s
	}
	return string(out)
}

// fractionAt reports whether the digits at i are the fraction of a decimal
// number ("105.94999999999999"). Card numbers have no decimal point (nor do
// they end in one followed by digits), and long fractions of binary floats
// would otherwise be masked as card numbers.
func fractionAt(s string, i int) bool {
	return i >= 2 && s[i-1] == '.' && isDigit(s[i-2])
}

// span is a run of digits s[start:end].
type span struct{ start, end int }

// digitGroups appends to groups the digit runs starting at i that are
// joined by single spaces or dashes, and returns them with the index just
// past the last one.
func digitGroups(s string, i int, groups []span) ([]span, int) {
	for {
		j := i
		for j < len(s) && isDigit(s[j]) {
			j++
		}
		groups = append(groups, span{i, j})
		if j+1 < len(s) && (s[j] == ' ' || s[j] == '-') && isDigit(s[j+1]) {
			i = j + 1
			continue
		}
		return groups, j
	}
}

func digitCount(groups []span) int {
	n := 0
	for _, g := range groups {
		n += g.end - g.start
	}
	return n
}

// maskGroups finds card numbers made of consecutive groups, longest first
// from each starting group, and returns the byte positions to mask. A group
// right after a '*' is the visible tail of an already masked number and
// starts no new one, so redacting twice changes nothing.
func maskGroups(s string, groups []span) []int {
	var masked []int
	for a := 0; a < len(groups); a++ {
		if st := groups[a].start; st > 0 && s[st-1] == '*' {
			continue // the visible tail of a card masked before
		}
		for b := len(groups) - 1; b >= a; b-- {
			n := digitCount(groups[a : b+1])
			if n < 13 || n > 19 || (b > a && !cardGrouping(groups[a:b+1])) {
				continue
			}
			var arr [19]byte
			digits := arr[:0]
			for _, g := range groups[a : b+1] {
				digits = append(digits, s[g.start:g.end]...)
			}
			if !luhn(digits) {
				continue
			}
			keep := 4
			for g := b; g >= a; g-- {
				for p := groups[g].end - 1; p >= groups[g].start; p-- {
					if keep > 0 {
						keep--
						continue
					}
					masked = append(masked, p)
				}
			}
			a = b
			break
		}
	}
	return masked
}

// cardGrouping reports whether separated groups could be a printed card
// number (4-4-4-4, 4-6-5, …): every group has 3 to 6 digits. This keeps
// the digit groups of UUIDs such as correlation ids (8-4-4-4-12) intact.
func cardGrouping(groups []span) bool {
	for _, g := range groups {
		if n := g.end - g.start; n < 3 || n > 6 {
			return false
		}
	}
	return true
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// luhn reports whether the digits pass the Luhn checksum.
func luhn(digits []byte) bool {
	sum := 0
	double := false
	for i := len(digits) - 1; i >= 0; i-- {
		d := int(digits[i] - '0')
		if double {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
		double = !double
	}
	return sum%10 == 0
}
