// Package secret encrypts stored credentials with AES-256-GCM.
package secret

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
)

// formatV1 prefixes every sealed value so the format can evolve (key rotation).
const formatV1 byte = 1

// ErrDecrypt is returned when a sealed value was tampered with or sealed under another key.
var ErrDecrypt = errors.New("secret: value cannot be decrypted with the configured key")

// Box seals and opens values with one key.
type Box struct {
	aead cipher.AEAD
}

// ParseKey accepts a 32-byte key written as base64 (standard or URL alphabet) or hex.
func ParseKey(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	if b, err := hex.DecodeString(s); err == nil && len(b) == 32 {
		return b, nil
	}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding, base64.RawStdEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(s); err == nil && len(b) == 32 {
			return b, nil
		}
	}
	return nil, errors.New("secret: key must be 32 bytes written as base64 or 64 hex characters")
}

// NewBox returns a Box for a 32-byte key.
func NewBox(key []byte) (*Box, error) {
	if len(key) != 32 {
		return nil, fmt.Errorf("secret: key must be 32 bytes, got %d", len(key))
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("secret: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("secret: %w", err)
	}
	return &Box{aead: aead}, nil
}

// Seal encrypts plaintext; associated binds the ciphertext to its owner (for
// example a tenant and connection id) so it cannot be moved to another row.
func (b *Box) Seal(plaintext, associated []byte) ([]byte, error) {
	nonce := make([]byte, b.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return nil, fmt.Errorf("secret: nonce: %w", err)
	}
	out := make([]byte, 0, 1+len(nonce)+len(plaintext)+b.aead.Overhead())
	out = append(out, formatV1)
	out = append(out, nonce...)
	return b.aead.Seal(out, nonce, plaintext, associated), nil
}

// Open decrypts a value produced by Seal with the same associated data.
func (b *Box) Open(sealed, associated []byte) ([]byte, error) {
	n := b.aead.NonceSize()
	if len(sealed) < 1+n+b.aead.Overhead() || sealed[0] != formatV1 {
		return nil, ErrDecrypt
	}
	plain, err := b.aead.Open(nil, sealed[1:1+n], sealed[1+n:], associated)
	if err != nil {
		return nil, ErrDecrypt
	}
	return plain, nil
}

// ConnectionAAD is the associated data binding a connection's sealed
// credentials to its tenant and id.
func ConnectionAAD(tenantID, connectionID string) []byte {
	return []byte("connection:" + tenantID + "/" + connectionID)
}

// HookAAD is the associated data binding a webhook's sealed secret to its
// tenant and id.
func HookAAD(tenantID, hookID string) []byte { return []byte("hook:" + tenantID + "/" + hookID) }
