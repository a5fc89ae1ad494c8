package mapping

// Pair is one chosen correspondence: the target field and the source field
// it is built from, both as paths such as "lines[].qty".
type Pair struct {
	Source string `json:"source"`
	Target string `json:"target"`
}

// Generate builds the jq program of the chosen pairs only: the suggestions a
// user accepted, with the source they picked for each (the best candidate or
// an alternative). Target fields without a pair are left out of the program;
// the required ones are listed in UnmappedRequired. The program is the one
// Suggest returns when the pairs are its best candidates.
func Generate(req Request, pairs []Pair) (Result, error) {
	tgt, srcFields, dstFields, err := prepare(req)
	if err != nil {
		return Result{}, err
	}
	res := Result{Suggestions: []Suggestion{}, UnmappedRequired: []string{}, TargetSchema: tgt,
		targets: byPath(dstFields), sources: byPath(srcFields)}
	chosen := map[string]*Field{}
	for i, p := range pairs {
		switch {
		case res.targets[p.Target] == nil:
			return Result{}, badRequest("pairs[%d]: the target has no field %q", i, p.Target)
		case res.sources[p.Source] == nil:
			return Result{}, badRequest("pairs[%d]: the source samples have no field %q", i, p.Source)
		case chosen[p.Target] != nil:
			return Result{}, badRequest("pairs[%d]: target field %q is given twice", i, p.Target)
		}
		chosen[p.Target] = res.sources[p.Source]
	}
	for _, dst := range dstFields {
		if dst.Required && chosen[dst.Path] == nil {
			res.UnmappedRequired = append(res.UnmappedRequired, dst.Path)
		}
	}
	res.JQ = program(tgt, chosen)
	return res, nil
}
