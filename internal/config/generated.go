package config

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// FillGenerated gives an embedded-database installation working secrets without
// set-up: every secret left unset is read from, or generated once into, a 0600
// file in the data directory. With Postgres it does nothing (Validate already
// demands shared secrets there). It returns the names of the files it created.
func (c *Config) FillGenerated() ([]string, error) {
	db, err := ParseDatabaseURL(c.DatabaseURL)
	if err != nil || db.Postgres() {
		return nil, err
	}
	dir := db.DataDir()
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create data directory %s: %w", dir, err)
	}
	var created []string
	for _, s := range []struct {
		field *string
		file  string
	}{
		{&c.SecretKey, "secret.key"},
		{&c.JWTSecret, "jwt.secret"},
		{&c.AdminToken, "admin.token"},
	} {
		if *s.field != "" {
			continue
		}
		path := filepath.Join(dir, s.file)
		value, isNew, err := readOrCreate(path)
		if err != nil {
			return created, err
		}
		if isNew {
			created = append(created, path)
		}
		*s.field = value
	}
	return created, nil
}

// readOrCreate returns the secret stored at path, writing a new random one first
// when the file does not exist.
func readOrCreate(path string) (string, bool, error) {
	b, err := os.ReadFile(path)
	if err == nil {
		return strings.TrimSpace(string(b)), false, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return "", false, fmt.Errorf("read %s: %w", path, err)
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return "", false, fmt.Errorf("generate %s: %w", path, err)
	}
	value := base64.StdEncoding.EncodeToString(raw)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return "", false, fmt.Errorf("create %s: %w", path, err)
	}
	if _, err := f.WriteString(value + "\n"); err != nil {
		f.Close()
		return "", false, fmt.Errorf("write %s: %w", path, err)
	}
	return value, true, f.Close()
}
