package transform

import (
	"slices"
	"strings"
)

// Similarity compares two names or addresses and returns a score from 0 (no
// likeness) to 1 (the same after normalisation). Both are normalised
// (NormalizeName, plus street words abbreviated: Street → st), their words
// sorted, and the results compared with Jaro-Winkler, so word order, case,
// accents, punctuation and abbreviations do not count and a typo costs
// little. An empty side gives 0: missing data is no evidence of a match.
func Similarity(a, b string) float64 {
	ka, kb := matchKey(a), matchKey(b)
	if ka == "" || kb == "" {
		return 0
	}
	if ka == kb {
		return 1
	}
	return JaroWinkler(ka, kb)
}

// matchKey is the normalised, word-sorted form Similarity compares.
func matchKey(s string) string {
	words := splitWords(s, "'’`.")
	for i, w := range words {
		if short, ok := nameWords[w]; ok {
			words[i] = short
		} else if short, ok := streetWords[w]; ok {
			words[i] = strings.ToLower(short)
		}
	}
	slices.Sort(words)
	return strings.Join(words, " ")
}

// JaroWinkler returns the Jaro-Winkler similarity of a and b (0..1),
// comparing runes, with the usual prefix scale 0.1 over at most four runes.
func JaroWinkler(a, b string) float64 {
	ra, rb := []rune(a), []rune(b)
	if len(ra) == 0 && len(rb) == 0 {
		return 1
	}
	if len(ra) == 0 || len(rb) == 0 {
		return 0
	}
	window := max(len(ra), len(rb))/2 - 1
	window = max(window, 0)
	ma, mb := make([]bool, len(ra)), make([]bool, len(rb))
	matches := 0
	for i, r := range ra {
		lo, hi := max(0, i-window), min(len(rb), i+window+1)
		for j := lo; j < hi; j++ {
			if !mb[j] && rb[j] == r {
				ma[i], mb[j] = true, true
				matches++
				break
			}
		}
	}
	if matches == 0 {
		return 0
	}
	transpositions, j := 0, 0
	for i := range ra {
		if !ma[i] {
			continue
		}
		for !mb[j] {
			j++
		}
		if ra[i] != rb[j] {
			transpositions++
		}
		j++
	}
	m := float64(matches)
	jaro := (m/float64(len(ra)) + m/float64(len(rb)) + (m-float64(transpositions)/2)/m) / 3
	prefix := 0
	for prefix < min(4, len(ra), len(rb)) && ra[prefix] == rb[prefix] {
		prefix++
	}
	return jaro + float64(prefix)*0.1*(1-jaro)
}
