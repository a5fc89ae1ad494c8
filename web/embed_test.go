package web

import (
	"io/fs"
	"strings"
	"testing"
)

func TestDistHasIndex(t *testing.T) {
	t.Parallel()
	b, err := fs.ReadFile(Dist(), "index.html")
	if err != nil {
		t.Fatalf("read index.html from Dist(): %v", err)
	}
	if !strings.Contains(string(b), `<div id="root">`) {
		t.Fatalf("index.html has no root element; got:\n%s", b)
	}
}

func TestDistAssetsAreReferenced(t *testing.T) {
	t.Parallel()
	index, err := fs.ReadFile(Dist(), "index.html")
	if err != nil {
		t.Fatalf("read index.html: %v", err)
	}
	assets, err := fs.ReadDir(Dist(), "assets")
	if err != nil {
		t.Fatalf("read assets dir: %v", err)
	}
	if len(assets) == 0 {
		t.Fatal("assets dir is empty")
	}
	for _, a := range assets {
		if strings.HasSuffix(a.Name(), ".js") && strings.HasPrefix(a.Name(), "index-") && !strings.Contains(string(index), "/assets/"+a.Name()) {
			t.Errorf("entry script %s is not referenced by index.html (stale dist?)", a.Name())
		}
	}
}
