package mapping

import (
	"strings"
	"unicode"
)

// abbreviations expand the short forms found in retail and ERP field names.
var abbreviations = map[string]string{
	"qty": "quantity", "qnty": "quantity", "desc": "description", "descr": "description",
	"num": "number", "no": "number", "nbr": "number", "nr": "number",
	"addr": "address", "cust": "customer", "uom": "unit of measure", "um": "unit of measure",
	"ium": "inventory unit of measure", "pum": "purchasing unit of measure",
	"amt": "amount", "tran": "transaction", "trans": "transaction", "txn": "transaction",
	"dtl": "detail", "hed": "header", "hdr": "header", "whse": "warehouse", "wh": "warehouse",
	"po": "purchase order", "ext": "extended", "pct": "percent", "prod": "product",
	"req": "request", "ref": "reference", "loc": "location", "tot": "total", "bal": "balance",
	"dt": "date", "ts": "timestamp", "alloc": "allocated", "cat": "category", "cnt": "count",
	"curr": "currency", "grp": "group", "ln": "line", "msg": "message", "orig": "original",
	"pmt": "payment", "pymt": "payment", "pmnt": "payment", "prc": "price", "rcpt": "receipt",
	"rev": "revision", "seq": "sequence", "stat": "status", "tel": "telephone", "wt": "weight",
	"pm": "payment method", "uid": "unique identifier", "guid": "unique identifier",
	"id": "identifier", "ids": "identifier", "zip": "zip", "vend": "vendor", "mfg": "manufacturing",
	"inv": "invoice", "sku": "sku", "upc": "upc", "ots": "one time ship", "bt": "bill to",
	"fax": "fax", "email": "email", "mail": "mail", "ph": "phone", "lbl": "label", "img": "image",
	"min": "minimum", "max": "maximum", "avg": "average", "std": "standard", "sys": "system",
	"ud": "user defined", "fname": "first name", "lname": "last name", "dob": "birth date",
	"addr1": "address 1", "addr2": "address 2", "doc": "document",
}

// noise tokens carry little meaning of their own.
var noise = map[string]bool{"of": true, "the": true, "a": true, "an": true, "is": true, "has": true, "document": true}

// vocabulary holds whole words that run-together names are split into
// ("custnum" → cust num).
var vocabulary = func() map[string]bool {
	v := map[string]bool{}
	for k, e := range abbreviations {
		v[k] = true
		for _, w := range strings.Fields(e) {
			v[w] = true
		}
	}
	for _, w := range strings.Fields(`part order sales ship bill to date code name line price cost unit
		total tax amount customer item address city state country phone postal type status group key
		hand on quantity demand safety reserved picking picked selling request need by open void held
		check bank head cash receipt lot bin serial track non stock class search word plant site
		warehouse site company currency terms via change created updated completed local public
		first last full middle public vendor primary barcode weight width height depth active`) {
		v[w] = true
	}
	return v
}()

// splitWords splits a key at separators, case changes and digits:
// "EMailAddress" → E Mail Address, "qty_on_hand" → qty on hand, "UPCCode1"
// → UPC Code 1.
func splitWords(s string) []string {
	var words []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			words = append(words, string(cur))
			cur = cur[:0]
		}
	}
	rs := []rune(s)
	for i, r := range rs {
		switch {
		case !unicode.IsLetter(r) && !unicode.IsDigit(r):
			flush()
			continue
		case len(cur) > 0:
			prev := cur[len(cur)-1]
			next := rune(0)
			if i+1 < len(rs) {
				next = rs[i+1]
			}
			if (unicode.IsLower(prev) && unicode.IsUpper(r)) ||
				(unicode.IsUpper(prev) && unicode.IsUpper(r) && unicode.IsLower(next)) ||
				(unicode.IsDigit(prev) != unicode.IsDigit(r)) {
				flush()
			}
		}
		cur = append(cur, r)
	}
	flush()
	return words
}

// segment splits a run-together lower-case word into vocabulary words when
// it can be covered completely, preferring the fewest pieces.
func segment(w string) []string {
	if vocabulary[w] || len(w) < 5 {
		return []string{w}
	}
	best := make([][]string, len(w)+1)
	best[0] = []string{}
	for i := 1; i <= len(w); i++ {
		for j := 0; j < i; j++ {
			if best[j] == nil || !vocabulary[w[j:i]] || i-j < 2 {
				continue
			}
			if best[i] == nil || len(best[j])+1 < len(best[i]) {
				best[i] = append(append([]string(nil), best[j]...), w[j:i])
			}
		}
	}
	if best[len(w)] == nil {
		return []string{w}
	}
	return best[len(w)]
}

// stem strips a plural ending.
func stem(w string) string {
	switch {
	case len(w) > 4 && strings.HasSuffix(w, "ies"):
		return w[:len(w)-3] + "y"
	case len(w) > 3 && strings.HasSuffix(w, "es") && (strings.HasSuffix(w, "sses") || strings.HasSuffix(w, "oes")):
		return w[:len(w)-2]
	case len(w) > 3 && strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") && !strings.HasSuffix(w, "us") && !strings.HasSuffix(w, "is"):
		return w[:len(w)-1]
	}
	return w
}

// expand turns one lower-case word into its meaning's words.
func expand(w string) []string {
	if e, ok := abbreviations[w]; ok {
		return strings.Fields(e)
	}
	if s := stem(w); s != w {
		if e, ok := abbreviations[s]; ok {
			return strings.Fields(e)
		}
		return []string{s}
	}
	return []string{w}
}

// tokens normalizes a key into expanded, singular, lower-case words:
// "EMailAddress" → email address, "OrderDtls" → order detail, "qty" →
// quantity, "custnum" → customer number.
func tokens(key string) []string {
	words := splitWords(key)
	var low []string
	for i := 0; i < len(words); i++ {
		w := strings.ToLower(words[i])
		// A lone letter joins the next word when that makes a known word
		// ("E" "Mail" → email).
		if len(w) == 1 && i+1 < len(words) && vocabulary[w+strings.ToLower(words[i+1])] {
			w += strings.ToLower(words[i+1])
			i++
		}
		if unicode.IsLetter(rune(w[0])) {
			low = append(low, segment(w)...)
		} else {
			low = append(low, w)
		}
	}
	var out []string
	for _, w := range low {
		for _, e := range expand(w) {
			if !noise[e] {
				out = append(out, e)
			}
		}
	}
	if len(out) == 0 {
		for _, w := range low {
			out = append(out, expand(w)...)
		}
	}
	return out
}

// phrase joins tokens with spaces.
func phrase(ts []string) string { return strings.Join(ts, " ") }
