package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/crypto/bcrypt"
)

// apiKeyPrefix marks Bridgework API keys so secret scanners can find leaked ones.
const apiKeyPrefix = "bwk_"

// ErrBadCredentials is returned for any wrong e-mail, password or API key.
var ErrBadCredentials = errors.New("auth: the credentials are not valid")

// HashPassword hashes a password with bcrypt.
func HashPassword(password string) (string, error) {
	if len(password) < 12 {
		return "", errors.New("auth: a password needs at least 12 characters")
	}
	if len(password) > 72 {
		return "", errors.New("auth: a password may have at most 72 bytes")
	}
	h, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.DefaultCost)
	if err != nil {
		return "", fmt.Errorf("auth: hash password: %w", err)
	}
	return string(h), nil
}

// CheckPassword compares a password with its hash in constant time.
func CheckPassword(hash, password string) error {
	if bcrypt.CompareHashAndPassword([]byte(hash), []byte(password)) != nil {
		return ErrBadCredentials
	}
	return nil
}

// dummyHash lets a login for an unknown e-mail cost as much as a real one.
var dummyHash, _ = bcrypt.GenerateFromPassword([]byte("not-a-real-password"), bcrypt.DefaultCost)

// BurnPasswordCheck spends the time of one password check, so unknown accounts
// cannot be told apart by response time.
func BurnPasswordCheck(password string) {
	_ = bcrypt.CompareHashAndPassword(dummyHash, []byte(password))
}

// NewAPIKey returns a new key (shown once), its display prefix and its hash.
func NewAPIKey() (key, prefix, hash string) {
	b := make([]byte, 32)
	rand.Read(b)
	key = apiKeyPrefix + base64.RawURLEncoding.EncodeToString(b)
	return key, key[:len(apiKeyPrefix)+6], HashAPIKey(key)
}

// HashAPIKey hashes a key for storage and lookup. Keys are 256-bit random, so
// a fast hash is enough; the plaintext never touches the database.
func HashAPIKey(key string) string {
	sum := sha256.Sum256([]byte(strings.TrimSpace(key)))
	return hex.EncodeToString(sum[:])
}

// RandomPassword generates a strong initial password.
func RandomPassword() string {
	b := make([]byte, 18)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// EqualToken compares two secrets in constant time.
func EqualToken(a, b string) bool {
	return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}

// resetTokenPrefix marks password reset tokens.
const resetTokenPrefix = "bwr_"

// NewResetToken returns a one-time password reset token (shown once) and the
// hash stored to find it.
func NewResetToken() (token, hash string) {
	b := make([]byte, 32)
	rand.Read(b)
	token = resetTokenPrefix + base64.RawURLEncoding.EncodeToString(b)
	return token, HashResetToken(token)
}

// HashResetToken hashes a reset token for storage and lookup.
func HashResetToken(token string) string { return HashAPIKey(token) }
