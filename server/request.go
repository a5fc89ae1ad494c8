package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// decodeJSON strictly decodes the request body into v: it must be JSON, a
// single object, and have no unknown fields. Errors name the offending field.
func decodeJSON(c *fiber.Ctx, v any) error {
	ct := strings.ToLower(c.Get(fiber.HeaderContentType))
	if !strings.HasPrefix(ct, fiber.MIMEApplicationJSON) {
		return apiError(fiber.StatusUnsupportedMediaType, "unsupported_media_type", "the request body must be JSON (Content-Type: application/json)")
	}
	return decodeStrict(c.Body(), v)
}

func decodeStrict(body []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return badRequest("%s", describeJSONError(err))
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return badRequest("the request body must hold a single JSON object")
	}
	return nil
}

func describeJSONError(err error) string {
	var (
		syntax *json.SyntaxError
		typ    *json.UnmarshalTypeError
	)
	switch {
	case errors.Is(err, io.EOF):
		return "the request body is empty; a JSON object is required"
	case errors.As(err, &syntax):
		return fmt.Sprintf("the request body is not valid JSON (at byte %d): %v", syntax.Offset, syntax)
	case errors.As(err, &typ):
		return fmt.Sprintf("field %q must be %s, not %s", typ.Field, typ.Type, typ.Value)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return "unknown field " + strings.TrimPrefix(err.Error(), "json: unknown field ")
	}
	return "the request body is not valid JSON: " + err.Error()
}
