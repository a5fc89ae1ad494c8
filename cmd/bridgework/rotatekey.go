package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/bridgework/bridgework/internal/app"
	"github.com/bridgework/bridgework/internal/rekey"
	"github.com/bridgework/bridgework/internal/secret"
)

// runRotateKey re-encrypts every stored credential from
// BRIDGEWORK_OLD_SECRET_KEY to BRIDGEWORK_SECRET_KEY in one transaction.
func runRotateKey(ctx context.Context, args []string, stdout, _ io.Writer) error {
	fs := newFlags("rotate-key", "Re-encrypts connection and webhook secrets from BRIDGEWORK_OLD_SECRET_KEY to BRIDGEWORK_SECRET_KEY "+
		"in one transaction. Stop every serving process first; start them again with the new key. Safe to repeat.", true, stdout)
	if err := parse(fs, args); err != nil {
		return err
	}
	cfg, err := loadConfig()
	if err != nil {
		return err
	}
	if cfg.OldSecretKey == "" || cfg.SecretKey == "" {
		return usageError{errors.New("set BRIDGEWORK_OLD_SECRET_KEY to the current key and BRIDGEWORK_SECRET_KEY to the new one")}
	}
	if cfg.OldSecretKey == cfg.SecretKey {
		return usageError{errors.New("BRIDGEWORK_OLD_SECRET_KEY and BRIDGEWORK_SECRET_KEY are the same key")}
	}
	oldBox, err := openBox("BRIDGEWORK_OLD_SECRET_KEY", cfg.OldSecretKey)
	if err != nil {
		return err
	}
	newBox, err := openBox("BRIDGEWORK_SECRET_KEY", cfg.SecretKey)
	if err != nil {
		return err
	}
	st, err := app.OpenStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	n, err := rekey.Rotate(ctx, st, oldBox, newBox)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "re-encrypted %d stored secrets under the new key\n", n)
	return nil
}

func openBox(name, key string) (*secret.Box, error) {
	raw, err := secret.ParseKey(key)
	if err != nil {
		return nil, usageError{fmt.Errorf("%s: %w", name, err)}
	}
	return secret.NewBox(raw)
}
