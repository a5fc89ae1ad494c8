package transform

import (
	"strings"
	"unicode"
)

// foldRune maps accented Latin letters to their plain ASCII spelling; letters
// with a common two-letter transliteration (ß, æ, ø) give two letters.
var foldRune = map[rune]string{
	'à': "a", 'á': "a", 'â': "a", 'ã': "a", 'ä': "a", 'å': "a", 'ā': "a",
	'ç': "c", 'č': "c", 'ć': "c",
	'è': "e", 'é': "e", 'ê': "e", 'ë': "e", 'ē': "e", 'ę': "e",
	'ì': "i", 'í': "i", 'î': "i", 'ï': "i",
	'ñ': "n", 'ń': "n",
	'ò': "o", 'ó': "o", 'ô': "o", 'õ': "o", 'ö': "o", 'ø': "o", 'ō': "o",
	'ù': "u", 'ú': "u", 'û': "u", 'ü': "u", 'ū': "u",
	'ý': "y", 'ÿ': "y",
	'š': "s", 'ś': "s", 'ž': "z", 'ź': "z", 'ż': "z", 'ł': "l", 'ř': "r",
	'ß': "ss", 'æ': "ae", 'œ': "oe", 'þ': "th", 'ð': "d",
}

// nameWords are spellings that mean the same in customer and company names.
var nameWords = map[string]string{
	"corporation": "corp", "incorporated": "inc", "company": "co", "limited": "ltd",
	"and": "&", "saint": "st",
}

// NormalizeName turns a person or company name into a comparable key: lower
// case, accents folded (Müller → muller), punctuation dropped (O'Brien →
// obrien, "Corp." → corp), common company words shortened (Corporation →
// corp) and whitespace collapsed. Empty input gives "".
func NormalizeName(s string) string {
	words := splitWords(s, "'’`")
	for i, w := range words {
		if short, ok := nameWords[w]; ok {
			words[i] = short
		}
	}
	return strings.Join(words, " ")
}

// splitWords lower-cases and folds s and splits it into words at whitespace
// and punctuation; characters in drop are removed without splitting.
func splitWords(s, drop string) []string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case strings.ContainsRune(drop, r):
		case foldRune[r] != "":
			b.WriteString(foldRune[r])
		case r == '&' || r == '#':
			b.WriteString(" " + string(r) + " ")
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
		default:
			b.WriteByte(' ')
		}
	}
	return strings.Fields(b.String())
}
