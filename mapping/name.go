package mapping

import "fmt"

// nameSignal compares the fields' keys after splitting and expanding
// abbreviations: a soft Dice coefficient over their words, where a word
// matches another exactly (1), as a prefix of at least three letters
// (0.75) or by letter trigrams (up to 0.8).
type nameSignal struct{}

func (nameSignal) Name() string { return SignalName }

func (nameSignal) Score(src, dst *Field) (float64, string) {
	s := softDice(src.tokens, dst.tokens)
	if s == 0 {
		return 0, ""
	}
	return s, fmt.Sprintf("names %q~%q %.2f", phrase(src.tokens), phrase(dst.tokens), s)
}

// softDice is 2·Σ best matches / (|a|+|b|), each word matched to its best
// counterpart on the other side.
func softDice(a, b []string) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	best := func(w string, others []string) float64 {
		m := 0.0
		for _, o := range others {
			m = max(m, wordSim(w, o))
		}
		return m
	}
	sum := 0.0
	for _, w := range a {
		sum += best(w, b)
	}
	for _, w := range b {
		sum += best(w, a)
	}
	return sum / float64(len(a)+len(b))
}

func wordSim(a, b string) float64 {
	switch {
	case a == b:
		return 1
	case len(a) >= 3 && len(b) >= 3 && (hasPrefix(a, b) || hasPrefix(b, a)):
		return 0.75
	}
	if t := trigram(a, b); t >= 0.5 {
		return 0.8 * t
	}
	return 0
}

func hasPrefix(s, p string) bool { return len(s) >= len(p) && s[:len(p)] == p }

// trigram is the Jaccard similarity of the words' padded letter trigrams.
func trigram(a, b string) float64 {
	grams := func(s string) map[string]bool {
		s = "  " + s + " "
		g := map[string]bool{}
		for i := 0; i+3 <= len(s); i++ {
			g[s[i:i+3]] = true
		}
		return g
	}
	ga, gb := grams(a), grams(b)
	inter := 0
	for g := range ga {
		if gb[g] {
			inter++
		}
	}
	return float64(inter) / float64(len(ga)+len(gb)-inter)
}
