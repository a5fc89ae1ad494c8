package schema

import (
	"net/mail"
	"regexp"
	"strings"
	"time"
)

// String formats that inference recognises and validation checks.
const (
	FormatDateTime = "date-time"
	FormatDate     = "date"
	FormatEmail    = "email"
	FormatUUID     = "uuid"
	FormatURI      = "uri"
)

var uuidRE = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// dateTimeLayouts accept RFC 3339 and the offset-less ISO form Epicor emits.
var dateTimeLayouts = []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02T15:04:05.999999999"}

// DetectFormat names the format a string value has, or "" for none.
func DetectFormat(v string) string {
	switch {
	case MatchesFormat(FormatDateTime, v):
		return FormatDateTime
	case MatchesFormat(FormatDate, v):
		return FormatDate
	case MatchesFormat(FormatUUID, v):
		return FormatUUID
	case MatchesFormat(FormatEmail, v):
		return FormatEmail
	case MatchesFormat(FormatURI, v):
		return FormatURI
	}
	return ""
}

// MatchesFormat reports whether v is a valid value of format; unknown
// formats accept everything.
func MatchesFormat(format, v string) bool {
	switch format {
	case FormatDateTime:
		for _, l := range dateTimeLayouts {
			if _, err := time.Parse(l, v); err == nil {
				return true
			}
		}
		return false
	case FormatDate:
		_, err := time.Parse("2006-01-02", v)
		return err == nil
	case FormatUUID:
		return uuidRE.MatchString(v)
	case FormatEmail:
		a, err := mail.ParseAddress(v)
		return err == nil && a.Address == v && strings.Contains(v, "@")
	case FormatURI:
		return strings.HasPrefix(v, "http://") || strings.HasPrefix(v, "https://")
	}
	return true
}
