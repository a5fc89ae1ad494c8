package server

import (
	"errors"
	"fmt"
	"log/slog"
	"math"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/bridgework/bridgework/store"
)

// Detail is one item of an error's details, for example a validation problem
// naming the node and field.
type Detail struct {
	NodeID   string `json:"node_id,omitempty"`
	Field    string `json:"field,omitempty"`
	Message  string `json:"message"`
	Severity string `json:"severity,omitempty"`
}

// APIError is an error with the HTTP status and code the client should see.
type APIError struct {
	Status  int      `json:"-"`
	Code    string   `json:"code"`
	Message string   `json:"message"`
	Details []Detail `json:"details,omitempty"`
}

func (e *APIError) Error() string { return e.Message }

// RetryError is an APIError the client may retry after RetryAfter; the
// error handler sends it as the Retry-After header (whole seconds).
type RetryError struct {
	*APIError
	RetryAfter time.Duration
}

// Unwrap exposes the APIError.
func (e *RetryError) Unwrap() error { return e.APIError }

func apiError(status int, code, format string, args ...any) *APIError {
	return &APIError{Status: status, Code: code, Message: fmt.Sprintf(format, args...)}
}

func badRequest(format string, args ...any) *APIError {
	return apiError(fiber.StatusBadRequest, "invalid_request", format, args...)
}

func notFound(what string) *APIError {
	return apiError(fiber.StatusNotFound, "not_found", "%s not found", what)
}

var (
	errUnauthenticated = apiError(fiber.StatusUnauthorized, "unauthenticated", "a valid bearer token is required")
	errForbidden       = apiError(fiber.StatusForbidden, "forbidden", "this token may not perform this action")
)

// errorHandler translates every error into the one JSON error shape. It is the
// only place errors become HTTP responses.
func errorHandler(logger *slog.Logger) fiber.ErrorHandler {
	return func(c *fiber.Ctx, err error) error {
		var (
			apiErr   *APIError
			fiberErr *fiber.Error
			retryErr *RetryError
		)
		if errors.As(err, &retryErr) {
			c.Set(fiber.HeaderRetryAfter, strconv.Itoa(int(math.Ceil(retryErr.RetryAfter.Seconds()))))
		}
		switch {
		case errors.As(err, &apiErr):
		case errors.As(err, &fiberErr):
			apiErr = &APIError{Status: fiberErr.Code, Code: fiberCode(fiberErr.Code), Message: fiberMessage(fiberErr)}
		case errors.Is(err, store.ErrNotFound):
			apiErr = notFound("resource")
		case errors.Is(err, store.ErrConflict):
			apiErr = apiError(fiber.StatusConflict, "conflict", "the request conflicts with existing data")
		default:
			logger.Error("request failed", slog.String("method", c.Method()), slog.String("path", c.Path()), slog.Any("err", err))
			apiErr = apiError(fiber.StatusInternalServerError, "internal", "internal server error")
		}
		return c.Status(apiErr.Status).JSON(fiber.Map{"error": apiErr})
	}
}

func fiberCode(status int) string {
	switch status {
	case fiber.StatusNotFound:
		return "not_found"
	case fiber.StatusMethodNotAllowed:
		return "method_not_allowed"
	case fiber.StatusRequestEntityTooLarge:
		return "body_too_large"
	case fiber.StatusUnsupportedMediaType:
		return "unsupported_media_type"
	case fiber.StatusTooManyRequests:
		return "rate_limited"
	case fiber.StatusServiceUnavailable:
		return "unavailable"
	}
	if status >= 500 {
		return "internal"
	}
	return "invalid_request"
}

func fiberMessage(e *fiber.Error) string {
	switch e.Code {
	case fiber.StatusRequestEntityTooLarge:
		return "the request body is larger than the server accepts"
	case fiber.StatusNotFound:
		return "no such endpoint"
	}
	return e.Message
}

// conflictAs turns a store conflict into a 409 with a specific message.
func conflictAs(err error, format string, args ...any) error {
	if errors.Is(err, store.ErrConflict) {
		return apiError(fiber.StatusConflict, "conflict", format, args...)
	}
	return err
}
