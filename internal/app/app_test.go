package app_test

import (
	"context"
	"sync"
	"testing"

	"github.com/bridgework/bridgework/internal/app"
	"github.com/bridgework/bridgework/internal/config"
	"github.com/bridgework/bridgework/internal/testdb"
)

func TestMain(m *testing.M) { testdb.Main(m) }

// Processes of a cluster start together on an empty Postgres database: each
// migrates (River's schema, then Bridgework's) without tripping over the
// others.
func TestProcessesStartingTogetherMigrateOneAfterAnother(t *testing.T) {
	cfg := &config.Config{DatabaseURL: testdb.URL(t, "postgres"), DBMaxConns: 4}
	const processes = 4
	var wg sync.WaitGroup
	errs := make(chan error, processes)
	for range processes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			st, err := app.OpenStore(context.Background(), cfg)
			if err == nil {
				st.Close()
			}
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("a process starting with the others failed to migrate: %v", err)
		}
	}
}
