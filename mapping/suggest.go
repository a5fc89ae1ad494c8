// Package mapping suggests field correspondences between a source document
// and a target (a connector operation's input schema, a JSON Schema or
// sample documents), offline and deterministically, and generates the jq
// program that performs the mapping. Each signal is a separate scorer;
// docs/mapping.md lists the signals, their weights and their evaluation.
package mapping

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/bridgework/bridgework/schema"
)

// Signal names.
const (
	SignalName      = "name"
	SignalSynonym   = "synonym"
	SignalType      = "type"
	SignalStructure = "structure"
	SignalCorpus    = "corpus"
)

// Signals lists the signal names in the order they are reported.
var Signals = []string{SignalName, SignalSynonym, SignalType, SignalStructure, SignalCorpus}

// Weights of the combined score: the lexical evidence (the better of name
// and synonym), type fit and structure are summed; the corpus then closes
// part of the remaining gap: combined = base + Corpus·corpus·(1-base).
var Weights = struct{ Lexical, Type, Structure, Corpus float64 }{Lexical: 0.6, Type: 0.25, Structure: 0.15, Corpus: 0.9}

// Thresholds: a candidate is suggested when its combined score reaches
// MinConfidence, it has some lexical or corpus evidence and its type can
// be converted; alternatives
// must reach MinAlternative.
const (
	MinConfidence  = 0.5
	MinLexical     = 0.3
	MinAlternative = 0.35
	// MinTypeFit rejects sources whose values cannot become the target's
	// type (text such as "ACME" for an integer).
	MinTypeFit     = 0.2
	maxAlternative = 2
)

// scorer is one signal.
type scorer interface {
	Name() string
	Score(src, dst *Field) (float64, string)
}

// Target is what the mapping must produce: a JSON Schema, or sample
// documents to infer one from.
type Target struct {
	Schema  *schema.Schema
	Samples []any
}

// Request asks for suggestions.
type Request struct {
	// SourceSamples are one or more source documents (JSON objects).
	SourceSamples []any
	Target        Target
	// TargetRef names the target in the corpus, e.g. "epicor/create_sales_order".
	TargetRef string
	// Corpus holds the tenant's accepted mappings; nil for none.
	Corpus Corpus
	// Signal ranks by one signal alone (evaluation); "" combines them all.
	Signal string
}

// Candidate is one source field proposed for a target field.
type Candidate struct {
	Source     string             `json:"source"`
	Confidence float64            `json:"confidence"`
	Reason     string             `json:"reason"`
	Scores     map[string]float64 `json:"scores"`
}

// Suggestion is the best candidate for a target field, with runners-up.
type Suggestion struct {
	Target string `json:"target"`
	Candidate
	Alternatives []Candidate `json:"alternatives"`
}

// Result is the answer to a Request.
type Result struct {
	Suggestions []Suggestion `json:"suggestions"`
	// UnmappedRequired lists required target fields nothing was found for.
	UnmappedRequired []string `json:"unmapped_required"`
	// JQ maps one source document to one target document.
	JQ string `json:"jq"`
	// TargetSchema is the target as a schema (given or inferred).
	TargetSchema *schema.Schema `json:"-"`

	targets map[string]*Field // target fields by path
	sources map[string]*Field // source fields by path
}

// ErrBadRequest marks a request that cannot be answered as given.
var ErrBadRequest = errors.New("mapping: bad request")

func badRequest(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrBadRequest, fmt.Sprintf(format, args...))
}

// Suggest ranks source fields for every target field and builds the jq
// program of the best ones.
func Suggest(req Request) (Result, error) {
	tgt, srcFields, dstFields, err := prepare(req)
	if err != nil {
		return Result{}, err
	}
	signals := []scorer{nameSignal{}, synonymSignal{}, typeSignal{}, structureSignal{}, newCorpusSignal(req.Corpus, req.TargetRef)}
	if req.Signal != "" && !contains(Signals, req.Signal) {
		return Result{}, badRequest("unknown signal %q", req.Signal)
	}

	res := Result{Suggestions: []Suggestion{}, UnmappedRequired: []string{}, TargetSchema: tgt,
		targets: byPath(dstFields), sources: byPath(srcFields)}
	chosen := map[string]*Field{}
	for _, dst := range dstFields {
		cands := rank(srcFields, dst, signals, req.Signal)
		if len(cands) == 0 {
			if dst.Required {
				res.UnmappedRequired = append(res.UnmappedRequired, dst.Path)
			}
			continue
		}
		s := Suggestion{Target: dst.Path, Candidate: cands[0], Alternatives: []Candidate{}}
		for _, c := range cands[1:] {
			if len(s.Alternatives) == maxAlternative || (req.Signal == "" && c.Confidence < MinAlternative) {
				break
			}
			s.Alternatives = append(s.Alternatives, c)
		}
		res.Suggestions = append(res.Suggestions, s)
		chosen[dst.Path] = res.sources[s.Source]
	}
	res.JQ = program(tgt, chosen)
	return res, nil
}

// prepare checks the samples and the target and flattens both sides into
// leaf fields, with their sample values.
func prepare(req Request) (tgt *schema.Schema, srcFields, dstFields []*Field, err error) {
	if len(req.SourceSamples) == 0 {
		return nil, nil, nil, badRequest("source_samples needs at least one document")
	}
	samples := make([]any, len(req.SourceSamples))
	for i, s := range req.SourceSamples {
		samples[i] = schema.Normalize(s)
		if _, ok := samples[i].(map[string]any); !ok {
			return nil, nil, nil, badRequest("source_samples[%d] must be a JSON object", i)
		}
	}
	if tgt, err = targetSchema(req.Target); err != nil {
		return nil, nil, nil, err
	}
	srcFields = fieldsOf(schema.Infer(samples))
	collect(srcFields, samples)
	dstFields = fieldsOf(tgt)
	if len(dstFields) == 0 {
		return nil, nil, nil, badRequest("the target has no fields to map")
	}
	collect(dstFields, req.Target.Samples)
	return tgt, srcFields, dstFields, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func byPath(fs []*Field) map[string]*Field {
	m := make(map[string]*Field, len(fs))
	for _, f := range fs {
		m[f.Path] = f
	}
	return m
}

func targetSchema(t Target) (*schema.Schema, error) {
	switch {
	case t.Schema != nil && len(t.Samples) > 0:
		return nil, badRequest("give the target as a schema or as samples, not both")
	case t.Schema != nil:
		return t.Schema, nil
	case len(t.Samples) > 0:
		for i, s := range t.Samples {
			if _, ok := schema.Normalize(s).(map[string]any); !ok {
				return nil, badRequest("target samples[%d] must be a JSON object", i)
			}
		}
		return schema.Infer(t.Samples), nil
	}
	return nil, badRequest("a target (connector operation, schema or samples) is required")
}

// rank scores every source field for dst and returns the candidates that
// qualify, best first (ties broken by source path).
func rank(srcs []*Field, dst *Field, signals []scorer, only string) []Candidate {
	var out []Candidate
	for _, src := range srcs {
		scores := map[string]float64{}
		notes := map[string]string{}
		for _, sig := range signals {
			scores[sig.Name()], notes[sig.Name()] = sig.Score(src, dst)
		}
		var conf float64
		if only != "" {
			conf = scores[only]
			if conf <= 0 {
				continue
			}
		} else {
			lexical := max(scores[SignalName], scores[SignalSynonym])
			if (lexical < MinLexical && scores[SignalCorpus] == 0) || typeScore(src, dst) < MinTypeFit {
				continue
			}
			base := Weights.Lexical*lexical + Weights.Type*scores[SignalType] + Weights.Structure*scores[SignalStructure]
			conf = base + Weights.Corpus*scores[SignalCorpus]*(1-base)
			if conf < MinConfidence {
				continue
			}
		}
		out = append(out, Candidate{Source: src.Path, Confidence: round2(conf), Reason: reason(scores, notes), Scores: roundAll(scores)})
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Confidence != out[j].Confidence {
			return out[i].Confidence > out[j].Confidence
		}
		return out[i].Source < out[j].Source
	})
	return out
}

// reason lists the notes of the signals that found something, strongest
// first.
func reason(scores map[string]float64, notes map[string]string) string {
	names := append([]string(nil), Signals...)
	sort.SliceStable(names, func(i, j int) bool { return scores[names[i]] > scores[names[j]] })
	var parts []string
	for _, n := range names {
		if scores[n] > 0 && notes[n] != "" {
			parts = append(parts, notes[n])
		}
	}
	return strings.Join(parts, "; ")
}

func round2(f float64) float64 { return float64(int(f*100+0.5)) / 100 }

func roundAll(m map[string]float64) map[string]float64 {
	for k, v := range m {
		m[k] = round2(v)
	}
	return m
}
