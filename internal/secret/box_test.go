package secret

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"testing"
)

func TestSealOpenRoundTrip(t *testing.T) {
	key := bytes.Repeat([]byte{42}, 32)
	box, err := NewBox(key)
	if err != nil {
		t.Fatal(err)
	}
	plain := []byte(`{"api_token":"hunter2-hunter2"}`)
	sealed, err := box.Seal(plain, []byte("tenant-a/conn-1"))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(sealed, []byte("hunter2")) {
		t.Fatal("sealed bytes contain the plaintext")
	}
	again, _ := box.Seal(plain, []byte("tenant-a/conn-1"))
	if bytes.Equal(sealed, again) {
		t.Fatal("two seals of the same value are identical: the nonce is not random")
	}
	got, err := box.Open(sealed, []byte("tenant-a/conn-1"))
	if err != nil || !bytes.Equal(got, plain) {
		t.Fatalf("open = %q, %v", got, err)
	}
	if _, err := box.Open(sealed, []byte("tenant-b/conn-1")); !errors.Is(err, ErrDecrypt) {
		t.Fatalf("open with other associated data: %v, want ErrDecrypt", err)
	}
	tampered := append([]byte(nil), sealed...)
	tampered[len(tampered)-1] ^= 1
	if _, err := box.Open(tampered, []byte("tenant-a/conn-1")); !errors.Is(err, ErrDecrypt) {
		t.Fatalf("open tampered: %v, want ErrDecrypt", err)
	}
	other, _ := NewBox(bytes.Repeat([]byte{1}, 32))
	if _, err := other.Open(sealed, []byte("tenant-a/conn-1")); !errors.Is(err, ErrDecrypt) {
		t.Fatalf("open with another key: %v, want ErrDecrypt", err)
	}
}

func TestParseKey(t *testing.T) {
	raw := bytes.Repeat([]byte{0xab}, 32)
	for _, s := range []string{hex.EncodeToString(raw), base64.StdEncoding.EncodeToString(raw), base64.RawURLEncoding.EncodeToString(raw)} {
		k, err := ParseKey(s)
		if err != nil || !bytes.Equal(k, raw) {
			t.Errorf("ParseKey(%q) = %x, %v", s, k, err)
		}
	}
	for _, s := range []string{"", "short", hex.EncodeToString(raw[:16])} {
		if _, err := ParseKey(s); err == nil {
			t.Errorf("ParseKey(%q) accepted a bad key", s)
		}
	}
}
