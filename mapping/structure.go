package mapping

import "fmt"

// structureSignal scores where the fields sit: at the same array depth
// (a line field for a line field, a header field for a header field), at
// similar object depth, and, inside arrays, in collections with related
// names ("lines" ~ "OrderDtls").
type structureSignal struct{}

func (structureSignal) Name() string { return SignalStructure }

func (structureSignal) Score(src, dst *Field) (float64, string) {
	sa, da := src.arrayDepth(), dst.arrayDepth()
	var depth float64
	var note string
	switch {
	case sa == da:
		depth, note = 1, "same array depth"
	case sa > da:
		depth, note = 0.3, "source is inside a collection, target is not"
	default:
		depth, note = 0.5, "header value repeated into a collection"
	}
	od := src.objectDepth() - src.arrayDepth() - (dst.objectDepth() - dst.arrayDepth())
	depth -= 0.1 * float64(min(abs(od), 3))
	parent := 1.0
	if sa > 0 && da > 0 {
		p := softDice(src.parent, dst.parent)
		if shareConcept(concepts(src.parent), concepts(dst.parent)) {
			p = 1
		}
		parent = p
		note += fmt.Sprintf(", collections %q~%q %.2f", phrase(src.parent), phrase(dst.parent), p)
	}
	return max(0, 0.7*depth+0.3*parent), note
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
