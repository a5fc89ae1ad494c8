package store

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// lockFile holds an exclusive lock on PATH.lock beside an SQLite database:
// only one Bridgework process may use an embedded database (scale out on
// Postgres instead).
func lockFile(dbPath string) (*os.File, error) {
	f, err := os.OpenFile(dbPath+".lock", os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, fmt.Errorf("store: open lock file: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("store: another Bridgework process is using the SQLite database %s; an embedded database serves one process (use Postgres to run several)", dbPath)
		}
		return nil, fmt.Errorf("store: lock %s: %w", dbPath, err)
	}
	return f, nil
}
