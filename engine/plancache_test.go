package engine_test

import (
	"errors"
	"sync"
	"testing"

	"github.com/bridgework/bridgework/engine"
)

func TestPlanCache(t *testing.T) {
	t.Parallel()
	reg := newRegistry(t, nil)
	doc := flowDoc([]string{trig}, nil, "")
	compiles := 0
	compile := func() (*engine.Plan, error) {
		compiles++
		return mustCompile(t, doc, reg, engine.Env{}), nil
	}
	c := engine.NewPlanCache(2)
	p1, _ := c.Get("v1", compile)
	again, _ := c.Get("v1", compile)
	if p1 != again || compiles != 1 {
		t.Fatalf("second Get compiled again (compiles %d) or returned another plan", compiles)
	}
	c.Get("v2", compile)
	c.Get("v1", compile) // v1 is now the most recent
	c.Get("v3", compile) // evicts v2
	if c.Len() != 2 {
		t.Errorf("Len = %d, want 2", c.Len())
	}
	before := compiles
	c.Get("v1", compile)
	if compiles != before {
		t.Errorf("v1 was evicted, want v2 evicted")
	}
	c.Get("v2", compile)
	if compiles != before+1 {
		t.Errorf("v2 was still cached after eviction")
	}
	c.Remove("v2")
	if c.Len() != 1 {
		t.Errorf("Len after Remove = %d, want 1", c.Len())
	}
	boom := errors.New("invalid")
	if _, err := c.Get("bad", func() (*engine.Plan, error) { return nil, boom }); !errors.Is(err, boom) {
		t.Errorf("Get error = %v", err)
	}
	if c.Len() != 1 {
		t.Errorf("failed compile was cached")
	}
}

func TestPlanCacheConcurrent(t *testing.T) {
	t.Parallel()
	reg := newRegistry(t, nil)
	plan := mustCompile(t, flowDoc([]string{trig}, nil, ""), reg, engine.Env{})
	c := engine.NewPlanCache(4)
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			key := []string{"a", "b", "c", "d", "e"}[i%5]
			got, err := c.Get(key, func() (*engine.Plan, error) { return plan, nil })
			if err != nil || got != plan {
				t.Errorf("Get(%s) = %v, %v", key, got, err)
			}
		}()
	}
	wg.Wait()
	if c.Len() > 4 {
		t.Errorf("Len = %d, exceeds capacity", c.Len())
	}
}
