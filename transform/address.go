package transform

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// streetWords maps street suffixes, directions and unit words (lower case,
// without periods) to their USPS abbreviation.
var streetWords = map[string]string{
	"street": "St", "st": "St", "str": "St", "avenue": "Ave", "ave": "Ave", "av": "Ave",
	"road": "Rd", "rd": "Rd", "drive": "Dr", "dr": "Dr", "boulevard": "Blvd", "blvd": "Blvd",
	"lane": "Ln", "ln": "Ln", "court": "Ct", "ct": "Ct", "place": "Pl", "pl": "Pl",
	"parkway": "Pkwy", "pkwy": "Pkwy", "highway": "Hwy", "hwy": "Hwy", "terrace": "Ter",
	"circle": "Cir", "cir": "Cir", "square": "Sq", "trail": "Trl", "way": "Way",
	"north": "N", "n": "N", "south": "S", "s": "S", "east": "E", "e": "E", "west": "W", "w": "W",
	"northeast": "NE", "ne": "NE", "northwest": "NW", "nw": "NW", "southeast": "SE", "se": "SE",
	"southwest": "SW", "sw": "SW",
	"apartment": "Apt", "apt": "Apt", "suite": "Ste", "ste": "Ste", "building": "Bldg",
	"bldg": "Bldg", "floor": "Fl", "fl": "Fl", "unit": "Unit", "po": "PO", "p.o": "PO", "box": "Box",
}

// usStates maps US state and territory names (lower case) to their codes.
var usStates = map[string]string{
	"alabama": "AL", "alaska": "AK", "arizona": "AZ", "arkansas": "AR", "california": "CA",
	"colorado": "CO", "connecticut": "CT", "delaware": "DE", "district of columbia": "DC",
	"florida": "FL", "georgia": "GA", "hawaii": "HI", "idaho": "ID", "illinois": "IL",
	"indiana": "IN", "iowa": "IA", "kansas": "KS", "kentucky": "KY", "louisiana": "LA",
	"maine": "ME", "maryland": "MD", "massachusetts": "MA", "michigan": "MI", "minnesota": "MN",
	"mississippi": "MS", "missouri": "MO", "montana": "MT", "nebraska": "NE", "nevada": "NV",
	"new hampshire": "NH", "new jersey": "NJ", "new mexico": "NM", "new york": "NY",
	"north carolina": "NC", "north dakota": "ND", "ohio": "OH", "oklahoma": "OK", "oregon": "OR",
	"pennsylvania": "PA", "rhode island": "RI", "south carolina": "SC", "south dakota": "SD",
	"tennessee": "TN", "texas": "TX", "utah": "UT", "vermont": "VT", "virginia": "VA",
	"washington": "WA", "west virginia": "WV", "wisconsin": "WI", "wyoming": "WY",
	"puerto rico": "PR", "guam": "GU", "us virgin islands": "VI", "american samoa": "AS",
}

// countries maps country names and three-letter codes (lower case, periods
// removed) to ISO 3166-1 alpha-2 codes.
var countries = map[string]string{
	"united states": "US", "united states of america": "US", "usa": "US", "us": "US", "america": "US",
	"canada": "CA", "can": "CA", "mexico": "MX", "méxico": "MX", "mex": "MX",
	"united kingdom": "GB", "great britain": "GB", "uk": "GB", "england": "GB", "gbr": "GB",
	"germany": "DE", "deutschland": "DE", "deu": "DE", "france": "FR", "fra": "FR",
	"spain": "ES", "españa": "ES", "esp": "ES", "italy": "IT", "ita": "IT",
	"netherlands": "NL", "the netherlands": "NL", "nld": "NL", "ireland": "IE", "irl": "IE",
	"australia": "AU", "aus": "AU", "new zealand": "NZ", "japan": "JP", "jpn": "JP",
	"china": "CN", "chn": "CN", "india": "IN", "ind": "IN", "brazil": "BR", "bra": "BR",
	"switzerland": "CH", "che": "CH", "austria": "AT", "aut": "AT", "sweden": "SE", "swe": "SE",
}

// StandardizeLine tidies one street address line: whitespace collapsed, words
// in title case, periods and commas dropped, street words abbreviated the
// USPS way ("1200 north main street." → "1200 N Main St").
func StandardizeLine(s string) string {
	words := strings.FieldsFunc(s, func(r rune) bool { return unicode.IsSpace(r) || r == ',' })
	out := words[:0]
	for _, w := range words {
		w = strings.Trim(w, ".")
		if w == "" {
			continue
		}
		if short, ok := streetWords[strings.ToLower(strings.ReplaceAll(w, ".", ""))]; ok {
			out = append(out, short)
			continue
		}
		out = append(out, titleWord(w))
	}
	return strings.Join(out, " ")
}

// titleWord upper-cases the first letter of w and lower-cases the rest; words
// with digits ("12b", "3RD") are only lower-cased after their first rune.
func titleWord(w string) string {
	r, size := utf8.DecodeRuneInString(w)
	return string(unicode.ToUpper(r)) + strings.ToLower(w[size:])
}

// StandardizeCity collapses whitespace and title-cases a city name.
func StandardizeCity(s string) string {
	words := strings.Fields(strings.Trim(strings.TrimSpace(s), ".,"))
	for i, w := range words {
		words[i] = titleWord(w)
	}
	return strings.Join(words, " ")
}

// StandardizeState turns a US state name into its two-letter code ("new
// york" → "NY"); codes are upper-cased and anything else is returned trimmed.
func StandardizeState(s string) string { return codeOf(usStates, s) }

// codeOf looks a name up in a table of codes, ignoring case, periods and
// extra spaces; two-letter input is taken as a code and upper-cased; anything
// else is returned trimmed.
func codeOf(codes map[string]string, s string) string {
	key := strings.Join(strings.Fields(strings.ToLower(strings.ReplaceAll(s, ".", ""))), " ")
	if code, ok := codes[key]; ok {
		return code
	}
	if len(key) == 2 {
		return strings.ToUpper(key)
	}
	return strings.TrimSpace(s)
}

// StandardizeZip formats US ZIP codes: five digits as they are, nine as
// ZIP+4 ("123456789" → "12345-6789"); other postal codes are upper-cased with
// whitespace collapsed.
func StandardizeZip(s string) string {
	digits := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		if r == '-' || r == ' ' {
			return -1
		}
		return 'x'
	}, strings.TrimSpace(s))
	switch {
	case len(digits) == 5 && !strings.Contains(digits, "x"):
		return digits
	case len(digits) == 9 && !strings.Contains(digits, "x"):
		return digits[:5] + "-" + digits[5:]
	}
	return strings.ToUpper(strings.Join(strings.Fields(s), " "))
}

// StandardizeCountry returns the ISO 3166-1 alpha-2 code for a country name
// or code ("United States", "USA", "u.s." → "US"); unknown names are
// returned trimmed.
func StandardizeCountry(s string) string { return codeOf(countries, s) }

// StandardizeAddress standardises an address object in place of a copy: each
// field is recognised by its name (case ignored), so Heartland (line_1, city,
// state, postal_code, country) and Epicor (Address1, City, State, Zip,
// Country) records both work. Fields with other names, and values that are
// not strings, are kept as they are.
func StandardizeAddress(addr map[string]any) map[string]any {
	out := make(map[string]any, len(addr))
	for k, v := range addr {
		s, ok := v.(string)
		if !ok {
			out[k] = v
			continue
		}
		out[k] = standardizeField(strings.ToLower(k), s)
	}
	return out
}

func standardizeField(key, s string) string {
	switch {
	case strings.Contains(key, "zip") || strings.Contains(key, "postal"):
		return StandardizeZip(s)
	case strings.Contains(key, "country"):
		return StandardizeCountry(s)
	case key == "state" || key == "province" || key == "region" || strings.HasSuffix(key, "_state"):
		return StandardizeState(s)
	case strings.Contains(key, "city"):
		return StandardizeCity(s)
	case strings.Contains(key, "line") || strings.HasPrefix(key, "address") || strings.Contains(key, "street"):
		return StandardizeLine(s)
	}
	return s
}
