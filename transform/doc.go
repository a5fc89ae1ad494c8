// Package transform holds the shared data clean-up functions of Bridgework:
// address standardisation, name normalisation, fuzzy similarity and table
// mapping. Every jq program of every flow can call them (see Functions);
// templates use them instead of repeating the logic in each flow.
package transform
