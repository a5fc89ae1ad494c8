package mapping

import (
	"fmt"
	"sync"
)

// Accepted is a correspondence a user accepted: target path ← source path,
// for one target (such as "epicor/create_sales_order"), with how many times
// it was accepted.
type Accepted struct {
	TargetRef string `json:"target_ref"`
	Source    string `json:"source"`
	Target    string `json:"target"`
	Count     int    `json:"count"`
}

// Corpus is a tenant's history of accepted correspondences.
type Corpus interface {
	Accepted() []Accepted
}

// MemoryCorpus is a Corpus held in memory; safe for concurrent use.
type MemoryCorpus struct {
	mu    sync.Mutex
	pairs []Accepted
}

// Accept records pairs, adding to the count of ones already known.
func (c *MemoryCorpus) Accept(pairs ...Accepted) {
	c.mu.Lock()
	defer c.mu.Unlock()
next:
	for _, p := range pairs {
		p.Count = max(p.Count, 1)
		for i, q := range c.pairs {
			if q.TargetRef == p.TargetRef && q.Source == p.Source && q.Target == p.Target {
				c.pairs[i].Count += p.Count
				continue next
			}
		}
		c.pairs = append(c.pairs, p)
	}
}

// Accepted returns a copy of the pairs.
func (c *MemoryCorpus) Accepted() []Accepted {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]Accepted(nil), c.pairs...)
}

// corpusSignal scores from the tenant's accepted mappings: the same paths
// for the same target score most; the same key names (after normalization)
// for any target score less. Repeated acceptance strengthens both.
type corpusSignal struct {
	ref   string
	exact map[[2]string]int // source path, target path → count (same target ref)
	names map[[2]string]int // source phrase, target phrase → count (any ref)
}

func newCorpusSignal(c Corpus, ref string) *corpusSignal {
	s := &corpusSignal{ref: ref, exact: map[[2]string]int{}, names: map[[2]string]int{}}
	if c == nil {
		return s
	}
	for _, p := range c.Accepted() {
		if p.TargetRef == ref {
			s.exact[[2]string{p.Source, p.Target}] += max(p.Count, 1)
		}
		src, dst := &Field{segs: splitPath(p.Source)}, &Field{segs: splitPath(p.Target)}
		s.names[[2]string{phrase(tokens(src.Name())), phrase(tokens(dst.Name()))}] += max(p.Count, 1)
	}
	return s
}

func (*corpusSignal) Name() string { return SignalCorpus }

func (s *corpusSignal) Score(src, dst *Field) (float64, string) {
	strength := func(n int) float64 { return min(1, 0.6+0.2*float64(n)) }
	if n := s.exact[[2]string{src.Path, dst.Path}]; n > 0 {
		return strength(n), fmt.Sprintf("accepted before %d×", n)
	}
	if n := s.names[[2]string{phrase(src.tokens), phrase(dst.tokens)}]; n > 0 {
		return 0.8 * strength(n), fmt.Sprintf("same names accepted before %d×", n)
	}
	return 0, ""
}

// splitPath is the inverse of pathOf.
func splitPath(p string) []string {
	var segs []string
	cur := ""
	for i := 0; i < len(p); i++ {
		switch {
		case p[i] == '.':
			if cur != "" {
				segs = append(segs, cur)
			}
			cur = ""
		case p[i] == '[' && i+1 < len(p) && p[i+1] == ']':
			if cur != "" {
				segs = append(segs, cur)
			}
			segs = append(segs, "[]")
			cur = ""
			i++
		default:
			cur += string(p[i])
		}
	}
	if cur != "" {
		segs = append(segs, cur)
	}
	return segs
}
