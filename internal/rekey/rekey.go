// Package rekey re-encrypts stored credentials from an old secret key to a
// new one (bridgework rotate-key).
package rekey

import (
	"context"
	"errors"
	"fmt"

	"github.com/bridgework/bridgework/internal/secret"
	"github.com/bridgework/bridgework/store"
)

// Rotate re-seals every connection and hook secret under newBox. Values that
// already open under newBox are kept, so an interrupted or repeated rotation
// is safe; a value that opens under neither key stops the rotation and
// nothing is changed. It returns how many values were re-sealed.
func Rotate(ctx context.Context, st *store.Store, oldBox, newBox *secret.Box) (int, error) {
	rotated := 0
	_, err := st.Rekey(ctx, func(kind, tenantID, id string, sealed []byte) ([]byte, error) {
		aad := secret.HookAAD(tenantID, id)
		if kind == store.SealedConnection {
			aad = secret.ConnectionAAD(tenantID, id)
		}
		if _, err := newBox.Open(sealed, aad); err == nil {
			return sealed, nil
		}
		plain, err := oldBox.Open(sealed, aad)
		if errors.Is(err, secret.ErrDecrypt) {
			return nil, fmt.Errorf("rekey: the %s secret of %s opens under neither the old nor the new key", kind, id)
		}
		if err != nil {
			return nil, fmt.Errorf("rekey: open %s %s: %w", kind, id, err)
		}
		rotated++
		return newBox.Seal(plain, aad)
	})
	if err != nil {
		return 0, err
	}
	return rotated, nil
}
