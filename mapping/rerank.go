package mapping

import (
	"context"
	"fmt"
)

// Reranker reorders the candidates for one target field and may rewrite
// their reasons. It is optional (a language model, see mapping/llm); the
// deterministic ranking stands without it.
type Reranker interface {
	Rerank(ctx context.Context, target Field, candidates []Candidate) ([]Candidate, error)
}

// Rerank asks r to reorder each suggestion that has alternatives and
// rebuilds the jq program from the new choices. Reordering only permutes
// the deterministic candidates: a reranker cannot invent a source field. On
// error the result is returned unchanged with the error.
func Rerank(ctx context.Context, res Result, r Reranker) (Result, error) {
	out := res
	out.Suggestions = make([]Suggestion, len(res.Suggestions))
	copy(out.Suggestions, res.Suggestions)
	for i, s := range out.Suggestions {
		cands := append([]Candidate{s.Candidate}, s.Alternatives...)
		if len(cands) < 2 {
			continue
		}
		dst := res.targets[s.Target]
		if dst == nil {
			continue
		}
		got, err := r.Rerank(ctx, *dst, cands)
		if err != nil {
			return res, fmt.Errorf("mapping: rerank %s: %w", s.Target, err)
		}
		if !samePaths(got, cands) {
			return res, fmt.Errorf("mapping: rerank %s: the reranker returned other candidates than it was given", s.Target)
		}
		out.Suggestions[i] = Suggestion{Target: s.Target, Candidate: got[0], Alternatives: got[1:]}
	}
	chosen := map[string]*Field{}
	for _, s := range out.Suggestions {
		chosen[s.Target] = res.sources[s.Source]
	}
	out.JQ = program(res.TargetSchema, chosen)
	return out, nil
}

func samePaths(a, b []Candidate) bool {
	if len(a) != len(b) {
		return false
	}
	seen := map[string]int{}
	for _, c := range b {
		seen[c.Source]++
	}
	for _, c := range a {
		if seen[c.Source] == 0 {
			return false
		}
		seen[c.Source]--
	}
	return true
}
